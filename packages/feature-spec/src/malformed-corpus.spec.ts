import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { formatIssue } from './issue.js';
import { parseFeatureYaml } from './parse-feature-yaml.js';

// Each test-fixtures/malformed/<case>.yaml is a Feature.yaml with a mistake; expected.json holds, per case, the
// exact [code, one-line error] pairs `fasit feature lint` must print.
const dir = new URL('../test-fixtures/malformed/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8')) as Record<string, [string, string][]>;
const fixtures = readdirSync(dir)
  .filter((name) => name.endsWith('.yaml'))
  .sort();

describe('malformed Feature.yaml corpus', () => {
  it('has at least 30 cases, each with its expected errors and no expectation without a file', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
    expect(Object.keys(expected).sort()).toEqual(fixtures);
  });

  it.each(fixtures)('%s fails with exactly the expected positioned errors', (name) => {
    const text = readFileSync(new URL(name, dir), 'utf8');
    let result: ReturnType<typeof parseFeatureYaml> | undefined;
    expect(() => {
      result = parseFeatureYaml(text, { file: name });
    }).not.toThrow();
    expect(result?.ok).toBe(false);
    const errors = result !== undefined && !result.ok ? result.errors : [];
    expect(errors.map((error) => [error.code, formatIssue(error)])).toEqual(expected[name]);
  });
});
