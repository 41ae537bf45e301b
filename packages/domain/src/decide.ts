// The reconciler's verdict for one (environment, feature), as a pure function of what it knows. Order matters:
// the first rule that applies wins.
import type { DriftKind, DriftPolicy } from './drift.js';
import type { DecisionAction, DeployStatus } from './status.js';

export interface Dependency {
  allOf?: string[];
  anyOf?: string[];
}

export interface RetryPolicy {
  /** Automatic deploys of the same desired state after it failed (retries; the first deploy is not one). */
  maxAttempts: number;
  /** Wait before retry n: baseDelayMs * 2^(n-1). */
  baseDelayMs: number;
}

export interface DecisionInput {
  now: Date;
  /** environment.reconcile is on */
  reconcile: boolean;
  disabled: boolean;
  environmentKind: string;
  featureKinds: readonly string[];
  /** Last heartbeat of the environment's agent. */
  agentSeenAt: Date | null;
  healthWindowMs: number;
  dependencies: readonly Dependency[];
  /** Features whose latest deploy status in this environment is `deployed`. */
  deployedFeatures: ReadonlySet<string>;
  render: { ok: true; hash: string } | { ok: false; action: 'render-error' | 'missing-config'; message: string };
  latestDeploy: { diid: string; status: DeployStatus; hash: string; at: Date } | null;
  /** The last deploy this reconciler requested, if the dispatcher has not recorded it yet. */
  pendingRequest: { diid: string; hash: string; at: Date } | null;
  requestTimeoutMs: number;
  /** Consecutive failed deploys of the current hash, and when the last one failed. */
  failures: { count: number; lastAt: Date | null };
  retry: RetryPolicy;
  /** An operator asked for a redeploy. */
  force: boolean;
  /**
   * Drift of what runs from the deploy of the current desired state (`classifyDrift`), with the environment's policy
   * and the corrections (redeploys) already made since it was first seen; absent or null when there is none.
   */
  drift?: DriftFacts | null;
}

export interface DriftFacts {
  kind: DriftKind;
  message: string;
  policy: DriftPolicy;
  corrections: { count: number; lastAt: Date | null };
}

export interface Decision {
  action: DecisionAction;
  message: string;
  /** The deploy redeploys to correct drift (the caller counts it against the drift). */
  correctsDrift?: true;
  /**
   * The verdict waits on time, not on a change: from this time on, the same inputs decide otherwise (a retry after
   * its backoff, a request the dispatcher never recorded). The reconciler's sweep decides the pair again then.
   */
  recheckAt?: Date;
}

export function missingDependencies(deps: readonly Dependency[], deployed: ReadonlySet<string>): string[] {
  const missing: string[] = [];
  for (const d of deps) {
    for (const f of d.allOf ?? []) if (!deployed.has(f)) missing.push(f);
    if (d.anyOf && d.anyOf.length > 0 && !d.anyOf.some((f) => deployed.has(f))) missing.push(`one of ${d.anyOf.join('|')}`);
  }
  return [...new Set(missing)];
}

export function decide(i: DecisionInput): Decision {
  if (!i.reconcile) return { action: 'disabled', message: 'reconciliation is switched off for this environment' };
  if (i.disabled) return { action: 'disabled', message: 'the feature is disabled in this environment' };
  if (!i.featureKinds.includes(i.environmentKind)) {
    return { action: 'kind-mismatch', message: `the feature runs in ${i.featureKinds.join(', ')} environments, not ${i.environmentKind}` };
  }
  if (!i.agentSeenAt || i.now.getTime() - i.agentSeenAt.getTime() > i.healthWindowMs) {
    return { action: 'unhealthy', message: i.agentSeenAt ? `naisd is unhealthy: last heartbeat ${i.agentSeenAt.toISOString()}` : 'naisd has not reported yet' };
  }
  const missing = missingDependencies(i.dependencies, i.deployedFeatures);
  if (missing.length > 0) return { action: 'missing-deps', message: `missing dependencies: ${missing.join(', ')}` };
  if (!i.render.ok) return { action: i.render.action, message: i.render.message };
  const hash = i.render.hash;
  const d = i.latestDeploy;
  if (d && (d.status === 'sent' || d.status === 'installing')) return { action: 'in-progress', message: `deploy ${d.diid} is ${d.status}` };
  const p = i.pendingRequest;
  if (p && (!d || d.diid !== p.diid) && i.now.getTime() - p.at.getTime() < i.requestTimeoutMs) {
    return {
      action: 'in-progress',
      message: `deploy ${p.diid} requested, waiting for the dispatcher`,
      recheckAt: new Date(p.at.getTime() + i.requestTimeoutMs),
    };
  }
  if (i.force) return { action: 'deploy', message: 'redeploy requested' };
  if (d && d.hash === hash) {
    if (d.status === 'deployed') {
      if (i.drift?.policy === 'correct') return correctDrift(i.now, i.drift, i.retry);
      return { action: 'unchanged', message: 'desired state is deployed' };
    }
    // n failed deploys of this desired state: the first deploy and n - 1 retries. Retry n is due after
    // baseDelayMs * 2^(n-1); after maxAttempts retries have failed too, stop.
    const n = Math.max(1, i.failures.count);
    if (n > i.retry.maxAttempts) {
      return { action: 'retry-exhausted', message: `failed ${n} times with this desired state; change it or request a redeploy` };
    }
    const wait = i.retry.baseDelayMs * 2 ** (n - 1);
    const lastAt = i.failures.lastAt ?? d.at;
    if (i.now.getTime() - lastAt.getTime() < wait) {
      // The message names the time, not the time left, so deciding again while waiting changes nothing.
      const due = new Date(lastAt.getTime() + wait);
      return { action: 'unchanged', message: `deploy failed; retry ${n} of ${i.retry.maxAttempts} at ${due.toISOString()}`, recheckAt: due };
    }
    return { action: 'deploy', message: `retry ${n} of ${i.retry.maxAttempts} after a failed deploy` };
  }
  return { action: 'deploy', message: d ? 'desired state changed' : 'first deploy' };
}

/**
 * Drift under the `correct` policy: redeploy, bounded by the retry policy. A redeploy that succeeded but left the
 * drift in place (something in the cluster keeps changing it back) is tried again after baseDelayMs * 2^(n-1), at
 * most max(1, maxAttempts) times, then given up as `retry-exhausted` until the drift clears, the desired state
 * changes or an operator redeploys. A redeploy that fails is a failed deploy: the failed-deploy retries above apply.
 */
function correctDrift(now: Date, drift: DriftFacts, retry: RetryPolicy): Decision {
  const max = Math.max(1, retry.maxAttempts);
  const n = drift.corrections.count;
  const what = `drift (${drift.kind}): ${drift.message}`;
  if (n >= max) return { action: 'retry-exhausted', message: `${what}; still there after ${n} corrections: change the desired state or request a redeploy` };
  if (n > 0 && drift.corrections.lastAt) {
    const due = drift.corrections.lastAt.getTime() + retry.baseDelayMs * 2 ** (n - 1);
    if (now.getTime() < due)
      return { action: 'unchanged', message: `${what}; correction ${n + 1} of ${max} at ${new Date(due).toISOString()}`, recheckAt: new Date(due) };
  }
  return { action: 'deploy', message: `correcting ${what}${n > 0 ? ` (correction ${n + 1} of ${max})` : ''}`, correctsDrift: true };
}
