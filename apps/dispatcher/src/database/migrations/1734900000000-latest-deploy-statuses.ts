import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `dispatcher.latest_deploy_statuses`: the newest status of each (environment, feature), one row per pair, kept by a
 * trigger in the statement of every append to `deploy_statuses` (the newest id wins, whatever order concurrent
 * appends commit in), and published as `dispatcher_api.latest_deploy_statuses`. The reconciler's sweep reads every
 * pair's latest deploy at once (decision 0028); out of the append-only history that read grows with it.
 */
export class DispatcherLatestDeployStatuses1734900000000 implements MigrationInterface {
  name = 'DispatcherLatestDeployStatuses1734900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE dispatcher.latest_deploy_statuses (
      environment_id uuid NOT NULL,
      feature text NOT NULL,
      id bigint NOT NULL,
      diid uuid NOT NULL,
      status text NOT NULL,
      hash text NOT NULL,
      feature_version text NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (environment_id, feature)
    )`);
    // Once per statement (a batch of reports appends many rows in one), its pairs in sorted order: two batches lock
    // the rows they share in the same order, so they wait for each other but never deadlock.
    await q.query(`CREATE FUNCTION dispatcher.keep_latest_deploy_status() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO dispatcher.latest_deploy_statuses AS l (environment_id, feature, id, diid, status, hash, feature_version, created_at)
          SELECT DISTINCT ON (environment_id, feature) environment_id, feature, id, diid, status, hash, feature_version, created_at
          FROM appended ORDER BY environment_id, feature, id DESC
        ON CONFLICT (environment_id, feature) DO UPDATE SET
          id = EXCLUDED.id, diid = EXCLUDED.diid, status = EXCLUDED.status, hash = EXCLUDED.hash,
          feature_version = EXCLUDED.feature_version, created_at = EXCLUDED.created_at
        WHERE l.id < EXCLUDED.id;
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER keep_latest_deploy_status AFTER INSERT ON dispatcher.deploy_statuses REFERENCING NEW TABLE AS appended
       FOR EACH STATEMENT EXECUTE FUNCTION dispatcher.keep_latest_deploy_status()`,
    );
    await q.query(`INSERT INTO dispatcher.latest_deploy_statuses (environment_id, feature, id, diid, status, hash, feature_version, created_at)
      SELECT DISTINCT ON (environment_id, feature) environment_id, feature, id, diid, status, hash, feature_version, created_at
      FROM dispatcher.deploy_statuses ORDER BY environment_id, feature, id DESC`);
    await q.query(`CREATE VIEW dispatcher_api.latest_deploy_statuses AS
      SELECT environment_id, feature, id, diid, status, hash, feature_version, created_at FROM dispatcher.latest_deploy_statuses`);
    await q.query(
      `COMMENT ON VIEW dispatcher_api.latest_deploy_statuses IS 'The newest row of deploy_statuses of each pair (environment × feature): its current deploy status, one row per pair.'`,
    );
    await q.query(
      `CREATE TRIGGER refuse_write INSTEAD OF INSERT OR UPDATE OR DELETE ON dispatcher_api.latest_deploy_statuses FOR EACH ROW EXECUTE FUNCTION dispatcher_api.refuse_write()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW dispatcher_api.latest_deploy_statuses`);
    await q.query(`DROP TRIGGER keep_latest_deploy_status ON dispatcher.deploy_statuses`);
    await q.query(`DROP FUNCTION dispatcher.keep_latest_deploy_status()`);
    await q.query(`DROP TABLE dispatcher.latest_deploy_statuses`);
  }
}
