import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `reconciler_api.decisions`: the reconciler's decisions, published read-only for the catalog (an environment
 * feature's history, an assignment's status, explain, the dry run). The catalog read `reconciler.decisions` itself
 * before; the table stays the reconciler's own, free to change behind the view.
 */
export class ReconcilerApiDecisions1734400000000 implements MigrationInterface {
  name = 'ReconcilerApiDecisions1734400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE VIEW reconciler_api.decisions AS
      SELECT id, environment_id, feature, assignment_id, feature_version, action, message, hash, diid, "values", sealed_values, provenance, created_at FROM reconciler.decisions`);
    await q.query(
      `COMMENT ON VIEW reconciler_api.decisions IS 'Every decision the reconciler took for a pair (environment × feature), append-only: the newest id is the current one. values: the rendered values with secrets masked; sealed_values: the secrets sealed for the catalog alone.'`,
    );
    await q.query(
      `CREATE TRIGGER refuse_write INSTEAD OF INSERT OR UPDATE OR DELETE ON reconciler_api.decisions FOR EACH ROW EXECUTE FUNCTION reconciler_api.refuse_write()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW reconciler_api.decisions`);
  }
}
