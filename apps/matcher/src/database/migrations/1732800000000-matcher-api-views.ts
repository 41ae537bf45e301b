import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `matcher_api`: what other services may read of the matcher, as views that refuse writes (its published read
 * contract; see the README). v1: the winning assignment of each (environment, feature), read by the reconciler.
 */
export class MatcherApiViews1732800000000 implements MigrationInterface {
  name = 'MatcherApiViews1732800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA matcher_api`);
    await q.query(`CREATE FUNCTION matcher_api.refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'matcher_api.% is a read-only view of the matcher', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE VIEW matcher_api.winners AS SELECT environment_id, feature, assignment_id FROM matcher.winners`);
    await q.query(`COMMENT ON VIEW matcher_api.winners IS 'The winning assignment of each (environment, feature).'`);
    await q.query(
      `CREATE TRIGGER refuse_write INSTEAD OF INSERT OR UPDATE OR DELETE ON matcher_api.winners FOR EACH ROW EXECUTE FUNCTION matcher_api.refuse_write()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA matcher_api CASCADE`);
  }
}
