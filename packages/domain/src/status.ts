// Status derivation: what a person sees for one feature in one environment, and for an assignment overall.

export const decisionActions = [
  'deploy',
  'unchanged',
  'in-progress',
  'disabled',
  'unhealthy',
  'missing-deps',
  'missing-config',
  'render-error',
  'kind-mismatch',
  'retry-exhausted',
] as const;
export type DecisionAction = (typeof decisionActions)[number];

export type DeployStatus = 'sent' | 'installing' | 'deployed' | 'failed';
export type PairState = 'DISABLED' | 'PENDING' | 'DEPLOYED' | 'FAILED' | 'UNKNOWN';
export type AssignmentState = 'UNKNOWN' | 'PENDING' | 'DEPLOYED' | 'FAILED' | 'DISABLED' | 'NO_TARGETS';

export interface PairFacts {
  disabled: boolean;
  /** The reconciler's latest decision for this pair and assignment, if any. */
  decision?: { action: DecisionAction; message: string; at: Date } | undefined;
  /** The latest deploy status for this pair, if it belongs to this assignment. */
  deploy?: { status: DeployStatus; at: Date; error?: string | null } | undefined;
}

const failing: ReadonlySet<DecisionAction> = new Set(['render-error', 'missing-config', 'missing-deps', 'kind-mismatch', 'retry-exhausted']);

/**
 * DISABLED wins; then a failing decision that is newer than the latest deploy status (so a render error after
 * an old successful deploy is not hidden); then the deploy status; then the decision.
 */
export function pairState(f: PairFacts): { state: PairState; message: string } {
  if (f.disabled) return { state: 'DISABLED', message: 'disabled in this environment' };
  const d = f.decision;
  if (d && failing.has(d.action) && (!f.deploy || d.at >= f.deploy.at)) return { state: 'FAILED', message: d.message };
  if (f.deploy) {
    switch (f.deploy.status) {
      case 'deployed':
        return { state: 'DEPLOYED', message: 'deployed' };
      case 'failed':
        return { state: 'FAILED', message: f.deploy.error ?? 'deploy failed' };
      case 'sent':
        return { state: 'PENDING', message: 'instruction sent to the agent' };
      case 'installing':
        return { state: 'PENDING', message: 'the agent is installing' };
    }
  }
  if (!d) return { state: 'UNKNOWN', message: 'no decision yet' };
  switch (d.action) {
    case 'disabled':
      return { state: 'DISABLED', message: d.message };
    case 'deploy':
    case 'in-progress':
    case 'unhealthy':
      return { state: 'PENDING', message: d.message };
    case 'unchanged':
      return { state: 'UNKNOWN', message: d.message };
    case 'render-error':
    case 'missing-config':
    case 'missing-deps':
    case 'kind-mismatch':
    case 'retry-exhausted':
      return { state: 'FAILED', message: d.message };
  }
}

/** Aggregate over the environments where the assignment is the winner. */
export function assignmentState(states: readonly PairState[]): AssignmentState {
  if (states.length === 0) return 'NO_TARGETS';
  if (states.every((s) => s === 'UNKNOWN')) return 'UNKNOWN';
  if (states.every((s) => s === 'DISABLED')) return 'DISABLED';
  if (states.includes('FAILED')) return 'FAILED';
  if (states.every((s) => s === 'DEPLOYED' || s === 'DISABLED')) return 'DEPLOYED';
  return 'PENDING';
}
