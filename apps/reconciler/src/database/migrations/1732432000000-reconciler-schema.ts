import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTable } from '@fasit/bus';
import { makeAppendOnly } from '@fasit/db';

export class ReconcilerSchema1732432000000 implements MigrationInterface {
  name = 'ReconcilerSchema1732432000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE reconciler.decisions (
      id bigserial PRIMARY KEY,
      environment_id uuid NOT NULL,
      feature text NOT NULL,
      assignment_id uuid,
      feature_version text,
      action text NOT NULL,
      message text NOT NULL,
      hash text,
      diid uuid,
      values jsonb,
      sealed_values text,
      provenance jsonb,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`);
    await q.query(`CREATE INDEX decisions_pair ON reconciler.decisions (environment_id, feature, id DESC)`);
    await q.query(`CREATE INDEX decisions_assignment ON reconciler.decisions (assignment_id, id DESC)`);
    await makeAppendOnly(q, 'reconciler.decisions');
    await createOutboxTable(q, 'reconciler');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reconciler.outbox`);
    await q.query(`DROP TABLE reconciler.decisions`);
    await q.query(`DROP FUNCTION reconciler.decisions_append_only`);
  }
}
