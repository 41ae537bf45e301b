// What to do with a release a killed helm left locked. helm marks a release `pending-install`, `pending-upgrade`
// or `pending-rollback` while it works and refuses every later operation on it ("another operation
// (install/upgrade/rollback) is in progress") until the mark goes; a helm killed mid-operation (a crashed or
// evicted naisd, a kill after the timeout) never removes it. naisd runs helm one at a time and is the only
// writer of its releases, so a pending mark seen before its own operation was left by a dead helm. Pure.

export const PENDING_STATUSES = ['pending-install', 'pending-upgrade', 'pending-rollback'] as const;

/** Statuses of a revision that once ran in the cluster: a rollback target. */
const ONCE_DEPLOYED = ['deployed', 'superseded'];

export interface HelmHistoryEntry {
  revision: number;
  status: string;
  /** When helm wrote the revision (null when helm's text is not a time). */
  updated?: Date | null;
  /** helm's description: `Install complete`, `Upgrade "x" failed: …`, `Rollback to 1`. */
  description?: string;
}

export type PendingRecovery =
  | { kind: 'none' }
  /** Roll back to the last revision that was deployed. */
  | { kind: 'rollback'; pendingRevision: number; pendingStatus: string; toRevision: number }
  /** Nothing of it ever deployed: remove it, the next install starts afresh. */
  | { kind: 'uninstall'; pendingRevision: number; pendingStatus: string };

export function pendingRecovery(history: readonly HelmHistoryEntry[]): PendingRecovery {
  const latest = history.reduce<HelmHistoryEntry | undefined>((a, h) => (a === undefined || h.revision > a.revision ? h : a), undefined);
  if (latest === undefined || !(PENDING_STATUSES as readonly string[]).includes(latest.status)) return { kind: 'none' };
  const earlier = history.filter((h) => h.revision < latest.revision);
  // The revision still marked deployed, else the newest that once was (a failed upgrade marks none deployed).
  const target =
    earlier.find((h) => h.status === 'deployed') ??
    earlier
      .filter((h) => ONCE_DEPLOYED.includes(h.status))
      .reduce<HelmHistoryEntry | undefined>((a, h) => (a === undefined || h.revision > a.revision ? h : a), undefined);
  if (target === undefined) return { kind: 'uninstall', pendingRevision: latest.revision, pendingStatus: latest.status };
  return { kind: 'rollback', pendingRevision: latest.revision, pendingStatus: latest.status, toRevision: target.revision };
}

/** `helm history --output json`, read as hostile input: an array of objects with an integer revision and a status. */
export function parseHelmHistory(json: string): HelmHistoryEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new Error(`helm history output is not JSON: ${(e as Error).message}`, { cause: e });
  }
  if (!Array.isArray(parsed)) throw new Error('helm history output is not a list');
  return parsed.map((entry: unknown, i) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const revision = e['revision'];
    const status = e['status'];
    if (typeof revision !== 'number' || !Number.isInteger(revision) || revision < 1)
      throw new Error(`helm history entry ${i}: revision is not a positive integer`);
    if (typeof status !== 'string') throw new Error(`helm history entry ${i}: status is not a string`);
    const updated = typeof e['updated'] === 'string' ? new Date(e['updated']) : null;
    return {
      revision,
      status,
      updated: updated !== null && !Number.isNaN(updated.getTime()) ? updated : null,
      description: typeof e['description'] === 'string' ? e['description'] : '',
    };
  });
}
