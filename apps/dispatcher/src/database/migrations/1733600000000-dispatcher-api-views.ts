import type { MigrationInterface, QueryRunner } from 'typeorm';

const VIEWS = ['deploy_log', 'deploy_logs', 'agent_health', 'releases'] as const;

/**
 * `dispatcher_api`: what other services may read of the dispatcher, as views that refuse writes (its published
 * read contract; see the README). v1: the deploy log (the reconciler's latest status and failure count per pair;
 * the catalog's history), the helm output per deploy, the agents' last heartbeats and the releases they reported.
 */
export class DispatcherApiViews1733600000000 implements MigrationInterface {
  name = 'DispatcherApiViews1733600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA dispatcher_api`);
    await q.query(`CREATE FUNCTION dispatcher_api.refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'dispatcher_api.% is a read-only view of the dispatcher', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE VIEW dispatcher_api.deploy_log AS
      SELECT id, diid, environment_id, feature, assignment_id, feature_version, status, hash, error, created_at FROM dispatcher.deploy_log`);
    await q.query(
      `COMMENT ON VIEW dispatcher_api.deploy_log IS 'Every status of every deploy, append-only (sent, installing, deployed, failed); the newest id of a pair is its current status.'`,
    );
    await q.query(`CREATE VIEW dispatcher_api.deploy_logs AS SELECT id, diid, time, msg, kind FROM dispatcher.deploy_logs`);
    await q.query(`COMMENT ON VIEW dispatcher_api.deploy_logs IS 'The helm output and events an agent reported for each deploy.'`);
    await q.query(`CREATE VIEW dispatcher_api.agent_health AS SELECT environment_id, agent_version, reported_at FROM dispatcher.agent_health`);
    await q.query(`COMMENT ON VIEW dispatcher_api.agent_health IS 'The last heartbeat of each environment''s agent.'`);
    await q.query(`CREATE VIEW dispatcher_api.releases AS
      SELECT environment_id, name, chart_version, status, revision, last_deployed, reported_at FROM dispatcher.releases`);
    await q.query(`COMMENT ON VIEW dispatcher_api.releases IS 'The helm releases each agent last reported in its environment.'`);
    for (const view of VIEWS) {
      await q.query(
        `CREATE TRIGGER refuse_write INSTEAD OF INSERT OR UPDATE OR DELETE ON dispatcher_api.${view} FOR EACH ROW EXECUTE FUNCTION dispatcher_api.refuse_write()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA dispatcher_api CASCADE`);
  }
}
