// The data a computed template sees (step 4 of the rendering rules in this package's README), in the engine's Go value model.
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
export function tenantEnvironmentList(input: RenderInput, shared?: SharedEnvironments): RenderEnvironment[] {
  if (shared !== undefined) return shared.listFor(input.environment);
  const seen = new Map<string, RenderEnvironment>();
  for (const e of input.tenantEnvironments) {
    if (e.tenant === input.environment.tenant) seen.set(e.id, e);
  }
  seen.set(input.environment.id, input.environment);
  return [...seen.values()].sort(byName);
}

/** How an environment appears to templates: its real values, or the taint probe's (every secret a sentinel). */
export type EnvironmentVariant = 'real' | 'probe';

/**
 * A tenant's environments shared by many renders (a render worker keeps one per reconciler batch): sorted once,
 * and each environment's `.Envs` map built once per variant instead of once per render. The shared maps are
 * frozen, so a template that tries to change one (Sprig's `set` on an element of `.Envs`) fails instead of
 * leaking the change into the next render; renderValues then renders again on fresh maps (see `renderValues`).
 */
export class SharedEnvironments {
  private readonly sorted = new Map<string, RenderEnvironment[]>();
  private readonly secretBearing = new Map<string, Set<string>>();
  private readonly maps: Record<EnvironmentVariant, WeakMap<RenderEnvironment, GoMap>> = { real: new WeakMap(), probe: new WeakMap() };

  constructor(
    readonly environments: readonly RenderEnvironment[],
    private readonly substitutes: Record<EnvironmentVariant, SecretSubstitute | undefined>,
  ) {}

  /** As tenantEnvironmentList: the tenant's environments by name, with `environment` in place of its stored self. */
  listFor(environment: RenderEnvironment): RenderEnvironment[] {
    let base = this.sorted.get(environment.tenant);
    if (base === undefined) {
      base = this.environments.filter((e) => e.tenant === environment.tenant).sort(byName);
      this.sorted.set(environment.tenant, base);
    }
    const out: RenderEnvironment[] = [];
    let placed = false;
    for (const e of base) {
      if (e.id === environment.id) continue;
      if (!placed && byName(environment, e) < 0) {
        out.push(environment);
        placed = true;
      }
      out.push(e);
    }
    if (!placed) out.push(environment);
    return out;
  }

  /** Whether an environment of `environment`'s tenant other than itself has a secret value. */
  othersHaveSecrets(environment: RenderEnvironment): boolean {
    let ids = this.secretBearing.get(environment.tenant);
    if (ids === undefined) {
      ids = new Set(this.environments.filter((e) => e.tenant === environment.tenant && Object.values(e.values).some((v) => v.secret)).map((e) => e.id));
      this.secretBearing.set(environment.tenant, ids);
    }
    return ids.size > (ids.has(environment.id) ? 1 : 0);
  }

  /** The frozen `.Envs` map of a shared environment. */
  map(env: RenderEnvironment, variant: EnvironmentVariant): GoMap {
    let m = this.maps[variant].get(env);
    if (m === undefined) {
      m = deepFreeze(environmentMap(env, this.substitutes[variant]));
      this.maps[variant].set(env, m);
    }
    return m;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * The template context: `.Kind`, `.Tenant.Name`, `.Fasit`, `.Env`, `.Envs` (every non-management environment of
 * the tenant, this one included, by name), `.Management` (the management environment; the last by name if
 * several; an empty map if none, like Go's nil map), `.Configs` (a copy of the config map). `.Env` is always built
 * afresh; the other environments' maps come from `shared` when given.
 */
export function templateContext(
  input: RenderInput,
  configMap: Record<string, unknown>,
  environments: readonly RenderEnvironment[],
  substitute?: SecretSubstitute,
  shared?: { environments: SharedEnvironments; variant: EnvironmentVariant },
): GoMap {
  const env = environmentMap(input.environment, substitute);
  const envs: GoValue[] = [];
  let management: GoMap = {};
  for (const e of environments) {
    const m = e.id === input.environment.id ? env : shared !== undefined ? shared.environments.map(e, shared.variant) : environmentMap(e, substitute);
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
