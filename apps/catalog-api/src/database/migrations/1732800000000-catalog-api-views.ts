import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `catalog_api`: what other services may read of the catalog, as views over its tables (their published read
 * contract; the tables behind them may change, the views change only through a new migration). Other services
 * read these and nothing else of the catalog, and only from their `*.reader.ts` files. The views refuse writes.
 * v1: what the matcher reads.
 */
export class CatalogApiViews1732800000000 implements MigrationInterface {
  name = 'CatalogApiViews1732800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA catalog_api`);
    await q.query(`CREATE FUNCTION catalog_api.refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'catalog_api.% is a read-only view of the catalog: change the catalog through its API', TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE VIEW catalog_api.environments AS
      SELECT e.id, e.tenant_id, t.name AS tenant, e.name, e.kind::text AS kind, e.labels, e.reconcile
      FROM catalog.environments e JOIN catalog.tenants t ON t.id = e.tenant_id`);
    await q.query(
      `COMMENT ON VIEW catalog_api.environments IS 'Every environment with its tenant name, kind and labels (labels @> target uses the GIN index of catalog.environments).'`,
    );
    await q.query(`CREATE VIEW catalog_api.active_assignments AS
      SELECT a.id, a.feature, a.version, a.target, a.created_at, fv.kinds::text[] AS kinds
      FROM catalog.assignments a JOIN catalog.feature_versions fv ON fv.feature = a.feature AND fv.version = a.version
      WHERE a.active`);
    await q.query(`COMMENT ON VIEW catalog_api.active_assignments IS 'The active assignments, each with the environment kinds its feature version runs in.'`);
    for (const view of ['environments', 'active_assignments']) {
      await q.query(
        `CREATE TRIGGER refuse_write INSTEAD OF INSERT OR UPDATE OR DELETE ON catalog_api.${view} FOR EACH ROW EXECUTE FUNCTION catalog_api.refuse_write()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA catalog_api CASCADE`);
  }
}
