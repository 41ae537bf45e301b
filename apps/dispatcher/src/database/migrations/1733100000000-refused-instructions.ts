import type { MigrationInterface, QueryRunner } from 'typeorm';
import { makeAppendOnly } from '@fasit/db';

/** What the agents refused to run (forged, tampered, another environment's, expired, replayed, unreadable). */
export class RefusedInstructions1733100000000 implements MigrationInterface {
  name = 'RefusedInstructions1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE dispatcher.refused_instructions (
      id bigserial PRIMARY KEY,
      environment_id uuid NOT NULL,
      diid uuid,
      reason text NOT NULL,
      verified boolean NOT NULL,
      error text NOT NULL,
      reported_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`);
    await q.query(`CREATE INDEX refused_instructions_environment ON dispatcher.refused_instructions (environment_id, id DESC)`);
    await makeAppendOnly(q, 'dispatcher.refused_instructions');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dispatcher.refused_instructions`);
    await q.query(`DROP FUNCTION dispatcher.refused_instructions_append_only`);
  }
}
