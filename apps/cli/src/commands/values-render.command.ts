import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { formatIssue, parseFeatureYaml, type FeatureSpec } from '@fasit/feature-spec';
import {
  canonicalJson,
  maskValues,
  parseYamlV2,
  renderValues,
  type Provenance,
  type RenderEnvironment,
  type RenderInput,
  type StoredValue,
} from '@fasit/templates';
import yaml from 'js-yaml';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from '../cli-command.js';
import { parseOptions, writeExact } from './command-options.js';
import { describeReadError } from './template-render.command.js';

/**
 * The environment description `fasit values render --env` reads (see apps/cli/README.md):
 * the environment, its tenant's other environments, and the stored configs of the feature.
 */
export interface EnvironmentDescription {
  tenant: string;
  name: string;
  kind: string;
  labels?: Record<string, string>;
  values?: Record<string, unknown>;
  secretValues?: Record<string, unknown>;
  environments?: {
    name: string;
    kind: string;
    labels?: Record<string, string>;
    values?: Record<string, unknown>;
    secretValues?: Record<string, unknown>;
  }[];
  configs?: { global?: Record<string, unknown>; environment?: Record<string, unknown> };
  fasit?: Record<string, unknown>;
}

/** `fasit values render <chart-dir> --env <environment.json> [--output yaml|json] [--show-secrets]`. */
export const valuesRenderCommand: CliCommand = {
  group: 'values',
  name: 'render',
  summary: 'Render the Helm values of a chart for an environment description, with where each value came from.',
  usage: '<chart-dir> --env <environment.json> [--output yaml|json] [--show-secrets]',
  details: [
    '',
    'Reads <chart-dir>/Feature.yaml (and values.yaml for the chart defaults, Chart.yaml for the name) and renders the',
    'values as Fasit sends them to an environment: per-environment config > global config > computed template >',
    'chart default. Prints the values and, per managed key, its source (env-config, global-config, computed with',
    'its template, chart-default with the default) and whether it is secret.',
    'Secret values, and computed values derived from a secret input, are shown as ***** unless --show-secrets.',
    'The environment description format is in apps/cli/README.md. Exit 1 when the values do not render',
    '(render-error, missing-config) or a file is invalid.',
  ],
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseOptions(args, {
      env: {},
      output: { choices: ['yaml', 'json'], short: 'o' },
      'show-secrets': { flag: true },
    });
    if (!parsed.ok || parsed.positional.length !== 1 || !parsed.options.has('env')) {
      const why = !parsed.ok ? parsed.message : parsed.positional.length !== 1 ? 'exactly one chart directory is needed' : '--env is required';
      io.stderr(`fasit values render: ${why}`);
      io.stderr(`usage: fasit values render ${valuesRenderCommand.usage}`);
      return EXIT_USAGE;
    }
    const chartDir = resolve(io.cwd, parsed.positional[0]!);
    const envFile = parsed.options.get('env')!;
    const fail = (message: string): number => {
      io.stderr(`fasit values render: ${message}`);
      return EXIT_FAILURE;
    };

    let featureText: string;
    let description: EnvironmentDescription;
    try {
      featureText = await readFile(join(chartDir, 'Feature.yaml'), 'utf8');
      const envText = await readFile(resolve(io.cwd, envFile), 'utf8');
      let raw: unknown;
      try {
        raw = JSON.parse(envText);
      } catch (e) {
        return fail(`${envFile}: not JSON: ${e instanceof Error ? e.message : String(e)}`);
      }
      const problem = checkDescription(raw);
      if (problem !== undefined) return fail(`${envFile}: ${problem}`);
      description = raw as EnvironmentDescription;
    } catch (e) {
      return fail(describeReadError(e));
    }

    const featureFile = join(parsed.positional[0]!, 'Feature.yaml');
    const feature = parseFeatureYaml(featureText, { file: featureFile });
    if (!feature.ok) {
      for (const issue of feature.errors) io.stderr(formatIssue(issue));
      return fail(`${featureFile} is not valid (fasit feature lint shows every problem)`);
    }
    const name = (await readChartName(chartDir)) ?? basename(chartDir);
    const chartValues = await readChartValues(chartDir);

    const result = renderValues(renderInput(name, feature.spec, description, chartValues));
    if (!result.ok) return fail(`${result.action}: ${result.message}`);

    const show = parsed.options.has('show-secrets');
    const sorted = {
      feature: name,
      environment: { tenant: description.tenant, name: description.name, kind: description.kind },
      values: JSON.parse(canonicalJson(show ? result.values : maskValues(result.values, result.provenance))) as unknown,
      provenance: displayProvenance(result.provenance),
    };
    if (parsed.options.get('output') === 'json') writeExact(io, `${JSON.stringify(sorted, null, 2)}\n`);
    else writeExact(io, yaml.dump(sorted, { noRefs: true, lineWidth: -1, sortKeys: false }));
    return EXIT_OK;
  },
};

/** The renderer's input for a description: environment ids are the names (unique within a tenant). */
export function renderInput(featureName: string, spec: FeatureSpec, d: EnvironmentDescription, chartValues?: Record<string, unknown>): RenderInput {
  const stored = (values: Record<string, unknown> = {}, secrets: Record<string, unknown> = {}): Record<string, StoredValue> => {
    const out: Record<string, StoredValue> = {};
    for (const [k, value] of Object.entries(values)) out[k] = { value, secret: false };
    for (const [k, value] of Object.entries(secrets)) out[k] = { value, secret: true };
    return out;
  };
  const environment: RenderEnvironment = {
    id: d.name,
    name: d.name,
    kind: d.kind,
    tenant: d.tenant,
    labels: d.labels ?? {},
    values: stored(d.values, d.secretValues),
  };
  const others: RenderEnvironment[] = (d.environments ?? [])
    .filter((e) => e.name !== d.name)
    .map((e) => ({ id: e.name, name: e.name, kind: e.kind, tenant: d.tenant, labels: e.labels ?? {}, values: stored(e.values, e.secretValues) }));
  return {
    feature: { name: featureName, spec },
    environment,
    tenantEnvironments: [environment, ...others],
    config: { global: stored(d.configs?.global), environment: stored(d.configs?.environment) },
    ...(d.fasit !== undefined ? { fasit: d.fasit } : {}),
    ...(chartValues !== undefined ? { chartValues } : {}),
  };
}

const PROVENANCE_FIELDS = ['source', 'template', 'references', 'chartDefault', 'secret', 'secretReason'] as const;

/** Keys sorted, each entry's fields in a reading order (source first). */
function displayProvenance(provenance: Record<string, Provenance>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const key of Object.keys(provenance).sort()) {
    const p = provenance[key]!;
    const entry: Record<string, unknown> = {};
    for (const f of PROVENANCE_FIELDS) if (p[f] !== undefined) entry[f] = p[f];
    out[key] = entry;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What is wrong with an environment description, or undefined. */
export function checkDescription(raw: unknown): string | undefined {
  if (!isObject(raw)) return 'must be a JSON object with tenant, name, kind (and labels, values, secretValues, environments, configs, fasit)';
  const known = new Set(['tenant', 'name', 'kind', 'labels', 'values', 'secretValues', 'environments', 'configs', 'fasit']);
  for (const k of Object.keys(raw)) if (!known.has(k)) return `unknown field "${k}" (allowed: ${[...known].join(', ')})`;
  const env = (e: Record<string, unknown>, where: string): string | undefined => {
    for (const f of ['name', 'kind']) if (typeof e[f] !== 'string' || e[f] === '') return `${where}${f} must be a non-empty string`;
    for (const f of ['labels', 'values', 'secretValues']) {
      if (e[f] !== undefined && !isObject(e[f])) return `${where}${f} must be an object`;
    }
    if (isObject(e['labels']) && Object.values(e['labels']).some((v) => typeof v !== 'string')) return `${where}labels must map names to strings`;
    return undefined;
  };
  if (typeof raw['tenant'] !== 'string' || raw['tenant'] === '') return 'tenant must be a non-empty string';
  const own = env(raw, '');
  if (own !== undefined) return own;
  if (raw['environments'] !== undefined) {
    if (!Array.isArray(raw['environments'])) return 'environments must be a list';
    for (const [i, e] of raw['environments'].entries()) {
      if (!isObject(e)) return `environments[${i}] must be an object`;
      const p = env(e, `environments[${i}].`);
      if (p !== undefined) return p;
    }
  }
  const configs = raw['configs'];
  if (configs !== undefined) {
    if (!isObject(configs)) return 'configs must be an object with global and environment';
    for (const k of Object.keys(configs)) if (k !== 'global' && k !== 'environment') return `configs: unknown field "${k}" (allowed: global, environment)`;
    for (const k of ['global', 'environment']) if (configs[k] !== undefined && !isObject(configs[k])) return `configs.${k} must be an object`;
  }
  if (raw['fasit'] !== undefined && !isObject(raw['fasit'])) return 'fasit must be an object';
  return undefined;
}

async function readChartName(chartDir: string): Promise<string | undefined> {
  try {
    const chart = yaml.load(await readFile(join(chartDir, 'Chart.yaml'), 'utf8'));
    return isObject(chart) && typeof chart['name'] === 'string' ? chart['name'] : undefined;
  } catch {
    return undefined;
  }
}

async function readChartValues(chartDir: string): Promise<Record<string, unknown> | undefined> {
  try {
    // as Helm reads it: YAML 1.1 scalars, a date-like tag stays a string
    const values = parseYamlV2(await readFile(join(chartDir, 'values.yaml'), 'utf8'));
    return isObject(values) ? values : undefined;
  } catch {
    return undefined;
  }
}
