// Sprig 3.2.3 functions against real Go: ~3300 calls over edge-case inputs (case conversion of odd strings, cast
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
  ctx?: boolean;
  output?: string;
  error?: string;
}

const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../testdata/sprig-oracle.json', import.meta.url)), 'utf8')) as {
  ctx: unknown;
  cases: OracleCase[];
};
const ctx = fromJson(fixture.ctx);
const render = (c: OracleCase): string =>
  parseTemplate(c.template, { functions: functionSets.sprig }).execute(c.ctx === true ? ctx : null, { missingkey: 'default' });

describe('Sprig functions against Go 1.19 + Sprig 3.2.3', () => {
  it('has the fixture', () => {
    expect(fixture.cases.length).toBeGreaterThan(3000);
  });

  it.each(fixture.cases.filter((c) => c.error === undefined).map((c) => [c.template, c] as const))('%s', (_t, c) => {
    expect(render(c)).toBe(c.output);
  });

  it.each(fixture.cases.filter((c) => c.error !== undefined).map((c) => [c.template, c] as const))('%s fails', (_t, c) => {
    expect(() => render(c)).toThrow();
  });
});
