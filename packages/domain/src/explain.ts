// Why a feature is or is not in an environment, as pure rules over what is known: which matching assignment
// wins and why each other one lost, and when the next retry of a failed deploy is due.
import { canonicalLabels, compareSpecificity, type AssignmentRef } from './matching.js';
import { matches } from './labels.js';
import type { RetryPolicy } from './decide.js';

export interface RankedAssignment<A extends AssignmentRef> {
  assignment: A;
  /** `winner`, or why it lost to the winner. */
  outcome: 'winner' | 'fewer-labels' | 'older' | 'tie-by-id';
  reason: string;
  /** Same number of target labels as the winner but another target: a conflict the rule had to break. */
  conflict: boolean;
}

/**
 * Every active assignment of one feature whose target the labels contain, most specific first (the rule of
 * `selectWinners`: more target labels, then newer, then the smaller id), each with why it won or lost.
 */
export function rankMatches<A extends AssignmentRef>(assignments: Iterable<A>, labels: Record<string, string>): RankedAssignment<A>[] {
  const list = [...assignments].filter((a) => matches(a.target, labels)).sort(compareSpecificity);
  const winner = list[0];
  if (winner === undefined) return [];
  const n = Object.keys(winner.target).length;
  return list.map((a, i): RankedAssignment<A> => {
    const count = Object.keys(a.target).length;
    const conflict = i > 0 && count === n && canonicalLabels(a.target) !== canonicalLabels(winner.target);
    if (i === 0) return { assignment: a, outcome: 'winner', reason: `the most specific match (${plural(count, 'target label')})`, conflict: false };
    if (count < n)
      return { assignment: a, outcome: 'fewer-labels', reason: `less specific: ${plural(count, 'target label')} against the winner's ${n}`, conflict };
    if (a.createdAt.getTime() < winner.createdAt.getTime())
      return { assignment: a, outcome: 'older', reason: `as specific as the winner (${plural(n, 'target label')}) but created earlier`, conflict };
    return { assignment: a, outcome: 'tie-by-id', reason: 'as specific and as new as the winner; the smaller id wins the tie', conflict };
  });
}

export interface RetryOutlook {
  /** Consecutive failed deploys of the current desired state. */
  failures: number;
  maxAttempts: number;
  /** When the next automatic retry is due (null: none is due: nothing failed, or the retries are used up). */
  nextAt: Date | null;
  exhausted: boolean;
}

/** The retry rule of `decide`: n failures → retry n after baseDelayMs × 2^(n-1), at most maxAttempts retries. */
export function retryOutlook(failures: number, lastFailureAt: Date | null, policy: RetryPolicy): RetryOutlook {
  if (failures === 0 || lastFailureAt === null) return { failures, maxAttempts: policy.maxAttempts, nextAt: null, exhausted: false };
  if (failures > policy.maxAttempts) return { failures, maxAttempts: policy.maxAttempts, nextAt: null, exhausted: true };
  return { failures, maxAttempts: policy.maxAttempts, nextAt: new Date(lastFailureAt.getTime() + policy.baseDelayMs * 2 ** (failures - 1)), exhausted: false };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
