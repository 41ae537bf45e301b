// Sprig 3.2.3 functions against real Go: ~5600 calls over edge-case inputs and over every field of a Fasit-like
// context (case conversion of odd strings, cast
// rules, decimal float math, mergo merges, RE2 syntax and empty matches, semver constraints, base64/32 errors,
// URL parsing, Go time layouts and zones) whose expected output or failure was recorded from Go 1.19 + Sprig 3.2.3.
// See testdata/sprig-oracle-cases.py for how the fixture is made.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { fromJson, parseTemplate } from '../../engine/index.js';
import { functionSets } from '../index.js';

interface OracleCase {
  template: string;
  /** Which of the fixture's contexts is the template's data (none: nil data). */
  ctx?: string;
  output?: string;
  error?: string;
}

const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../testdata/sprig-oracle.json', import.meta.url)), 'utf8')) as {
  contexts: Record<string, unknown>;
  cases: OracleCase[];
};
const contexts = new Map(Object.entries(fixture.contexts).map(([k, v]) => [k, fromJson(v)]));
const render = (c: OracleCase): string =>
  parseTemplate(c.template, { functions: functionSets.sprig }).execute(c.ctx === undefined ? null : (contexts.get(c.ctx) ?? null), {
    missingkey: 'default',
  });

describe('Sprig functions against Go 1.19 + Sprig 3.2.3', () => {
  it('has the fixture', () => {
    expect(fixture.cases.length).toBeGreaterThan(5000);
  });

  it.each(fixture.cases.filter((c) => c.error === undefined).map((c) => [c.template, c] as const))('%s', (_t, c) => {
    expect(render(c)).toBe(c.output);
  });

  it.each(fixture.cases.filter((c) => c.error !== undefined).map((c) => [c.template, c] as const))('%s fails', (_t, c) => {
    expect(() => render(c)).toThrow();
  });
});
