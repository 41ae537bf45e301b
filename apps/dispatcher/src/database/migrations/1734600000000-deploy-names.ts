import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Names that say what the tables hold (issue 9: `deploy_log` next to `deploy_logs` read as one thing twice):
 * `deploy_statuses`, every status of every deploy (append-only), and `deploy_log_lines`, the helm output and events
 * an agent reported for a deploy. The published views follow (`dispatcher_api.deploy_statuses`,
 * `dispatcher_api.deploy_log_lines`); a view keeps its columns, comment and write-refusing trigger when renamed.
 */
export class DeployNames1734600000000 implements MigrationInterface {
  name = 'DeployNames1734600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dispatcher.deploy_log RENAME TO deploy_statuses`);
    await q.query(`ALTER TABLE dispatcher.deploy_logs RENAME TO deploy_log_lines`);
    await q.query(`ALTER VIEW dispatcher_api.deploy_log RENAME TO deploy_statuses`);
    await q.query(`ALTER VIEW dispatcher_api.deploy_logs RENAME TO deploy_log_lines`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER VIEW dispatcher_api.deploy_log_lines RENAME TO deploy_logs`);
    await q.query(`ALTER VIEW dispatcher_api.deploy_statuses RENAME TO deploy_log`);
    await q.query(`ALTER TABLE dispatcher.deploy_log_lines RENAME TO deploy_logs`);
    await q.query(`ALTER TABLE dispatcher.deploy_statuses RENAME TO deploy_log`);
  }
}
