import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `dispatcher_api` v2: the real inventory is published too (drift is compared outside the dispatcher). The releases
 * view gains `values_hash` (a SHA-256 of the values helm holds; null from a dry-run agent), and `inventories` says
 * per environment whether its last inventory was real. Columns are only ever added at the end.
 */
export class DispatcherApiInventory1733800000000 implements MigrationInterface {
  name = 'DispatcherApiInventory1733800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE VIEW dispatcher_api.releases AS
      SELECT environment_id, name, chart_version, status, revision, last_deployed, reported_at, values_hash FROM dispatcher.releases`);
    await q.query(`CREATE VIEW dispatcher_api.inventories AS SELECT environment_id, real, reported_at FROM dispatcher.inventories`);
    await q.query(
      `COMMENT ON VIEW dispatcher_api.inventories IS 'Whether each environment''s last inventory was real (naisd on a cluster) or not (a dry-run agent: nothing to compare with the desired state).'`,
    );
    await q.query(
      `CREATE TRIGGER refuse_write INSTEAD OF INSERT OR UPDATE OR DELETE ON dispatcher_api.inventories FOR EACH ROW EXECUTE FUNCTION dispatcher_api.refuse_write()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW dispatcher_api.inventories`);
    await q.query(`DROP VIEW dispatcher_api.releases`);
    await q.query(`CREATE VIEW dispatcher_api.releases AS
      SELECT environment_id, name, chart_version, status, revision, last_deployed, reported_at FROM dispatcher.releases`);
    await q.query(
      `CREATE TRIGGER refuse_write INSTEAD OF INSERT OR UPDATE OR DELETE ON dispatcher_api.releases FOR EACH ROW EXECUTE FUNCTION dispatcher_api.refuse_write()`,
    );
  }
}
