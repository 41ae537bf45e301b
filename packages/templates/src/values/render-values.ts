// Rendering the Helm values Fasit manages for one (feature version, environment), reference section 4.1:
// per-environment config > global config > computed template > chart default (helm applies the chart default
// itself), `ignoreKind`, the injected `fasit` block, `required` checks listing every missing key.

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
  tenantEnvironments: RenderEnvironment[];
  config: { global: Record<string, StoredValue>; environment: Record<string, StoredValue> };
  /** Process-wide values exposed to templates as `.Fasit`. */
  fasit?: Record<string, unknown>;
}

export type ValueSource = 'env-config' | 'global-config' | 'computed' | 'chart-default';

export interface Provenance {
  source: ValueSource;
  /** For `computed`: the template that produced the value. */
  template?: string;
  /** The value is secret, or derived from a secret input. */
  secret: boolean;
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
