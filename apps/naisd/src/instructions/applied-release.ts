// How a naisd tells, from the release itself, that an instruction was applied before it started (by itself before
// a restart, or by the naisd it replaced): every revision naisd writes carries the label `fasit.dev/diid=<diid>`
// (docs/decisions/0015-applied-diids-on-the-release.md), and helm keeps a revision's labels when the upgrade fails
// and when it is superseded. Pure: the helm calls are in ReleaseAppliedInstructions.
import { DIID_LABEL } from '../helm/helm-command.builder.js';
import { PENDING_STATUSES, type HelmHistoryEntry } from '../recovery/pending-release.js';

/** What helm made of an instruction applied earlier, as its revision says. */
export interface ReleaseOutcome {
  revision: number;
  status: 'deployed' | 'failed';
  /** helm's description of a failed revision (`Upgrade "x" failed: …`); null when it deployed. */
  error: string | null;
}

/**
 * The revisions that may carry an instruction's label, newest first: those written after it was issued (less the
 * clock skew allowed between the control plane and this agent; a revision whose time is unknown is searched too).
 * A pending revision is not searched: its helm was killed, the instruction did not finish and runs again (after the
 * pending-lock recovery).
 */
export function revisionsToSearch(history: readonly HelmHistoryEntry[], issuedAt: Date, skewMs: number): HelmHistoryEntry[] {
  return history
    .filter((h) => !(PENDING_STATUSES as readonly string[]).includes(h.status))
    .filter((h) => h.updated === undefined || h.updated === null || h.updated.getTime() >= issuedAt.getTime() - skewMs)
    .sort((a, b) => b.revision - a.revision);
}

/**
 * The outcome a revision labelled with the instruction records: `deployed` for a revision that deployed (still, or
 * superseded since), `failed` with helm's description for one that failed; undefined for anything else (helm's
 * `uninstalling`, a status this agent does not know), which runs the instruction again.
 */
export function outcomeOf(entry: HelmHistoryEntry): ReleaseOutcome | undefined {
  switch (entry.status) {
    case 'deployed':
    case 'superseded':
      return { revision: entry.revision, status: 'deployed', error: null };
    case 'failed':
      return {
        revision: entry.revision,
        status: 'failed',
        error: entry.description !== undefined && entry.description !== '' ? entry.description : `revision ${entry.revision} failed`,
      };
    default:
      return undefined;
  }
}

/** The diid a revision was labelled with, from `helm get metadata --output json` (hostile input); null without one. */
export function diidOfRevision(json: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new Error(`helm get metadata output is not JSON: ${(e as Error).message}`, { cause: e });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('helm get metadata output is not an object');
  const labels = (parsed as Record<string, unknown>)['labels'];
  if (labels === undefined || labels === null) return null;
  if (typeof labels !== 'object' || Array.isArray(labels)) throw new Error('helm get metadata output: labels is not an object');
  const diid = (labels as Record<string, unknown>)[DIID_LABEL];
  if (diid === undefined) return null;
  if (typeof diid !== 'string') throw new Error(`helm get metadata output: label ${DIID_LABEL} is not a string`);
  return diid;
}
