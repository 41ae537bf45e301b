// What a batch of agent reports changes, decided in order as if each report were handled alone, one after the other:
// the dispatcher writes a pulled batch in one transaction (apps/dispatcher, `reports/`), and these rules keep its
// outcome the same as handling the reports one by one.
import type { DeployStatus } from './status.js';

/**
 * Which of `reports` append a row to the deploy log, given the statuses already `recorded` per diid: each status once
 * per diid (a redelivery, or a second copy in the batch, appends nothing), and no `installing` once the deploy
 * `deployed` or `failed` (a late `installing` would make a finished deploy look in progress again).
 */
export function statusAppends(recorded: ReadonlyMap<string, readonly DeployStatus[]>, reports: readonly { diid: string; status: DeployStatus }[]): boolean[] {
  const known = new Map<string, Set<DeployStatus>>();
  const of = (diid: string): Set<DeployStatus> => {
    let s = known.get(diid);
    if (!s) known.set(diid, (s = new Set(recorded.get(diid) ?? [])));
    return s;
  };
  return reports.map(({ diid, status }) => {
    const s = of(diid);
    if (s.has(status)) return false;
    if (status === 'installing' && (s.has('deployed') || s.has('failed'))) return false;
    s.add(status);
    return true;
  });
}

export interface RecordedInventory {
  real: boolean;
  takenAt: Date;
}

export interface InventoryOutcome {
  /** The inventory replaces the environment's recorded one. */
  applied: boolean;
  /** Its arrival is announced: it is real, or it replaced a real one (drift is then forgotten). */
  announced: boolean;
}

/**
 * What each inventory of `reports` does, given the one `recorded` per environment: an inventory taken before the one
 * recorded (delivered late or again) changes nothing; otherwise it replaces it, and is announced when it is real or
 * replaces a real one (a dry-run agent's inventories concern nobody). Several of one environment in a batch replace
 * each other in order.
 */
export function inventoryOutcomes(
  recorded: ReadonlyMap<string, RecordedInventory>,
  reports: readonly { environmentId: string; real: boolean; takenAt: Date }[],
): InventoryOutcome[] {
  const current = new Map(recorded);
  return reports.map(({ environmentId, real, takenAt }) => {
    const before = current.get(environmentId);
    if (before && before.takenAt.getTime() > takenAt.getTime()) return { applied: false, announced: false };
    current.set(environmentId, { real, takenAt });
    return { applied: true, announced: real || before?.real === true };
  });
}
