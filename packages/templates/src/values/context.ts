// The data a computed template sees (reference 4.1 step 4), in the engine's Go value model.
import { fromJson } from '../engine/index.js';
import { compareBytewise, type GoMap, type GoValue } from '../value.js';
import type { RenderEnvironment, RenderInput, StoredValue } from './render-values.js';

/** Replaces a secret input's value (the taint probe); the identity for the real render. */
export type SecretSubstitute = (stored: StoredValue) => unknown;

export const MANAGEMENT_KIND = 'management';

function setEntry(m: GoMap, key: string, value: GoValue): void {
  // defineProperty keeps a "__proto__" key an ordinary entry
  if (key === '__proto__') Object.defineProperty(m, key, { value, enumerable: true, writable: true, configurable: true });
  else m[key] = value;
}

/** `.Env`-shaped map of one environment: its values JSON-decoded, then `name`, `kind` and `labels` (these win). */
export function environmentMap(env: RenderEnvironment, substitute?: SecretSubstitute): GoMap {
  const m: GoMap = {};
  for (const key of Object.keys(env.values).sort(compareBytewise)) {
    const stored = env.values[key]!;
    const raw = substitute !== undefined && stored.secret ? substitute(stored) : stored.value;
    setEntry(m, key, fromJson(raw));
  }
  setEntry(m, 'name', env.name);
  setEntry(m, 'kind', env.kind);
  setEntry(m, 'labels', fromJson(env.labels ?? {}));
  return m;
}

function byName(a: RenderEnvironment, b: RenderEnvironment): number {
  return compareBytewise(a.name, b.name) || compareBytewise(a.id, b.id);
}

/** The tenant's environments with the environment itself included once (by id), sorted by name. */
export function tenantEnvironmentList(input: RenderInput): RenderEnvironment[] {
  const seen = new Map<string, RenderEnvironment>();
  for (const e of input.tenantEnvironments) {
    if (e.tenant === input.environment.tenant) seen.set(e.id, e);
  }
  seen.set(input.environment.id, input.environment);
  return [...seen.values()].sort(byName);
}

/**
 * The template context: `.Kind`, `.Tenant.Name`, `.Fasit`, `.Env`, `.Envs` (every non-management environment of
 * the tenant, this one included, by name), `.Management` (the management environment; the last by name if
 * several; an empty map if none, like Go's nil map), `.Configs` (a copy of the config map).
 */
export function templateContext(
  input: RenderInput,
  configMap: Record<string, unknown>,
  environments: readonly RenderEnvironment[],
  substitute?: SecretSubstitute,
): GoMap {
  const env = environmentMap(input.environment, substitute);
  const envs: GoValue[] = [];
  let management: GoMap = {};
  for (const e of environments) {
    const m = e.id === input.environment.id ? env : environmentMap(e, substitute);
    if (e.kind === MANAGEMENT_KIND) management = m;
    else envs.push(m);
  }
  const ctx: GoMap = {};
  setEntry(ctx, 'Kind', input.environment.kind);
  setEntry(ctx, 'Tenant', { Name: input.environment.tenant });
  setEntry(ctx, 'Fasit', fromJson(input.fasit ?? {}));
  setEntry(ctx, 'Env', env);
  setEntry(ctx, 'Envs', envs);
  setEntry(ctx, 'Management', management);
  setEntry(ctx, 'Configs', fromJson(configMap));
  return ctx;
}
