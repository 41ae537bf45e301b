import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTable } from '@fasit/bus';

export class MatcherSchema1732431000000 implements MigrationInterface {
  name = 'MatcherSchema1732431000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE matcher.winners (
      environment_id uuid NOT NULL,
      feature text NOT NULL,
      assignment_id uuid NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (environment_id, feature)
    )`);
    await q.query(`CREATE INDEX winners_assignment ON matcher.winners (assignment_id)`);
    await q.query(`CREATE INDEX winners_feature ON matcher.winners (feature)`);
    await createOutboxTable(q, 'matcher');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE matcher.outbox`);
    await q.query(`DROP TABLE matcher.winners`);
  }
}
