import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTable } from '@fasit/bus';
import { makeAppendOnly } from '@fasit/db';

export class DispatcherSchema1732433000000 implements MigrationInterface {
  name = 'DispatcherSchema1732433000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE dispatcher.deploy_log (
      id bigserial PRIMARY KEY,
      diid uuid NOT NULL,
      environment_id uuid NOT NULL,
      feature text NOT NULL,
      assignment_id uuid NOT NULL,
      feature_version text NOT NULL,
      status text NOT NULL CHECK (status IN ('sent', 'installing', 'deployed', 'failed')),
      hash text NOT NULL,
      error text,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      UNIQUE (diid, status)
    )`);
    await q.query(`CREATE INDEX deploy_log_pair ON dispatcher.deploy_log (environment_id, feature, id DESC)`);
    await q.query(`CREATE INDEX deploy_log_assignment ON dispatcher.deploy_log (assignment_id, id DESC)`);
    await makeAppendOnly(q, 'dispatcher.deploy_log');
    await q.query(`CREATE TABLE dispatcher.deploy_logs (
      id bigserial PRIMARY KEY,
      diid uuid NOT NULL,
      time timestamptz NOT NULL,
      msg text NOT NULL,
      kind text NOT NULL
    )`);
    await q.query(`CREATE INDEX deploy_logs_diid ON dispatcher.deploy_logs (diid, time, id)`);
    await q.query(`CREATE TABLE dispatcher.agent_health (
      environment_id uuid PRIMARY KEY,
      tenant text NOT NULL,
      environment text NOT NULL,
      agent_version text NOT NULL,
      reported_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE TABLE dispatcher.releases (
      environment_id uuid NOT NULL,
      name text NOT NULL,
      chart_version text NOT NULL,
      status text NOT NULL,
      revision integer NOT NULL,
      last_deployed timestamptz,
      reported_at timestamptz NOT NULL,
      PRIMARY KEY (environment_id, name)
    )`);
    await createOutboxTable(q, 'dispatcher');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['outbox', 'releases', 'agent_health', 'deploy_logs', 'deploy_log']) await q.query(`DROP TABLE dispatcher.${t}`);
    await q.query(`DROP FUNCTION dispatcher.deploy_log_append_only`);
  }
}
