// De-duplication by event id for consumers whose effect is not idempotent by state (a forced redeploy, an
// uninstall): the consumer records the event id in the same transaction as its effect. A second delivery of the
// event, at the same time on another replica or after a restart, finds it recorded and changes nothing; the
// concurrent one waits on the row of the first until that commits or rolls back.
import type { EntityManager, QueryRunner } from 'typeorm';

/** Statements for a service migration that creates its `processed_events` table. */
export async function createProcessedEventsTable(q: QueryRunner, schema: string): Promise<void> {
  await q.query(`CREATE TABLE "${schema}".processed_events (
    consumer text NOT NULL,
    event_id text NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
  )`);
  await q.query(`CREATE INDEX processed_events_at ON "${schema}".processed_events (processed_at)`);
}

/**
 * Records that `consumer` applies `eventId`, inside the caller's transaction. True the first time; false when it
 * was applied already (the caller then does nothing).
 */
export async function firstDelivery(m: EntityManager, schema: string, consumer: string, eventId: string): Promise<boolean> {
  const rows = await m.query<unknown[]>(`INSERT INTO "${schema}".processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`, [
    consumer,
    eventId,
  ]);
  return rows.length > 0;
}
