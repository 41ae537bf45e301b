import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `dispatcher.received_requests`: a deploy request the dispatcher took in, committed before the transaction that
 * claims its `sent` row and publishes the instruction, and deleted by that transaction. A row left behind is a
 * request whose instruction may have gone out while its `sent` row did not commit (a crash or a database restart
 * between the publish and the commit): a verified report of its diid from its environment records the `sent` row
 * from it (decision 0023). Rows older than twice the deploy timeout expire (the sweep of deploy timeouts).
 */
export class DispatcherReceivedRequests1734400000000 implements MigrationInterface {
  name = 'DispatcherReceivedRequests1734400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE dispatcher.received_requests (
      diid uuid PRIMARY KEY,
      environment_id uuid NOT NULL,
      feature text NOT NULL,
      assignment_id uuid NOT NULL,
      feature_version text NOT NULL,
      hash text NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX received_requests_age ON dispatcher.received_requests (received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dispatcher.received_requests`);
  }
}
