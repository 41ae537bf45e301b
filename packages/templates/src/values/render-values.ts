// Rendering the Helm values Fasit manages for one (feature version, environment), as the original rendered them:
// per-environment config > global config > computed template > chart default (helm applies the chart default
// itself), `ignoreKind`, the injected `fasit` block, `required` checks listing every missing key.

import { parseTemplate, type Template } from '../engine/index.js';
import { functionSets } from '../functions/index.js';
import type { FunctionMap } from '../functions/signature.js';
import { compareBytewise, type GoMap } from '../value.js';
import { SharedEnvironments, templateContext, tenantEnvironmentList } from './context.js';
import { deterministicFunctions, NONDETERMINISTIC_FUNCTIONS, withDeterministicScope } from './deterministic.js';

const NONDETERMINISTIC = new Set(NONDETERMINISTIC_FUNCTIONS);
import { parseTemplateOutput } from './parse-output.js';

/** The part of a Feature.yaml the renderer needs (structurally a @fasit/feature-spec FeatureSpec). */
export interface RenderFeatureSpec {
  values: Record<
    string,
    {
      required?: boolean;
      config?: { type: string; secret?: boolean };
      computed?: { template: string };
      ignoreKind?: string[];
    }
  >;
}

export interface StoredValue {
  value: unknown;
  secret: boolean;
}

export interface RenderEnvironment {
  id: string;
  name: string;
  kind: string;
  tenant: string;
  labels: Record<string, string>;
  /** Environment values (Terraform-managed data about the environment), decrypted. */
  values: Record<string, StoredValue>;
}

export interface RenderInput {
  feature: { name: string; spec: RenderFeatureSpec };
  environment: RenderEnvironment;
  /** Every environment of the same tenant (the environment itself included): `.Envs` and `.Management`. */
  tenantEnvironments: readonly RenderEnvironment[];
  config: { global: Record<string, StoredValue>; environment: Record<string, StoredValue> };
  /** Process-wide values exposed to templates as `.Fasit`. */
  fasit?: Record<string, unknown>;
  /**
   * The chart's values.yaml, for display only: a `chart-default` key's provenance then carries the default Helm
   * applies. Never merged into the values (Helm does that itself).
   */
  chartValues?: Record<string, unknown>;
  options?: RenderOptions;
}

export interface RenderOptions {
  /** Time limit per template render (ms). Default `RENDER_TIMEOUT_MS`. */
  timeoutMs?: number;
  /** Time limit for all template renders of one `renderValues` call, the taint probe included (ms). Default
   * `RENDER_BUDGET_MS`. */
  budgetMs?: number;
  /** Output limit per template render (bytes). Default `RENDER_MAX_OUTPUT_BYTES`. */
  maxOutputBytes?: number;
  /**
   * Secret taint by probe render (default true): a computed value whose output changes when every secret input is
   * replaced by a sentinel is marked secret. Off: computed values are never marked secret (callers that only send
   * the values, never show them, can save the extra renders).
   */
  secretTaint?: boolean;
}

export type ValueSource = 'env-config' | 'global-config' | 'computed' | 'chart-default';

/** Why a key is secret: declared `config.secret`, a stored row marked secret, or a computed value tainted by a
 * secret input (`tainted`), or whose taint could not be decided because the probe render failed (`probe-failed`). */
export type SecretReason = 'declared' | 'stored-secret' | 'tainted' | 'probe-failed';

export interface Provenance {
  source: ValueSource;
  /** For `computed`: the template that produced the value. */
  template?: string;
  /** The value is secret, or derived from a secret input. */
  secret: boolean;
  /** Set when `secret` is true. */
  secretReason?: SecretReason;
  /** For `computed`: the data fields the template reads, e.g. `.Env.project_id` (static analysis). */
  references?: string[];
  /** For `chart-default` when `RenderInput.chartValues` was given: the chart's default (absent: none). */
  chartDefault?: unknown;
}

export type RenderResult =
  | {
      ok: true;
      /** The complete values sent to the agent. */
      values: Record<string, unknown>;
      /** Per managed key (as written in Feature.yaml). */
      provenance: Record<string, Provenance>;
    }
  | { ok: false; action: 'render-error' | 'missing-config'; message: string };

/** Splits a dotted Helm key; `\.` is a literal dot inside a segment. */
export function splitKey(key: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < key.length; i++) {
    const ch = key[i]!;
    if (ch === '\\' && key[i + 1] === '.') {
      cur += '.';
      i++;
    } else if (ch === '.') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Places `value` at the dotted path unless something is there already. Throws when the path is not nestable. */
export function placeValue(target: Record<string, unknown>, key: string, value: unknown, overwrite: boolean): void {
  const path = splitKey(key);
  let cur: Record<string, unknown> = target;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    const next = cur[seg];
    if (next === undefined) {
      const created: Record<string, unknown> = {};
      cur[seg] = created;
      cur = created;
    } else if (next !== null && typeof next === 'object' && !Array.isArray(next)) {
      cur = next as Record<string, unknown>;
    } else {
      throw new Error(`key ${key} is not nestable: ${path.slice(0, i + 1).join('.')} already holds a value`);
    }
  }
  const leaf = path[path.length - 1]!;
  if (cur[leaf] !== undefined && cur[leaf] !== null && typeof cur[leaf] === 'object' && !Array.isArray(cur[leaf])) {
    throw new Error(`key ${key} is not nestable: it is also the prefix of another key`);
  }
  if (overwrite || cur[leaf] === undefined) cur[leaf] = value;
}

/** Time limit per template render: a hostile or runaway template cannot stall a reconcile cycle. */
export const RENDER_TIMEOUT_MS = 1000;
/** Time limit for all the renders of one `renderValues` call. */
export const RENDER_BUDGET_MS = 2000;
/** Output limit per template render. */
export const RENDER_MAX_OUTPUT_BYTES = 1024 * 1024;
/** The template name in error messages (the original's `template.New("tpl")`). */
export const TEMPLATE_NAME = 'tpl';
/** What secret values are shown as. */
export const MASK = '*****';
/** Replaces every secret input in the taint probe: long, high-entropy, never a plausible real value. */
export const SECRET_SENTINEL = 'fasit-secret-probe-5f0c2a9e71d84b36a4e8c1d09b7f3e62';

type ConfigSource = 'env-config' | 'global-config';
interface ConfigRow {
  value: unknown;
  source: ConfigSource;
  declaredSecret: boolean;
  storedSecret: boolean;
}

class RenderFailure extends Error {
  constructor(
    readonly action: 'render-error' | 'missing-config',
    message: string,
  ) {
    super(message);
  }
}

function ownValue(record: Record<string, StoredValue>, key: string): StoredValue | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A deep copy of JSON data (stored config values are JSON). `undefined` becomes null. */
export function cloneJson(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(cloneJson);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) Object.defineProperty(out, k, { value: cloneJson(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** A number JSON cannot carry (`.inf`, `.nan` in a template's output), as Go prints it; undefined when all is JSON. */
function nonJson(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  if (v === null || typeof v !== 'object') return undefined;
  for (const x of Array.isArray(v) ? v : Object.values(v)) {
    const bad = nonJson(x);
    if (bad !== undefined) return bad;
  }
  return undefined;
}

/** The value at a dotted key, or undefined when the path does not exist. */
export function lookupValue(values: Record<string, unknown>, key: string): unknown {
  let cur: unknown = values;
  for (const seg of splitKey(key)) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function buildConfigMap(rows: ReadonlyMap<string, ConfigRow>, substitute?: (row: ConfigRow) => unknown): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  for (const [key, row] of rows) {
    const value = substitute !== undefined ? substitute(row) : row.value;
    try {
      placeValue(map, key, cloneJson(value), true);
    } catch (e) {
      throw new RenderFailure('render-error', e instanceof Error ? e.message : String(e));
    }
  }
  return map;
}

/** Parsed templates per Feature.yaml `computed` object and function set: a lookup without hashing the text (the
 * engine's own cache, keyed by text, backs it). A changed template text is parsed again. */
const compiled = new WeakMap<object, Map<FunctionMap, { text: string; template: Template }>>();

function compile(computed: { template: string }, functions: FunctionMap): Template {
  let perSet = compiled.get(computed);
  const hit = perSet?.get(functions);
  if (hit !== undefined && hit.text === computed.template) return hit.template;
  const template = parseTemplate(computed.template, { functions, name: TEMPLATE_NAME });
  if (perSet === undefined) {
    perSet = new Map();
    compiled.set(computed, perSet);
  }
  perSet.set(functions, { text: computed.template, template });
  return template;
}

/** The limits of one renderValues call: per template, and a deadline for all of them. */
interface Limits {
  timeoutMs: number;
  maxOutputBytes: number;
  budgetMs: number;
  deadline: number;
}

function limitsOf(options: RenderOptions): Limits {
  const budgetMs = options.budgetMs ?? RENDER_BUDGET_MS;
  return {
    timeoutMs: options.timeoutMs ?? RENDER_TIMEOUT_MS,
    maxOutputBytes: options.maxOutputBytes ?? RENDER_MAX_OUTPUT_BYTES,
    budgetMs,
    deadline: Date.now() + budgetMs,
  };
}

function renderTemplate(key: string, computed: { template: string }, data: GoMap, functions: FunctionMap, limits: Limits): string {
  if (computed.template === '') throw new RenderFailure('render-error', `${key}: empty template`);
  const left = limits.deadline - Date.now();
  if (left <= 0) throw new RenderFailure('render-error', `${key}: not rendered: the feature's templates took longer than ${limits.budgetMs} ms together`);
  try {
    return compile(computed, functions).execute(data, {
      missingkey: 'default',
      timeoutMs: Math.min(limits.timeoutMs, left),
      maxOutputBytes: limits.maxOutputBytes,
    });
  } catch (e) {
    throw new RenderFailure('render-error', `${key}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Renders the Helm values Fasit manages for one (feature version, environment). Never throws: problems come back
 * as `render-error` (a template, its YAML output or the key nesting failed) or `missing-config` (every required
 * key without a value, sorted). Deterministic: the same input gives the same values (compare `canonicalJson`).
 * `shared` (from `shareEnvironments`) stands for `input.tenantEnvironments` when many renders of one tenant share
 * its environments; the result is the same as without it.
 */
export function renderValues(input: RenderInput, shared?: SharedEnvironments): RenderResult {
  const limits = limitsOf(input.options ?? {});
  if (shared !== undefined) {
    input = { ...input, tenantEnvironments: shared.environments };
    // Shared maps are frozen: a template that changes an element of `.Envs` fails on them (and the taint probe
    // cannot decide). Only then is it rendered again on maps of its own, within what is left of the same budget.
    const result = attempt(input, limits, shared);
    const failed = !result.ok ? result.action === 'render-error' : Object.values(result.provenance).some((p) => p.secretReason === 'probe-failed');
    if (!failed) return result;
  }
  return attempt(input, limits);
}

/** The environments of a tenant shared by many renders: the real ones and the taint probe's built once each. */
export function shareEnvironments(environments: readonly RenderEnvironment[]): SharedEnvironments {
  return new SharedEnvironments(environments, { real: undefined, probe: probeSubstitute });
}

function attempt(input: RenderInput, limits: Limits, shared?: SharedEnvironments): RenderResult {
  try {
    return render(input, limits, shared);
  } catch (e) {
    if (e instanceof RenderFailure) return { ok: false, action: e.action, message: e.message };
    return { ok: false, action: 'render-error', message: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Steps 1 and 2: the keys in scope (sorted) and the config rows that apply. */
function scope(input: RenderInput): { inScope: string[]; rows: Map<string, ConfigRow> } {
  const spec = input.feature.spec;
  const kind = input.environment.kind;
  const keys = Object.keys(spec.values).sort(compareBytewise);
  // 1. keys in scope: not ignored for this kind of environment
  const inScope = keys.filter((k) => !(spec.values[k]!.ignoreKind ?? []).includes(kind));

  // 2. config rows: the environment's row over the global row, for in-scope config keys only (also when there
  // are none: then nothing passes, unlike the original)
  const rows = new Map<string, ConfigRow>();
  for (const key of inScope) {
    const config = spec.values[key]!.config;
    if (config === undefined) continue;
    const envRow = ownValue(input.config.environment, key);
    const globalRow = ownValue(input.config.global, key);
    const row = envRow ?? globalRow;
    if (row === undefined) continue;
    rows.set(key, {
      value: row.value,
      source: envRow !== undefined ? 'env-config' : 'global-config',
      declaredSecret: config.secret === true,
      storedSecret: row.secret,
    });
  }

  return { inScope, rows };
}

/**
 * The data the computed templates of `input` see (`.Kind`, `.Tenant`, `.Fasit`, `.Env`, `.Envs`, `.Management`,
 * `.Configs`), in the engine's value model: for template testers and for tests. Secret values are included.
 * Throws when the config keys do not nest.
 */
export function renderContext(input: RenderInput): GoMap {
  const { rows } = scope(input);
  return templateContext(input, buildConfigMap(rows), tenantEnvironmentList(input));
}

function render(input: RenderInput, limits: Limits, shared?: SharedEnvironments): RenderResult {
  const spec = input.feature.spec;
  const kind = input.environment.kind;
  const options = input.options ?? {};
  const { inScope, rows } = scope(input);

  // 3. the config map
  const values = buildConfigMap(rows);

  // 4. the template context
  const environments = tenantEnvironmentList(input, shared);
  const context = templateContext(input, values, environments, undefined, shared && { environments: shared, variant: 'real' });

  // 5. computed values in key order; a stored config value wins (the template is its fallback)
  const functions = functionSets.fasit;
  const outputs = new Map<string, string>();
  for (const key of inScope) {
    const computed = spec.values[key]!.computed;
    if (computed === undefined || rows.has(key)) continue;
    const output = renderTemplate(key, computed, context, functions, limits);
    let parsed: unknown;
    try {
      parsed = parseTemplateOutput(output);
    } catch (e) {
      throw new RenderFailure('render-error', `${key}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const unsupported = nonJson(parsed);
    if (unsupported !== undefined) throw new RenderFailure('render-error', `${key}: json: unsupported value: ${unsupported}`);
    if (lookupValue(values, key) !== undefined) continue;
    try {
      placeValue(values, key, parsed, false);
    } catch (e) {
      throw new RenderFailure('render-error', `${key}: ${e instanceof Error ? e.message : String(e)}`);
    }
    outputs.set(key, output);
  }

  // 6. the injected block
  values['fasit'] = { tenant: { name: input.environment.tenant }, env: { name: input.environment.name, kind } };

  // 7. required keys: a stored row, or a present, non-null value
  const missing = inScope.filter((key) => {
    if (spec.values[key]!.required !== true || rows.has(key)) return false;
    const v = lookupValue(values, key);
    return v === undefined || v === null;
  });
  if (missing.length > 0) throw new RenderFailure('missing-config', `missing required chart config: ${missing.join(', ')}`);

  // provenance of every managed key
  const taint = options.secretTaint === false ? new Map<string, SecretReason>() : secretTaint(input, rows, environments, outputs, limits, shared);
  const provenance: Record<string, Provenance> = {};
  for (const key of inScope) {
    const value = spec.values[key]!;
    const row = rows.get(key);
    if (row !== undefined) {
      const secret = row.declaredSecret || row.storedSecret;
      provenance[key] = { source: row.source, secret, ...(secret ? { secretReason: row.declaredSecret ? 'declared' : 'stored-secret' } : {}) };
    } else if (outputs.has(key)) {
      const template = value.computed!.template;
      const reason: SecretReason | undefined = value.config?.secret === true ? 'declared' : taint.get(key);
      provenance[key] = {
        source: 'computed',
        template,
        secret: reason !== undefined,
        ...(reason !== undefined ? { secretReason: reason } : {}),
        references: compile(value.computed!, functions).references().fields,
      };
    } else {
      const secret = value.config?.secret === true;
      const p: Provenance = { source: 'chart-default', secret, ...(secret ? { secretReason: 'declared' as const } : {}) };
      if (input.chartValues !== undefined) {
        const d = lookupValue(input.chartValues, key);
        if (d !== undefined) p.chartDefault = cloneJson(d);
      }
      provenance[key] = p;
    }
  }
  return { ok: true, values, provenance };
}

/**
 * Secret taint by probe render (a computed value is secret when its output depends on a secret input): render every computed value twice with the deterministic function
 * set, once with the real inputs (control) and once with every secret environment value (of every environment of
 * the tenant) and every secret config replaced by `SECRET_SENTINEL` (probe; in a list or an object, every scalar is
 * replaced and the shape kept, so `range` and `index` still work on it). A value whose output differs depends
 * on a secret. When a probe render fails (the sentinel is not a valid input for that template, e.g. it replaced an
 * int that the template compares with a number), taint cannot be decided: every computed value is marked secret.
 */
function secretTaint(
  input: RenderInput,
  rows: ReadonlyMap<string, ConfigRow>,
  environments: readonly RenderEnvironment[],
  outputs: ReadonlyMap<string, string>,
  limits: Limits,
  shared?: SharedEnvironments,
): Map<string, SecretReason> {
  const tainted = new Map<string, SecretReason>();
  if (outputs.size === 0) return tainted;
  const secretRow = (row: ConfigRow): boolean => row.declaredSecret || row.storedSecret;
  const anySecret =
    [...rows.values()].some(secretRow) ||
    (shared !== undefined ? hasSecretValue(input.environment) || shared.othersHaveSecrets(input.environment) : environments.some(hasSecretValue));
  if (!anySecret) return tainted;

  const spec = input.feature.spec;
  const real = functionSets.fasit;
  const det = deterministicFunctions(real);
  try {
    withDeterministicScope(() => {
      // the control render: the real output, unless the template calls a non-deterministic function
      const control = new Map(outputs);
      let ctx: GoMap | undefined;
      for (const key of outputs.keys()) {
        const computed = spec.values[key]!.computed!;
        if (
          det === real ||
          !compile(computed, real)
            .references()
            .functions.some((f) => NONDETERMINISTIC.has(f))
        )
          continue;
        ctx ??= templateContext(input, buildConfigMap(rows), environments, undefined, shared && { environments: shared, variant: 'real' });
        control.set(key, renderTemplate(key, computed, ctx, det, limits));
      }
      const probeConfig = buildConfigMap(rows, (row) => (secretRow(row) ? sentinelFor(row.value) : row.value));
      const probeCtx = templateContext(input, probeConfig, environments, probeSubstitute, shared && { environments: shared, variant: 'probe' });
      for (const key of outputs.keys()) {
        const probe = renderTemplate(key, spec.values[key]!.computed!, probeCtx, det, limits);
        if (probe !== control.get(key)) tainted.set(key, 'tainted');
      }
    });
  } catch {
    for (const key of outputs.keys()) tainted.set(key, 'probe-failed');
  }
  return tainted;
}

export function hasSecretValue(env: RenderEnvironment): boolean {
  return Object.values(env.values).some((v) => v.secret);
}

const probeSubstitute = (stored: StoredValue): unknown => sentinelFor(stored.value);

/** The probe's stand-in for a secret value: the sentinel for a scalar; a list or object of the same shape with the
 * sentinel for every scalar in it. */
export function sentinelFor(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sentinelFor);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: sentinelFor(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return SECRET_SENTINEL;
}

/** The values with every secret key's value (a config declared or stored secret, a tainted computed value)
 * replaced by `"*****"`: what any display shows. The input is not modified. */
export function maskValues(values: Record<string, unknown>, provenance: Record<string, Provenance>): Record<string, unknown> {
  const masked = cloneJson(values) as Record<string, unknown>;
  for (const key of Object.keys(provenance).sort(compareBytewise)) {
    if (!provenance[key]!.secret || lookupValue(masked, key) === undefined) continue;
    placeValue(masked, key, MASK, true);
  }
  return masked;
}

export { canonicalJson } from '@fasit/domain';
