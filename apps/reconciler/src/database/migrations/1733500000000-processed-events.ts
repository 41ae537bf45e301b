import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createProcessedEventsTable } from '@fasit/bus';

/** The event ids of deliveries whose effect is not idempotent by state (see the handlers), recorded with the effect. */
export class ReconcilerProcessedEvents1733500000000 implements MigrationInterface {
  name = 'ReconcilerProcessedEvents1733500000000';

  async up(q: QueryRunner): Promise<void> {
    await createProcessedEventsTable(q, 'reconciler');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE reconciler.processed_events');
  }
}
