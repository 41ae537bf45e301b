// Drift: what runs in an environment differs from what Fasit deployed there, behind Fasit's back. A pure function of
// the environment's last inventory (naisd's report of the releases helm holds) and the pair's last deploy.

/** What differs: the release is gone, runs another chart version, holds other values, or is stuck mid-operation. */
export const driftKinds = ['missing', 'version', 'values', 'stuck'] as const;
export type DriftKind = (typeof driftKinds)[number];

/** Per environment: `report` records and shows drift; `correct` also redeploys what Fasit deployed. */
export const driftPolicies = ['report', 'correct'] as const;
export type DriftPolicy = (typeof driftPolicies)[number];
export const DEFAULT_DRIFT_POLICY: DriftPolicy = 'report';

export function isDriftPolicy(v: unknown): v is DriftPolicy {
  return typeof v === 'string' && (driftPolicies as readonly string[]).includes(v);
}

export interface DriftInput {
  now: Date;
  /** The environment's last inventory: whether naisd ran on a cluster (real) and when it arrived; null if none yet. */
  inventory: { real: boolean; at: Date } | null;
  /** The pair's release as that inventory lists it (helm's status; the values hash only in a real inventory); null when absent. */
  release: { chartVersion: string; status: string; valuesHash: string | null; lastDeployed: Date | null } | null;
  /** What Fasit says runs: the pair's latest deploy when it succeeded, with the version and the values hash it deployed; null otherwise. */
  deployed: { version: string; valuesHash: string | null; at: Date } | null;
  /** A deploy of the pair is requested, sent or installing. */
  inFlight: boolean;
  /** How long a release may stay pending or failed (someone's helm may still be running) before it reads as stuck. */
  stuckGraceMs: number;
}

/**
 * `drift`: the cluster differs; `none`: a fresh real inventory agrees with the deploy; `unknown`: nothing to compare
 * (no real inventory, one older than the deploy, a deploy in flight, nothing deployed), which leaves what was known.
 */
export type DriftVerdict =
  | { state: 'drift'; kind: DriftKind; message: string }
  | { state: 'none' }
  /** `recheckAt`: from then on the same inventory says otherwise (a pending release within the grace time turns stuck). */
  | { state: 'unknown'; reason: string; recheckAt?: Date };

const PENDING_OR_FAILED = /^(pending-.*|failed|uninstalling|unknown)$/;

export function classifyDrift(i: DriftInput): DriftVerdict {
  const inv = i.inventory;
  if (!inv) return { state: 'unknown', reason: 'no inventory yet' };
  if (!inv.real) return { state: 'unknown', reason: 'the agent runs without a cluster: its inventory is not real' };
  if (i.inFlight) return { state: 'unknown', reason: 'a deploy is in flight' };
  const d = i.deployed;
  if (!d) return { state: 'unknown', reason: 'nothing deployed to compare with' };
  // An inventory taken before the deploy settled may not show it yet.
  if (inv.at.getTime() <= d.at.getTime()) return { state: 'unknown', reason: 'no inventory since the last deploy' };
  const r = i.release;
  if (!r || r.status === 'uninstalled')
    return { state: 'drift', kind: 'missing', message: `the release is missing from the cluster; Fasit deployed version ${d.version}` };
  if (PENDING_OR_FAILED.test(r.status)) {
    const since = r.lastDeployed ?? d.at;
    if (i.now.getTime() - since.getTime() < i.stuckGraceMs)
      return { state: 'unknown', reason: `the release is ${r.status}, within the grace time`, recheckAt: new Date(since.getTime() + i.stuckGraceMs) };
    return { state: 'drift', kind: 'stuck', message: `the release is ${r.status} since ${since.toISOString()} with no deploy in flight` };
  }
  if (r.chartVersion !== d.version)
    return { state: 'drift', kind: 'version', message: `the cluster runs version ${r.chartVersion}; Fasit deployed ${d.version}` };
  if (d.valuesHash !== null && r.valuesHash !== null && r.valuesHash !== d.valuesHash) {
    return { state: 'drift', kind: 'values', message: 'the values helm holds differ from the values Fasit deployed' };
  }
  return { state: 'none' };
}
