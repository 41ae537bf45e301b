// The transactional outbox: an event that follows a database change is inserted into `<schema>.outbox` in the
// same transaction, and the relay publishes it after commit. Nothing is lost between commit and publish; a
// crash after publishing and before marking re-publishes (consumers are idempotent by event id).
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { validatePayload } from '../catalogue/validation.js';
import type { PayloadOf, TopicName } from '../catalogue/topics.js';
import type { BusLogger, EventBus } from '../transport/event-bus.js';

/** Statements for a service migration that creates its outbox table. */
export async function createOutboxTable(q: QueryRunner, schema: string): Promise<void> {
  await q.query(`CREATE TABLE "${schema}".outbox (
    id bigserial PRIMARY KEY,
    event_id uuid NOT NULL UNIQUE,
    topic text NOT NULL,
    payload jsonb NOT NULL,
    correlation_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
  )`);
  await q.query(`CREATE INDEX outbox_unpublished ON "${schema}".outbox (id) WHERE published_at IS NULL`);
}

export interface OutboxEvent {
  topic: string;
  payload: unknown;
  correlationId?: string;
  eventId?: string;
}

/** Writes events into the outbox inside the caller's transaction. Validates them now, so a bad event fails the write. */
export async function enqueueEvents(manager: EntityManager, schema: string, events: OutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  const params: unknown[] = [];
  const rows: string[] = [];
  for (const e of events) {
    validatePayload(e.topic, e.payload);
    const n = params.length;
    rows.push(`($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4})`);
    params.push(e.eventId ?? randomUUID(), e.topic, JSON.stringify(e.payload), e.correlationId ?? null);
  }
  await manager.query(`INSERT INTO "${schema}".outbox (event_id, topic, payload, correlation_id) VALUES ${rows.join(', ')}`, params);
}

export function outboxEvent<T extends TopicName>(topic: T, payload: PayloadOf<T>, correlationId?: string): OutboxEvent {
  return { topic, payload, ...(correlationId ? { correlationId } : {}) };
}

export interface OutboxRelayOptions {
  schema: string;
  intervalMs?: number;
  batchSize?: number;
  /** Published rows older than this are deleted. */
  retainMs?: number;
  logger?: BusLogger;
}

export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;
  private lastCleanup = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
    private readonly options: OutboxRelayOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Publish now instead of at the next tick (call after committing a write). */
  kick(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.schedule(this.options.intervalMs ?? 200);
      });
    }, ms);
  }

  private async tick(): Promise<void> {
    try {
      while ((await this.drainOnce()) === (this.options.batchSize ?? 100));
      if (Date.now() - this.lastCleanup > 60_000) {
        this.lastCleanup = Date.now();
        await this.ds.query(`DELETE FROM "${this.options.schema}".outbox WHERE published_at < now() - make_interval(secs => $1)`, [(this.options.retainMs ?? 86_400_000) / 1000]);
      }
    } catch (e) {
      this.options.logger?.warn('outbox relay tick failed; will retry', { schema: this.options.schema, error: (e as Error).message });
    }
  }

  /** Publishes one batch of unpublished events in order; returns how many. */
  async drainOnce(): Promise<number> {
    const s = this.options.schema;
    return this.ds.transaction(async (m) => {
      const rows = await m.query<{ id: string; event_id: string; topic: string; payload: string; correlation_id: string | null }[]>(
        `SELECT id, event_id, topic, payload::text AS payload, correlation_id FROM "${s}".outbox
         WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize ?? 100],
      );
      if (rows.length === 0) return 0;
      await Promise.all(
        rows.map((r) => this.bus.publishSerialized(r.topic, r.payload, { eventId: r.event_id, ...(r.correlation_id ? { correlationId: r.correlation_id } : {}) })),
      );
      await m.query(`UPDATE "${s}".outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }
}
