import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each environment's drift policy: `report` (the default: drift is recorded and shown) or `correct` (the reconciler
 * also redeploys what drifted, bounded by the retry policy). Published to the reconciler as the last column of
 * `catalog_api.environments` (columns of a view are only ever added at the end).
 */
export class DriftPolicy1734300000000 implements MigrationInterface {
  name = 'DriftPolicy1734300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE catalog.environments ADD COLUMN drift_policy text NOT NULL DEFAULT 'report' CHECK (drift_policy IN ('report', 'correct'))`);
    await q.query(`CREATE OR REPLACE VIEW catalog_api.environments AS
      SELECT e.id, e.tenant_id, t.name AS tenant, e.name, e.kind::text AS kind, e.labels, e.reconcile, e.drift_policy
      FROM catalog.environments e JOIN catalog.tenants t ON t.id = e.tenant_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW catalog_api.environments CASCADE`);
    await q.query(`CREATE VIEW catalog_api.environments AS
      SELECT e.id, e.tenant_id, t.name AS tenant, e.name, e.kind::text AS kind, e.labels, e.reconcile
      FROM catalog.environments e JOIN catalog.tenants t ON t.id = e.tenant_id`);
    await q.query(
      `CREATE TRIGGER refuse_write INSTEAD OF INSERT OR UPDATE OR DELETE ON catalog_api.environments FOR EACH ROW EXECUTE FUNCTION catalog_api.refuse_write()`,
    );
    await q.query(`ALTER TABLE catalog.environments DROP COLUMN drift_policy`);
  }
}
