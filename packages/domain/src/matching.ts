// Most specific wins: among the active assignments of one feature that match an environment, the one with the
// most target labels wins; on equal count the newest; on equal time the smallest id (deterministic, unlike
// the original). Ties between different label sets of equal size are reported as conflicts.
import { matches, type Labels } from './labels.js';

export interface AssignmentRef {
  id: string;
  feature: string;
  target: Labels;
  /** ISO timestamp or epoch millis; compared as time. */
  createdAt: Date;
}

export interface Selection<A extends AssignmentRef> {
  winner: A;
  /** Other matching assignments with as many target labels as the winner but a different target. */
  conflicts: A[];
}

export function compareSpecificity(a: AssignmentRef, b: AssignmentRef): number {
  const byCount = Object.keys(b.target).length - Object.keys(a.target).length;
  if (byCount !== 0) return byCount;
  const byTime = b.createdAt.getTime() - a.createdAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The winning assignment per feature for one environment's labels. */
export function selectWinners<A extends AssignmentRef>(assignments: Iterable<A>, labels: Labels): Map<string, Selection<A>> {
  const byFeature = new Map<string, A[]>();
  for (const a of assignments) {
    if (!matches(a.target, labels)) continue;
    const list = byFeature.get(a.feature);
    if (list) list.push(a);
    else byFeature.set(a.feature, [a]);
  }
  const out = new Map<string, Selection<A>>();
  for (const [feature, list] of byFeature) {
    list.sort(compareSpecificity);
    const winner = list[0]!;
    const n = Object.keys(winner.target).length;
    const key = canonicalLabels(winner.target);
    const conflicts = list.slice(1).filter((a) => Object.keys(a.target).length === n && canonicalLabels(a.target) !== key);
    out.set(feature, { winner, conflicts });
  }
  return out;
}

export function canonicalLabels(l: Labels): string {
  return JSON.stringify(
    Object.keys(l)
      .sort()
      .map((k) => [k, l[k]]),
  );
}
