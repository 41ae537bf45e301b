// The transactional outbox: an event that follows a database change is inserted into `<schema>.outbox` in the
// same transaction, and the relay publishes it after commit. Nothing is lost between commit and publish; a
// crash after publishing and before marking re-publishes (consumers drop what is not newer than the version of its
// aggregate they applied, de-duplicate by event id, or are idempotent by state).
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { validatePayload } from '../catalogue/validation.js';
import type { PayloadOf, TopicName } from '../catalogue/topics.js';
import { orderingKeyOf } from '../catalogue/ordering.js';
import { aggregatesOf, stampVersions, type Draft } from '../catalogue/versioning.js';
import { activeTraceContext, type BusLogger, type EventBus, type TraceContext } from '../transport/event-bus.js';

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

/**
 * Statements for the migration that keeps each event's W3C trace context with its row (the trace it was written in;
 * the relay's publish continues it): `traceparent` and `tracestate`, empty when tracing is off.
 */
export async function addOutboxTraceContext(q: QueryRunner, schema: string): Promise<void> {
  await q.query(`ALTER TABLE "${schema}".outbox ADD COLUMN traceparent text, ADD COLUMN tracestate text`);
}

/** The other way (a migration's `down`). */
export async function dropOutboxTraceContext(q: QueryRunner, schema: string): Promise<void> {
  await q.query(`ALTER TABLE "${schema}".outbox DROP COLUMN traceparent, DROP COLUMN tracestate`);
}

/** Statements for a service migration that creates the counters its outbox issues aggregate versions from. */
export async function createAggregateVersionsTable(q: QueryRunner, schema: string): Promise<void> {
  await q.query(`CREATE TABLE "${schema}".aggregate_versions (
    aggregate text PRIMARY KEY,
    version bigint NOT NULL CHECK (version > 0)
  )`);
}

/**
 * For the migration that introduces aggregate versions: stamps the events still waiting in the outbox, written
 * before versions existed, with versions from the new counters (in the order they were written), so the relay can
 * publish them under the new contract.
 */
export async function versionUnpublishedEvents(q: QueryRunner, schema: string): Promise<number> {
  const rows = await q.manager.query<{ id: string; topic: string; payload: Record<string, unknown> }[]>(
    `SELECT id, topic, payload FROM "${schema}".outbox WHERE published_at IS NULL ORDER BY id FOR UPDATE`,
  );
  let stamped = 0;
  for (const r of rows) {
    const aggregates = aggregatesOf(r.topic, r.payload);
    if (aggregates.length === 0) continue;
    const next = await issueVersions(q.manager, schema, aggregates);
    const payload = stampVersions(
      r.topic,
      r.payload,
      aggregates.map((a) => next(a)),
    );
    await q.query(`UPDATE "${schema}".outbox SET payload = $2::jsonb WHERE id = $1`, [r.id, JSON.stringify(payload)]);
    stamped++;
  }
  return stamped;
}

export interface OutboxEvent {
  topic: string;
  /** The payload without its aggregate versions: `enqueueEvents` issues them. */
  payload: unknown;
  correlationId?: string;
  eventId?: string;
  /** The trace the event was caused in, when that is not the active one (events of a batch of deliveries, each its own). */
  traceContext?: TraceContext;
}

/**
 * Writes events into the outbox inside the caller's transaction, each stamped with the next version of its
 * aggregate(s) from `<schema>.aggregate_versions` (bumped in this transaction: a concurrent writer of the same
 * aggregate waits for this one to commit and gets the next number), and with the active trace context (the request
 * or delivery that wrote it). Validates them now, so a bad event fails the write.
 */
export async function enqueueEvents(manager: EntityManager, schema: string, events: OutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  const aggregates = events.map((e) => aggregatesOf(e.topic, e.payload));
  const next = await issueVersions(manager, schema, aggregates.flat());
  const params: unknown[] = [];
  const rows: string[] = [];
  const active = activeTraceContext();
  events.forEach((e, i) => {
    const { traceparent, tracestate } = e.traceContext ?? active;
    const payload = stampVersions(
      e.topic,
      e.payload,
      (aggregates[i] ?? []).map((a) => next(a)),
    );
    validatePayload(e.topic, payload);
    const n = params.length;
    rows.push(`($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6})`);
    params.push(e.eventId ?? randomUUID(), e.topic, JSON.stringify(payload), e.correlationId ?? null, traceparent ?? null, tracestate ?? null);
  });
  await manager.query(`INSERT INTO "${schema}".outbox (event_id, topic, payload, correlation_id, traceparent, tracestate) VALUES ${rows.join(', ')}`, params);
}

export function outboxEvent<T extends TopicName>(topic: T, payload: Draft<PayloadOf<T>>, correlationId?: string, traceContext?: TraceContext): OutboxEvent {
  return { topic, payload, ...(correlationId ? { correlationId } : {}), ...(traceContext ? { traceContext } : {}) };
}

/**
 * Bumps the counter of every aggregate by the number of events it gets (in aggregate order, so two writers never
 * wait on each other crosswise) and returns a function that hands out the issued versions, oldest first.
 */
async function issueVersions(m: EntityManager, schema: string, aggregates: string[]): Promise<(aggregate: string) => number> {
  const counts = new Map<string, number>();
  for (const a of aggregates) counts.set(a, (counts.get(a) ?? 0) + 1);
  const next = new Map<string, number>();
  if (counts.size > 0) {
    const sorted = [...counts.keys()].sort();
    const rows = await m.query<{ aggregate: string; version: string }[]>(
      `INSERT INTO "${schema}".aggregate_versions (aggregate, version)
       SELECT aggregate, n FROM unnest($1::text[], $2::bigint[]) AS u(aggregate, n) ORDER BY aggregate
       ON CONFLICT (aggregate) DO UPDATE SET version = "${schema}".aggregate_versions.version + EXCLUDED.version
       RETURNING aggregate, version::text AS version`,
      [sorted, sorted.map((a) => counts.get(a))],
    );
    for (const r of rows) next.set(r.aggregate, Number(r.version) - (counts.get(r.aggregate) ?? 1) + 1);
  }
  return (aggregate) => {
    const v = next.get(aggregate);
    if (v === undefined) throw new Error(`no version was issued for ${aggregate}`);
    next.set(aggregate, v + 1);
    return v;
  };
}

export interface OutboxRelayOptions {
  schema: string;
  intervalMs?: number;
  batchSize?: number;
  /** Published rows older than this are deleted. */
  retainMs?: number;
  logger?: BusLogger;
}

/** Some events of a batch could not be published; the others were, and were marked so. */
export class OutboxPublishError extends Error {
  constructor(readonly failures: { eventId: string; topic: string; error: string }[]) {
    super(`${failures.length} outbox event(s) not published, kept for the next tick: ${failures.map((f) => `${f.topic} ${f.eventId}: ${f.error}`).join('; ')}`);
    this.name = 'OutboxPublishError';
  }
}

interface OutboxRow {
  id: string;
  event_id: string;
  topic: string;
  payload: string;
  correlation_id: string | null;
  traceparent: string | null;
  tracestate: string | null;
}

/**
 * Publishes committed outbox rows. One relay of a schema publishes at a time (an advisory lock per batch; replicas
 * take turns), so an event never overtakes an older one of its aggregate across batches. Within a batch, the
 * events of one aggregate (its ordering key) go out one after the other and the aggregates in parallel; a failed
 * publish stops its aggregate for this batch, and only what was published is marked. A crash between a publish
 * and the commit of its mark publishes that event again: consumers drop it by its aggregate version (or event id).
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;
  /** A kick came while a tick ran: its rows may have committed after that tick's last read, so run again at once. */
  private kicked = false;
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

  /**
   * On shutdown, after the handlers drained: publishes what is still unpublished, for up to `deadlineMs`.
   * Returns how many rows it published; what is left (a failing bus, another replica's turn) stays for the next relay.
   */
  async flush(deadlineMs: number): Promise<number> {
    await this.stop();
    const deadline = Date.now() + deadlineMs;
    let total = 0;
    while (Date.now() < deadline) {
      try {
        const n = await this.drainOnce();
        total += n;
        if (n === 0) break;
      } catch (e) {
        this.options.logger?.warn('outbox flush on shutdown failed; the rest is left for the next relay', {
          schema: this.options.schema,
          error: (e as Error).message,
        });
        break;
      }
    }
    return total;
  }

  /** What waits to be published: the number of unpublished events and the age of the oldest (0 when none). */
  async backlog(): Promise<{ events: number; oldestAgeSeconds: number }> {
    const [row] = await this.ds.query<{ events: string; age: number | null }[]>(
      `SELECT count(*) AS events, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS age FROM "${this.options.schema}".outbox WHERE published_at IS NULL`,
    );
    return { events: Number(row?.events ?? 0), oldestAgeSeconds: Math.max(row?.age ?? 0, 0) };
  }

  /** Publish now instead of at the next tick (call after committing a write). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) this.kicked = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.kicked = false;
      this.running = this.tick().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.schedule(this.kicked ? 0 : (this.options.intervalMs ?? 200));
      });
    }, ms);
  }

  private async tick(): Promise<void> {
    try {
      while (!this.stopped && (await this.drainOnce()) === (this.options.batchSize ?? 100));
      if (Date.now() - this.lastCleanup > 60_000) {
        this.lastCleanup = Date.now();
        await this.ds.query(`DELETE FROM "${this.options.schema}".outbox WHERE published_at < now() - make_interval(secs => $1)`, [
          (this.options.retainMs ?? 86_400_000) / 1000,
        ]);
      }
    } catch (e) {
      this.options.logger?.warn('outbox relay tick failed; will retry', { schema: this.options.schema, error: (e as Error).message });
    }
  }

  /**
   * Publishes one batch of unpublished events (see the class comment); returns how many were published, 0 when
   * another relay of the schema holds the turn. Throws OutboxPublishError after marking what did go out.
   */
  async drainOnce(): Promise<number> {
    const s = this.options.schema;
    const failures: OutboxPublishError['failures'] = [];
    const published = await this.ds.transaction(async (m) => {
      const [turn] = await m.query<{ ok: boolean }[]>(`SELECT pg_try_advisory_xact_lock(hashtext('fasit-outbox:' || $1)) AS ok`, [s]);
      if (!turn?.ok) return 0;
      const rows = await m.query<OutboxRow[]>(
        `SELECT id, event_id, topic, payload::text AS payload, correlation_id, traceparent, tracestate FROM "${s}".outbox
         WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE`,
        [this.options.batchSize ?? 100],
      );
      if (rows.length === 0) return 0;
      const done: string[] = [];
      await Promise.all(
        [...byAggregate(rows).values()].map(async (lane) => {
          for (const r of lane) {
            try {
              await this.bus.publishSerialized(r.topic, r.payload, {
                eventId: r.event_id,
                ...(r.correlation_id ? { correlationId: r.correlation_id } : {}),
                // The trace the event was written in, not whatever is active in the relay's tick.
                traceContext: { ...(r.traceparent ? { traceparent: r.traceparent } : {}), ...(r.tracestate ? { tracestate: r.tracestate } : {}) },
              });
              done.push(r.id);
            } catch (e) {
              failures.push({ eventId: r.event_id, topic: r.topic, error: (e as Error).message });
              return; // the rest of this aggregate waits behind it
            }
          }
        }),
      );
      if (done.length > 0) await m.query(`UPDATE "${s}".outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [done]);
      return done.length;
    });
    if (failures.length > 0) throw new OutboxPublishError(failures);
    return published;
  }
}

/** The rows of a batch in lanes, one per ordering key (in id order); a row without a key is a lane of its own. */
function byAggregate(rows: OutboxRow[]): Map<string, OutboxRow[]> {
  const lanes = new Map<string, OutboxRow[]>();
  for (const r of rows) {
    let key: string | undefined;
    try {
      key = orderingKeyOf(r.topic, JSON.parse(r.payload));
    } catch {
      key = undefined; // publishSerialized reports the broken payload
    }
    const lane = key ?? `event:${r.id}`;
    const list = lanes.get(lane);
    if (list) list.push(r);
    else lanes.set(lane, [r]);
  }
  return lanes;
}
