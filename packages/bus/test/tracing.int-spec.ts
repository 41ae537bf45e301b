// Traces over the bus (tracing on, @fasit/tracing, spans kept in memory): a publish is a producer span whose W3C
// trace context goes out in the message's attributes, a delivery a consumer span continuing it, and an outbox row
// keeps the trace it was written in for the relay's publish. A message's trace context is outside input: a
// malformed one starts a new trace and changes nothing else. Against PostgreSQL (the outbox) and the in-process bus.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@fasit/testing';
import { InMemorySpanExporter, spanRecord, startTracing, stopTracing, type SpanRecord, type Tracing } from '@fasit/tracing';
import {
  EventBus,
  InProcessBus,
  OutboxRelay,
  addOutboxTraceContext,
  createAggregateVersionsTable,
  createOutboxTable,
  enqueueEvents,
  outboxEvent,
  type BusMessage,
  type EnvironmentValueChangedV1,
  type EventContext,
} from '../src/index.js';

const TOPIC = 'catalog.environment-value.changed.v1';
const payload = (key: string): EnvironmentValueChangedV1 => ({ version: 'v1', aggregateVersion: 1, environmentId: randomUUID(), key });
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

describe('traces over the bus (in-process bus, PostgreSQL for the outbox)', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let db: TestDatabase;
  let ds: DataSource;
  let inner: InProcessBus;
  let raw: BusMessage[];
  let handled: { payload: EnvironmentValueChangedV1; ctx: EventContext; activeTraceId: string | undefined }[];
  let bus: EventBus;

  const spans = async (): Promise<SpanRecord[]> => {
    await tracing.flush();
    return exporter.getFinishedSpans().map(spanRecord);
  };
  const until = async (n: number) => {
    for (const deadline = Date.now() + 10_000; handled.length < n && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
    expect(handled).toHaveLength(n);
  };

  beforeAll(async () => {
    tracing = startTracing({ tracing: 'file', tracingDir: '', otlpEndpoint: undefined }, 'bus-test', { exporter });
    db = await createTestDatabase('bus-tracing');
    ds = new DataSource({ type: 'postgres', url: db.url });
    await ds.initialize();
    await ds.query('CREATE SCHEMA svc');
    const q = ds.createQueryRunner();
    await createOutboxTable(q, 'svc');
    await addOutboxTraceContext(q, 'svc');
    await createAggregateVersionsTable(q, 'svc');
    await q.release();
  });
  afterAll(async () => {
    await stopTracing();
    await ds.destroy();
    await db.drop();
  });
  beforeEach(async () => {
    exporter.reset();
    inner = new InProcessBus({ baseBackoffMs: 10 });
    raw = [];
    handled = [];
    await inner.subscribe(TOPIC, 'raw', (m) => {
      raw.push(m);
      return Promise.resolve();
    });
    bus = new EventBus(inner, { maxDeliveries: 3 }).observed({ consumed: () => undefined, published: () => undefined }, 'consumer-service');
    await bus.consume(TOPIC, 'svc', async (p, ctx) => {
      handled.push({ payload: p, ctx, activeTraceId: trace.getActiveSpan()?.spanContext().traceId });
      await Promise.resolve();
    });
  });

  it('a publish sends its span as traceparent; the delivery is a consumer span whose parent it is, active in the handler', async () => {
    const p = payload('traced');
    await bus.publish(TOPIC, p, { attributes: { traceparent: '00-11111111111111111111111111111111-2222222222222222-01', tenant: 'acme' } });
    await until(1);
    const all = await spans();
    const producer = all.find((s) => s.kind === 'producer')!;
    const consumer = all.find((s) => s.kind === 'consumer')!;
    expect(producer).toMatchObject({ name: `publish ${TOPIC}`, scope: 'consumer-service', attributes: { 'messaging.destination.name': TOPIC } });
    expect(producer.parentSpanId).toBeUndefined();
    // A caller cannot pick the trace: its own traceparent attribute is replaced by the publish's span.
    expect(raw[0]!.attributes['traceparent']).toBe(`00-${producer.traceId}-${producer.spanId}-01`);
    expect(raw[0]!.attributes['tenant']).toBe('acme');
    expect(consumer).toMatchObject({
      name: `process ${TOPIC}`,
      traceId: producer.traceId,
      parentSpanId: producer.spanId,
      attributes: { 'fasit.result': 'ok', 'messaging.destination.subscription.name': `${TOPIC}.svc`, 'messaging.gcp_pubsub.message.delivery_attempt': 1 },
    });
    expect(handled[0]!.activeTraceId).toBe(producer.traceId);
    expect(handled[0]!.payload).toEqual(p);
  });

  it.each([
    ['garbage', 'not-a-traceparent'],
    ['an all-zero trace id', '00-00000000000000000000000000000000-2222222222222222-01'],
    ['an unknown version ff', 'ff-11111111111111111111111111111111-2222222222222222-01'],
    ['a 10 kB value', `00-${'a'.repeat(10_000)}-2222222222222222-01`],
  ])('a malformed traceparent attribute (%s) starts a new trace and changes nothing else', async (_what, traceparent) => {
    const p = payload('hostile');
    const eventId = randomUUID();
    await inner.publish(TOPIC, Buffer.from(JSON.stringify(p)), { eventId, correlationId: 'corr-1', traceparent, tracestate: 'x=1' });
    await until(1);
    const [consumer] = (await spans()).filter((s) => s.kind === 'consumer');
    expect(consumer!.parentSpanId).toBeUndefined();
    expect(`00-${consumer!.traceId}-${consumer!.spanId}-01`).toMatch(TRACEPARENT);
    expect(consumer!.traceId).not.toBe('0'.repeat(32));
    expect(consumer!.attributes['fasit.result']).toBe('ok');
    // The delivery itself is untouched: the same payload, ids and attributes reach the handler, once.
    expect(handled).toHaveLength(1);
    expect(handled[0]!.payload).toEqual(p);
    expect(handled[0]!.ctx).toMatchObject({ eventId, correlationId: 'corr-1', deliveryAttempt: 1, attributes: { traceparent, tracestate: 'x=1' } });
    expect(handled[0]!.activeTraceId).toBe(consumer!.traceId);
  });

  it('an outbox row keeps the trace it was written in: the relay’s publish, later and outside it, continues that trace', async () => {
    const writer = trace.getTracer('writer');
    await writer.startActiveSpan('POST /things', async (span) => {
      await ds.transaction((m) => enqueueEvents(m, 'svc', [outboxEvent(TOPIC, { version: 'v1', environmentId: randomUUID(), key: 'from-request' })]));
      span.end();
    });
    // And one written with no span active: no trace context stored, its publish starts a trace of its own.
    await ds.transaction((m) => enqueueEvents(m, 'svc', [outboxEvent(TOPIC, { version: 'v1', environmentId: randomUUID(), key: 'untraced' })]));
    const stored = await ds.query<{ key: string; traceparent: string | null; tracestate: string | null }[]>(
      `SELECT payload->>'key' AS key, traceparent, tracestate FROM svc.outbox ORDER BY id`,
    );
    const written = (await spans()).find((s) => s.name === 'POST /things')!;
    expect(stored).toEqual([
      { key: 'from-request', traceparent: `00-${written.traceId}-${written.spanId}-01`, tracestate: null },
      { key: 'untraced', traceparent: null, tracestate: null },
    ]);

    exporter.reset();
    // The relay publishes from within another span: the stored trace wins over whatever is active.
    await writer.startActiveSpan('unrelated tick', async (tick) => {
      expect(await new OutboxRelay(ds, bus, { schema: 'svc' }).drainOnce()).toBe(2);
      tick.end();
    });
    await until(2);
    const all = await spans();
    const unrelated = all.find((s) => s.name === 'unrelated tick')!;
    const published = all.filter((s) => s.kind === 'producer');
    const fromRequest = published.find((s) => s.traceId === written.traceId)!;
    expect(fromRequest.parentSpanId).toBe(written.spanId);
    const untraced = published.find((s) => s !== fromRequest)!;
    expect(untraced.parentSpanId).toBeUndefined();
    expect([written.traceId, unrelated.traceId]).not.toContain(untraced.traceId);
    for (const c of all.filter((s) => s.kind === 'consumer')) expect(published.map((p) => p.spanId)).toContain(c.parentSpanId);
  });

  it('events written together, each naming the trace it was caused in (a batch of deliveries), keep each its own trace', async () => {
    await ds.query(`DELETE FROM svc.outbox`);
    const writer = trace.getTracer('writer');
    const [a, b] = ['delivery a', 'delivery b'].map((name) => {
      const span = writer.startSpan(name);
      span.end();
      return span.spanContext();
    });
    await writer.startActiveSpan('the batch', async (batch) => {
      await ds.transaction((m) =>
        enqueueEvents(m, 'svc', [
          outboxEvent(TOPIC, { version: 'v1', environmentId: randomUUID(), key: 'a' }, undefined, { traceparent: `00-${a!.traceId}-${a!.spanId}-01` }),
          outboxEvent(TOPIC, { version: 'v1', environmentId: randomUUID(), key: 'b' }, undefined, { traceparent: `00-${b!.traceId}-${b!.spanId}-01` }),
          outboxEvent(TOPIC, { version: 'v1', environmentId: randomUUID(), key: 'active' }),
        ]),
      );
      const active = batch.spanContext();
      expect(await ds.query(`SELECT payload->>'key' AS key, traceparent FROM svc.outbox ORDER BY id`)).toEqual([
        { key: 'a', traceparent: `00-${a!.traceId}-${a!.spanId}-01` },
        { key: 'b', traceparent: `00-${b!.traceId}-${b!.spanId}-01` },
        { key: 'active', traceparent: `00-${active.traceId}-${active.spanId}-01` },
      ]);
      batch.end();
    });
  });
});
