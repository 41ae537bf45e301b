// Go 1.19 text/template + Sprig 3.2.3 conformance: every case in the shared corpus, rendered with the pure Sprig
// function set, must reproduce Go's output byte for byte, or fail where Go failed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { GOTEMPLATE_CONFORMANCE_FILE } from '@fasit/testing';
import { fromJson, parseTemplate, TemplateExecError, TemplateParseError } from './engine/index.js';
import { functionSets } from './functions/index.js';

interface Case {
  name: string;
  template: string;
  data: unknown;
  options?: string[];
  output?: string;
  error?: string;
  errorKind?: 'parse' | 'exec';
}

const cases = JSON.parse(readFileSync(GOTEMPLATE_CONFORMANCE_FILE, 'utf8')) as Case[];

function render(c: Case): string {
  const missingkey = c.options?.includes('missingkey=error') === true ? 'error' : 'default';
  const t = parseTemplate(c.template, { functions: functionSets.sprig, name: c.name });
  return t.execute(fromJson(c.data), { missingkey });
}

describe('Go text/template conformance (public corpus)', () => {
  it('has the whole corpus', () => {
    expect(cases.length).toBeGreaterThanOrEqual(273);
  });

  it.each(cases.filter((c) => c.error === undefined).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(render(c)).toBe(c.output);
  });

  it.each(cases.filter((c) => c.error !== undefined).map((c) => [c.name, c] as const))('%s fails', (_name, c) => {
    const expected = c.errorKind === 'parse' ? TemplateParseError : TemplateExecError;
    expect(() => render(c)).toThrow(expected);
    // the language's own errors are the engine's: those must read exactly as Go's
    if (c.name.startsWith('text/')) expect(() => render(c)).toThrow(new Error(c.error));
  });
});
