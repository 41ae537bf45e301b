import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createProcessedEventsTable } from '@fasit/bus';

/**
 * De-duplication of redelivered events: `processed_events` for uninstall requests, and each log line keyed by the
 * report's event id and its position in the report (a redelivered log report adds nothing).
 */
export class DispatcherDeliveryDedup1733500000000 implements MigrationInterface {
  name = 'DispatcherDeliveryDedup1733500000000';

  async up(q: QueryRunner): Promise<void> {
    await createProcessedEventsTable(q, 'dispatcher');
    await q.query(`ALTER TABLE dispatcher.deploy_logs ADD COLUMN event_id text, ADD COLUMN line_no integer`);
    await q.query(`CREATE UNIQUE INDEX deploy_logs_event_line ON dispatcher.deploy_logs (event_id, line_no) WHERE event_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX dispatcher.deploy_logs_event_line`);
    await q.query(`ALTER TABLE dispatcher.deploy_logs DROP COLUMN event_id, DROP COLUMN line_no`);
    await q.query('DROP TABLE dispatcher.processed_events');
  }
}
