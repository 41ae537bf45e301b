import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `reconciler.drift`: per (environment, feature), the drift last seen between a real inventory and what Fasit
 * deployed (`classifyDrift` of @fasit/domain), under which policy, since when, and how many redeploys corrected it
 * (the `correct` policy, bounded by the retry policy). A row is current state, not history: it goes when a real
 * inventory agrees again. Published read-only as `reconciler_api.drift` (catalog-api's explain and environment
 * features read it).
 */
export class ReconcilerDrift1734300000000 implements MigrationInterface {
  name = 'ReconcilerDrift1734300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE reconciler.drift (
      environment_id uuid NOT NULL,
      feature text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('missing', 'version', 'values', 'stuck')),
      message text NOT NULL,
      policy text NOT NULL CHECK (policy IN ('report', 'correct')),
      hash text NOT NULL,
      since timestamptz NOT NULL,
      checked_at timestamptz NOT NULL,
      corrections integer NOT NULL DEFAULT 0,
      last_correction_at timestamptz,
      PRIMARY KEY (environment_id, feature)
    )`);
    // the values hash of the deploy a release is compared with is read by its diid
    await q.query(`CREATE INDEX decisions_diid ON reconciler.decisions (diid) WHERE diid IS NOT NULL`);
    await q.query(`COMMENT ON COLUMN reconciler.drift.hash IS 'the desired-state hash of the deploy the cluster drifted from; corrections count per hash'`);
    await q.query(`CREATE SCHEMA reconciler_api`);
    await q.query(`CREATE FUNCTION reconciler_api.refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'reconciler_api.% is a read-only view of the reconciler', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE VIEW reconciler_api.drift AS
      SELECT environment_id, feature, kind, message, policy, since, checked_at, corrections, last_correction_at FROM reconciler.drift`);
    await q.query(
      `COMMENT ON VIEW reconciler_api.drift IS 'Releases whose cluster state differs from what Fasit deployed there (missing, version, values, stuck), as the reconciler last saw it in a real inventory.'`,
    );
    await q.query(
      `CREATE TRIGGER refuse_write INSTEAD OF INSERT OR UPDATE OR DELETE ON reconciler_api.drift FOR EACH ROW EXECUTE FUNCTION reconciler_api.refuse_write()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA reconciler_api CASCADE`);
    await q.query(`DROP TABLE reconciler.drift`);
    await q.query(`DROP INDEX reconciler.decisions_diid`);
  }
}
