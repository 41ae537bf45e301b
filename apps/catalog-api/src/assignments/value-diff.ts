// The value diff of a preview: the values the reconciler would render for an environment before and after an
// assignment change (with @fasit/templates, the renderer the reconciler uses), compared per managed key. Secret
// keys show as the mask on both sides; a change is still reported.
import {
  canonicalJson,
  lookupValue,
  MASK,
  renderValues,
  type RenderEnvironment,
  type RenderFeatureSpec,
  type SharedEnvironments,
  type StoredValue,
} from '@fasit/templates';

export interface ValueChange {
  key: string;
  change: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
  secret: boolean;
}

export type ValueDiff = { ok: true; changes: ValueChange[] } | { ok: false; action: string; message: string };

export interface DiffInput {
  feature: string;
  environment: RenderEnvironment;
  tenantEnvironments: readonly RenderEnvironment[];
  /** The tenant's environments shared by the renders of one preview (`shareEnvironments(tenantEnvironments)`). */
  shared?: SharedEnvironments;
  config: { global: Record<string, StoredValue>; environment: Record<string, StoredValue> };
  /** The spec of the version winning now (null: nothing is deployed by Fasit yet). */
  before: RenderFeatureSpec | null;
  after: RenderFeatureSpec;
}

export function valueDiff(input: DiffInput): ValueDiff {
  const render = (spec: RenderFeatureSpec) =>
    renderValues(
      { feature: { name: input.feature, spec }, environment: input.environment, tenantEnvironments: input.tenantEnvironments, config: input.config },
      input.shared,
    );
  const after = render(input.after);
  if (!after.ok) return { ok: false, action: after.action, message: after.message };
  const before = input.before ? render(input.before) : null;
  const beforeValues = before?.ok ? before.values : {};
  const beforeProv = before?.ok ? before.provenance : {};
  const keys = [...new Set([...Object.keys(beforeProv), ...Object.keys(after.provenance)])].sort();
  const changes: ValueChange[] = [];
  for (const key of keys) {
    const b = key in beforeProv ? lookupValue(beforeValues, key) : undefined;
    const a = key in after.provenance ? lookupValue(after.values, key) : undefined;
    if (b === undefined && a === undefined) continue;
    if (b !== undefined && a !== undefined && canonicalJson(b) === canonicalJson(a)) continue;
    const secret = (beforeProv[key]?.secret ?? false) || (after.provenance[key]?.secret ?? false);
    const show = (v: unknown) => (secret ? MASK : v);
    changes.push({
      key,
      change: b === undefined ? 'added' : a === undefined ? 'removed' : 'changed',
      ...(b !== undefined ? { before: show(b) } : {}),
      ...(a !== undefined ? { after: show(a) } : {}),
      secret,
    });
  }
  return { ok: true, changes };
}
