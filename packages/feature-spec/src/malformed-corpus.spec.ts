import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { formatIssue } from './issue.js';
import { MAX_FEATURE_YAML_BYTES, parseFeatureYaml } from './parse-feature-yaml.js';

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

  it('a generated file of 64 MiB fails with one error, the size, before any parsing', () => {
    // Its first line is a YAML syntax error the parser would report (and repeated keys below): only the size
    // error comes back, so the parser was not reached. How fast that is: bench/size-limit.bench.ts.
    const huge = `: : :\nvalues:\n${'  image.tag:\n    config: {type: string}\n'.repeat(Math.floor((64 * MAX_FEATURE_YAML_BYTES) / 40))}`;
    const result = parseFeatureYaml(huge, { file: 'huge.yaml' });
    expect(result.ok ? [] : result.errors.map((error) => [error.code, formatIssue(error)])).toEqual([
      ['file.too-large', 'huge.yaml:1:1 the file is 67,108,854 bytes; a Feature.yaml may be at most 1,048,576 bytes (1 MiB)'],
    ]);
  });
});
