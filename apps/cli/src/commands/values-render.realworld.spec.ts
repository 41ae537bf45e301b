// Every real-world Feature.yaml that lints renders its computed values in a realistic tenant (a management
// environment, two tenant environments, an onprem and a legacy one) without an engine error. The environment
// values each environment carries are derived from what the templates reference (.Env.x, .Envs[].x,
// .Management.x), so every template reads realistic data rather than <no value>.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REALWORLD_FEATURES_DIR } from '@fasit/testing';
import { parseFeatureYaml, type FeatureSpec } from '@fasit/feature-spec';
import { functionSets, parseTemplate, renderValues, type RenderEnvironment, type StoredValue } from '@fasit/templates';

const features = REALWORLD_FEATURES_DIR;
const KNOWN_INVALID = ['legacy--grafana', 'legacy--kube-state-metrics', 'legacy--liberator', 'legacy--prometheus', 'legacy--kafka-canary-deployer'];

interface Loaded {
  name: string;
  spec: FeatureSpec;
}

const all = readdirSync(features).sort();
const loaded: Loaded[] = [];
const invalid: string[] = [];
for (const name of all) {
  const text = readFileSync(join(features, name, 'Feature.yaml'), 'utf8');
  const parsed = parseFeatureYaml(text, { file: `${name}/Feature.yaml` });
  if (parsed.ok) loaded.push({ name, spec: parsed.spec });
  else invalid.push(name);
}

/** Environment value names the templates read, per place: `.Env.x` / `.Envs[].x` (any environment), `.Management.x`. */
function referencedKeys(): Set<string> {
  const keys = new Set<string>();
  for (const { spec } of loaded) {
    for (const value of Object.values(spec.values)) {
      if (value.computed === undefined) continue;
      for (const field of parseTemplate(value.computed.template, { functions: functionSets.fasit, name: 'tpl' }).references().fields) {
        const m = /^\.(?:Env|Envs\[\]|Management)\.([^.[]+)/.exec(field);
        if (m !== null) keys.add(m[1]!);
      }
      // fields read through variables the static analysis cannot follow ($e := filter ... .Envs; $e.x)
      for (const m of value.computed.template.matchAll(/\$[A-Za-z_]\w*\.([a-z][a-z0-9_]*)/g)) keys.add(m[1]!);
    }
  }
  for (const k of ['name', 'kind', 'labels']) keys.delete(k);
  // naiserator ranges over .Env for logging_<destination>_default_flow
  keys.add('logging_loki_default_flow');
  keys.add('logging_elastic_default_flow');
  return keys;
}

const SECRET_HINT = /password|secret|key|token|psk|dsn/i;

/** A realistic value for an environment value name in environment `env`. */
function valueFor(key: string, env: string): unknown {
  if (/cidr|ip_range/i.test(key)) return '10.0.0.0/16';
  if (/(^|_)ip$/.test(key)) return '10.1.2.3';
  if (/endpoint|url|domain|host/i.test(key)) return `https://${key.replaceAll('_', '-')}.${env}.nav.cloud.nais.io`;
  if (/static_service_accounts/.test(key)) return JSON.stringify([{ name: `sa-${env}`, roles: ['Team viewer'] }]);
  if (/email/.test(key)) return `${key.replaceAll('_', '-')}@nais-${env}.iam.gserviceaccount.com`;
  if (/project/.test(key)) return `nais-${env}-1234`;
  return `${key}-${env}`;
}

function environment(name: string, kind: string, keys: ReadonlySet<string>): RenderEnvironment {
  const values: Record<string, StoredValue> = {};
  for (const key of keys) values[key] = { value: valueFor(key, name), secret: SECRET_HINT.test(key) };
  return { id: `id-${name}`, name, kind, tenant: 'nav', labels: { tenant: 'nav', name, kind, environment: name }, values };
}

const keys = referencedKeys();
const tenant = [
  environment('management', 'management', keys),
  environment('dev-gcp', 'tenant', keys),
  environment('prod-gcp', 'tenant', keys),
  environment('dev-fss', 'onprem', keys),
  environment('prod-legacy', 'legacy', keys),
];

/** A stored config for every config-only key (so `required` passes) and none for mixed keys (so their template renders). */
function configsFor(spec: FeatureSpec): Record<string, StoredValue> {
  const out: Record<string, StoredValue> = {};
  for (const [key, value] of Object.entries(spec.values)) {
    if (value.config === undefined || value.computed !== undefined) continue;
    const sample = { string: `config-${key}`, int: 1, bool: true, string_array: ['a', 'b'] }[value.config.type];
    out[key] = { value: sample, secret: value.config.secret === true };
  }
  return out;
}

describe('real-world features render in a realistic tenant', () => {
  it('lints all but the five files that are invalid on purpose', () => {
    expect(invalid).toEqual(KNOWN_INVALID.sort());
    expect(loaded.length).toBe(all.length - KNOWN_INVALID.length);
  });

  it('renders every computed value of every feature in each environment whose kind the feature lists', () => {
    const failures: string[] = [];
    let renders = 0;
    let computedRendered = 0;
    const featuresRendered = new Set<string>();
    for (const { name, spec } of loaded) {
      const global = configsFor(spec);
      for (const env of tenant) {
        if (!(spec.environmentKinds as string[]).includes(env.kind)) continue;
        const result = renderValues({
          feature: { name, spec },
          environment: env,
          tenantEnvironments: tenant,
          config: { global, environment: {} },
          fasit: { IAPAudience: '/projects/1234/global/backendServices/5678' },
        });
        renders++;
        if (!result.ok) {
          failures.push(`${name} in ${env.name}: ${result.action}: ${result.message}`);
          continue;
        }
        featuresRendered.add(name);
        computedRendered += Object.values(result.provenance).filter((p) => p.source === 'computed').length;
      }
    }
    // One line for the record: how much of the corpus this covers.
    process.stdout.write(
      `realworld: ${featuresRendered.size}/${loaded.length} linting features rendered, ${renders} (feature, environment) renders, ${computedRendered} computed values\n`,
    );
    expect(failures).toEqual([]);
    expect(featuresRendered.size).toBe(loaded.filter((f) => f.spec.environmentKinds.length > 0).length);
  });
});
