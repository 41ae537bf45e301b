// Fasit functions (with Sprig underneath) against Go: outputs recorded from Go 1.19 running the original's
// function bodies (pkg/feature/template_funcs.go: mapOf, mapJoin, environmentsAsMap, prefixedValues, eachOf,
// toJSON, fromJSON, toYAML with gopkg.in/yaml.v2, join, filter, replace, b64enc) over a Fasit-like context. Above
// all this pins toYAML to yaml.v2's quoting, line folding at column 80 and layout, and mapJoin/join to fmt's %s and %v.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { fromJson, parseTemplate } from '../../engine/index.js';
import { functionSets } from '../index.js';

interface OracleCase {
  template: string;
  output?: string;
  error?: string;
}

const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../testdata/fasit-oracle.json', import.meta.url)), 'utf8')) as {
  ctx: unknown;
  cases: OracleCase[];
};
const ctx = fromJson(fixture.ctx);
const render = (c: OracleCase): string => parseTemplate(c.template, { functions: functionSets.fasit }).execute(ctx);

describe('Fasit functions against Go', () => {
  it.each(fixture.cases.filter((c) => c.error === undefined).map((c) => [c.template, c] as const))('%s', (_t, c) => {
    expect(render(c)).toBe(c.output);
  });

  it.each(fixture.cases.filter((c) => c.error !== undefined).map((c) => [c.template, c] as const))('%s fails', (_t, c) => {
    expect(() => render(c)).toThrow();
  });
});
