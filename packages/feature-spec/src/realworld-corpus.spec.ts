import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { REALWORLD_FEATURES_DIR } from '@fasit/testing';
import yaml from 'js-yaml';
import { formatIssue } from './issue.js';
import { parseFeatureYaml } from './parse-feature-yaml.js';

// 168 Feature.yaml files written by chart authors for the original Fasit (packages/testing/corpora/realworld).
const root = pathToFileURL(REALWORLD_FEATURES_DIR);
const features = readdirSync(root)
  .filter((name) => existsSync(new URL(`${name}/Feature.yaml`, root)))
  .sort();

function lint(name: string): ReturnType<typeof parseFeatureYaml> {
  const file = `${name}/Feature.yaml`;
  return parseFeatureYaml(readFileSync(new URL(file, root), 'utf8'), { file });
}

const INVALID_ON_PURPOSE: Record<string, string[]> = {
  'legacy--grafana': [
    'legacy--grafana/Feature.yaml:2:1 missing required field "environmentKinds" (list the kinds of environment the feature runs in: management, tenant, onprem)',
  ],
  'legacy--kube-state-metrics': [
    'legacy--kube-state-metrics/Feature.yaml:2:1 missing required field "environmentKinds" (list the kinds of environment the feature runs in: management, tenant, onprem)',
  ],
  'legacy--liberator': [
    'legacy--liberator/Feature.yaml:2:1 missing required field "environmentKinds" (list the kinds of environment the feature runs in: management, tenant, onprem)',
  ],
  'legacy--prometheus': [
    'legacy--prometheus/Feature.yaml:2:1 missing required field "environmentKinds" (list the kinds of environment the feature runs in: management, tenant, onprem)',
  ],
  'legacy--kafka-canary-deployer': [
    `legacy--kafka-canary-deployer/Feature.yaml:32:17 values.api_key.computed.template: the template is empty; write a template whose output is the value (for a fixed string: '"text"')`,
  ],
};

describe('real-world Feature.yaml corpus', () => {
  it('holds all 168 features', () => {
    expect(features).toHaveLength(168);
  });

  const valid = features.filter((name) => !(name in INVALID_ON_PURPOSE));

  it.each(valid)('%s lints without errors', (name) => {
    const result = lint(name);
    expect(result.ok ? [] : result.errors.map(formatIssue)).toEqual([]);
  });

  it.each(Object.keys(INVALID_ON_PURPOSE))('%s fails with a clear error', (name) => {
    const result = lint(name);
    expect(result.ok ? [] : result.errors.map(formatIssue)).toEqual(INVALID_ON_PURPOSE[name]);
  });

  it('warns, and only warns, about the kind legacy wherever a file lists it', () => {
    const listsLegacy = (name: string): boolean => {
      const doc = yaml.load(readFileSync(new URL(`${name}/Feature.yaml`, root), 'utf8')) as {
        environmentKinds?: string[];
        values?: Record<string, { ignoreKind?: string[] } | null>;
      };
      const kinds = [...(doc.environmentKinds ?? []), ...Object.values(doc.values ?? {}).flatMap((value) => value?.ignoreKind ?? [])];
      return kinds.includes('legacy');
    };
    const warned = features.filter((name) => lint(name).warnings.some((warning) => warning.code === 'deprecated.legacy-kind'));
    expect(warned).toEqual(features.filter(listsLegacy));
    expect(warned.length).toBeGreaterThanOrEqual(60);
  });

  it('accepts the older spellings a few real files use, each with a warning', () => {
    const other = features.flatMap((name) =>
      lint(name)
        .warnings.filter((warning) => warning.code !== 'deprecated.legacy-kind')
        .map(formatIssue),
    );
    expect(other).toEqual([
      'nais-api/Feature.yaml:274:1 rename: warning: the rename field is no longer supported and is ignored',
      'tokenx-jwker/Feature.yaml:55:13 values.useServiceAccountAuth.config.type: warning: type "boolean" is read as "bool"; write bool',
      "tunnel-operator/Feature.yaml:54:7 values.logLevel.config.default: warning: config.default is ignored: the default of a config value is the chart's values.yaml",
      "tunnel-operator/Feature.yaml:61:7 values.gatewayDebug.config.default: warning: config.default is ignored: the default of a config value is the chart's values.yaml",
    ]);
  });
});
