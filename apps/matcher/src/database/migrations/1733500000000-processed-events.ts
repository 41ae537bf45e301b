import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createProcessedEventsTable } from '@fasit/bus';

/** The event ids of deliveries whose effect is not idempotent by state (see the handlers), recorded with the effect. */
export class MatcherProcessedEvents1733500000000 implements MigrationInterface {
  name = 'MatcherProcessedEvents1733500000000';

  async up(q: QueryRunner): Promise<void> {
    await createProcessedEventsTable(q, 'matcher');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE matcher.processed_events');
  }
}
