// `reconciler.sweep_inputs` (decision 0028): per pair, the fingerprint of the inputs the sweep last decided it on,
// and when a verdict that waits on time is due. Written in the transaction of the decisions, in bulk.
import type { EntityManager } from 'typeorm';
import type { TargetPair } from '@fasit/bus';

export interface SweptPair extends TargetPair {
  fingerprint: string;
  /** When the pair must be decided again though nothing moved (a retry after its backoff, a request timing out); null for never. */
  dueAt: Date | null;
}

export class SweepInputsRepository {
  constructor(private readonly m: EntityManager) {}

  /**
   * Stores what the sweep decided the pairs on, with their newest decision as this transaction (which holds their
   * locks) leaves it: what it appended itself is not a change the next sweep need look at.
   */
  async store(pairs: SweptPair[]): Promise<void> {
    if (pairs.length === 0) return;
    await this.m.query(
      `INSERT INTO reconciler.sweep_inputs (environment_id, feature, fingerprint, decision_id, swept_at, due_at)
       SELECT p.env, p.feature, p.fingerprint, l.decision_id, now(), p.due
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) AS p(env, feature, fingerprint, due)
       LEFT JOIN reconciler.latest_decisions l ON l.environment_id = p.env AND l.feature = p.feature
       ON CONFLICT (environment_id, feature) DO UPDATE
         SET fingerprint = EXCLUDED.fingerprint, decision_id = EXCLUDED.decision_id, swept_at = EXCLUDED.swept_at, due_at = EXCLUDED.due_at`,
      [pairs.map((p) => p.environmentId), pairs.map((p) => p.feature), pairs.map((p) => p.fingerprint), pairs.map((p) => p.dueAt?.toISOString() ?? null)],
    );
  }

  /** Pairs with no winner any more: nothing of theirs is kept for the sweep. */
  async forget(pairs: TargetPair[]): Promise<void> {
    if (pairs.length === 0) return;
    await this.m.query(
      `DELETE FROM reconciler.sweep_inputs s USING unnest($1::uuid[], $2::text[]) AS p(env, feature) WHERE s.environment_id = p.env AND s.feature = p.feature`,
      [pairs.map((p) => p.environmentId), pairs.map((p) => p.feature)],
    );
  }
}
