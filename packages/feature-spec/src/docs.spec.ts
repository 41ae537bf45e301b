import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { FEATURE_SPEC_ISSUE_CODES, formatIssue } from './issue.js';
import { parseFeatureYaml } from './parse-feature-yaml.js';

// docs/authoring-a-feature.md is what chart authors read: its example must lint, and it must name every code.
const doc = readFileSync(new URL('../../../docs/authoring-a-feature.md', import.meta.url), 'utf8');

describe('docs/authoring-a-feature.md', () => {
  it('has a complete example that lints without errors or warnings', () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    expect(example).toContain('environmentKinds');
    const result = parseFeatureYaml(example);
    expect(result.ok ? result.warnings.map(formatIssue) : result.errors.map(formatIssue)).toEqual([]);
    expect(result.ok && Object.keys(result.spec.values)).toContain('labels\\.team');
  });

  it('names every issue code', () => {
    const undocumented = FEATURE_SPEC_ISSUE_CODES.filter((code) => !doc.includes(code) && !code.startsWith('deprecated.'));
    expect(undocumented).toEqual([]);
    for (const code of FEATURE_SPEC_ISSUE_CODES.filter((code) => code.startsWith('deprecated.'))) expect(doc).toContain(code);
  });
});
