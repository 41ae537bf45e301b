// The reconciler's decisions (`reconciler.decisions`, append-only) and the advisory locks that serialize deciding:
// one per (environment, feature) pair for a transaction, one per session for the periodic sweep. Every query of them
// lives here; `ReconcileService` holds the rules. Built on an EntityManager (a transaction's, or a session's).
import type { EntityManager } from 'typeorm';
import type { Decision } from '@fasit/domain';

export interface NewDecision {
  environmentId: string;
  feature: string;
  assignmentId: string;
  featureVersion: string;
  action: Decision['action'];
  message: string;
  hash: string | null;
  diid: string | null;
  /** The rendered values with secrets masked, as JSON. */
  maskedValues: string | null;
  sealedValues: string | null;
  /** Where each value came from, as JSON. */
  provenance: string | null;
  valuesHash: string | null;
}

export class DecisionRepository {
  constructor(private readonly m: EntityManager) {}

  /**
   * Locks the pairs for this transaction, in one statement, in sorted order (every batch locks in the same order, so
   * two batches cannot deadlock).
   */
  async lockPairs(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.m.query(`SELECT count(pg_advisory_xact_lock(hashtext('fasit-reconcile:' || k))) FROM (SELECT unnest($1::text[]) AS k ORDER BY 1) AS sorted`, [
      keys,
    ]);
  }

  /** The sweep's session lock (held from its first batch to its last); false when another replica holds it. */
  async trySweepLock(): Promise<boolean> {
    const [row] = await this.m.query<[{ ok: boolean }]>(`SELECT pg_try_advisory_lock(hashtext('fasit-reconcile-sweep')) AS ok`);
    return row.ok;
  }

  async releaseSweepLock(): Promise<void> {
    await this.m.query(`SELECT pg_advisory_unlock(hashtext('fasit-reconcile-sweep'))`);
  }

  async append(d: NewDecision): Promise<void> {
    await this.m.query(
      `INSERT INTO reconciler.decisions (environment_id, feature, assignment_id, feature_version, action, message, hash, diid, values, sealed_values, provenance, values_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        d.environmentId,
        d.feature,
        d.assignmentId,
        d.featureVersion,
        d.action,
        d.message,
        d.hash,
        d.diid,
        d.maskedValues,
        d.sealedValues,
        d.provenance,
        d.valuesHash,
      ],
    );
  }
}
