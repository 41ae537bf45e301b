// `reconciler.drift`: per (environment, feature), the drift the reconciler last saw in a real inventory, since when,
// and the corrections made for the deployed desired state. Every query of it lives here.
import type { EntityManager } from 'typeorm';
import type { TargetPair } from '@fasit/bus';

export interface DriftRecord extends TargetPair {
  kind: string;
  message: string;
  policy: string;
  /** The desired-state hash of the deploy the drift is against: `since` restarts when it changes. */
  hash: string;
  checkedAt: Date;
  corrections: number;
  lastCorrectionAt: Date | null;
}

export class DriftRepository {
  constructor(private readonly m: EntityManager) {}

  async record(d: DriftRecord): Promise<void> {
    await this.m.query(
      `INSERT INTO reconciler.drift (environment_id, feature, kind, message, policy, hash, since, checked_at, corrections, last_correction_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)
       ON CONFLICT (environment_id, feature) DO UPDATE SET kind = EXCLUDED.kind, message = EXCLUDED.message, policy = EXCLUDED.policy,
         since = CASE WHEN reconciler.drift.hash = EXCLUDED.hash THEN reconciler.drift.since ELSE EXCLUDED.since END,
         hash = EXCLUDED.hash, checked_at = EXCLUDED.checked_at, corrections = EXCLUDED.corrections, last_correction_at = EXCLUDED.last_correction_at`,
      [d.environmentId, d.feature, d.kind, d.message, d.policy, d.hash, d.checkedAt, d.corrections, d.lastCorrectionAt],
    );
  }

  async clear(p: TargetPair): Promise<void> {
    await this.m.query(`DELETE FROM reconciler.drift WHERE environment_id = $1 AND feature = $2`, [p.environmentId, p.feature]);
  }

  /** How many pairs drift, per kind. */
  async countByKind(): Promise<{ kind: string; n: number }[]> {
    return this.m.query<{ kind: string; n: number }[]>(`SELECT kind, count(*)::int AS n FROM reconciler.drift GROUP BY kind`);
  }
}
