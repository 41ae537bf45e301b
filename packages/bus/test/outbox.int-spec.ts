// The outbox against a real PostgreSQL: events commit with their write or not at all, and the relay publishes
// each committed event, also when a publish fails the first time.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@fasit/testing';
import {
  EventBus,
  InProcessBus,
  OutboxRelay,
  createAggregateVersionsTable,
  createOutboxTable,
  addOutboxTraceContext,
  enqueueEvents,
  outboxEvent,
  type Bus,
  type PublishMessageOptions,
} from '../src/index.js';

const TOPIC = 'catalog.environment-value.changed.v1';

describe('transactional outbox (PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase('bus');
    ds = new DataSource({ type: 'postgres', url: db.url });
    await ds.initialize();
    await ds.query('CREATE SCHEMA svc');
    const q = ds.createQueryRunner();
    await createOutboxTable(q, 'svc');
    await addOutboxTraceContext(q, 'svc');
    await createAggregateVersionsTable(q, 'svc');
    await q.release();
    await ds.query('CREATE TABLE svc.thing (id uuid PRIMARY KEY)');
  });
  beforeEach(async () => {
    await ds.query('DELETE FROM svc.outbox');
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('publishes only what committed, exactly once per event, in order', async () => {
    const bus = new InProcessBus();
    const received: string[] = [];
    await bus.subscribe(TOPIC, 'watch', (m) => {
      received.push((JSON.parse(m.data.toString()) as { key: string }).key);
      return Promise.resolve();
    });
    const events = new EventBus(bus, { maxDeliveries: 3 });
    const relay = new OutboxRelay(ds, events, { schema: 'svc' });

    await ds.transaction(async (m) => {
      await m.query('INSERT INTO svc.thing VALUES ($1)', [randomUUID()]);
      await enqueueEvents(m, 'svc', [
        outboxEvent(TOPIC, { version: 'v1', environmentId: randomUUID(), key: 'committed-1' }),
        outboxEvent(TOPIC, { version: 'v1', environmentId: randomUUID(), key: 'committed-2' }),
      ]);
    });
    await expect(
      ds.transaction(async (m) => {
        await enqueueEvents(m, 'svc', [outboxEvent(TOPIC, { version: 'v1', environmentId: randomUUID(), key: 'rolled-back' })]);
        throw new Error('write failed');
      }),
    ).rejects.toThrow('write failed');

    expect(await relay.drainOnce()).toBe(2);
    expect(await relay.drainOnce()).toBe(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(received).toEqual(['committed-1', 'committed-2']);
  });

  it('refuses to enqueue an event that breaks its contract, failing the transaction', async () => {
    await expect(ds.transaction((m) => enqueueEvents(m, 'svc', [{ topic: TOPIC, payload: { version: 'v1', key: 'x' } }]))).rejects.toThrow(
      "must have required property 'environmentId'",
    );
  });

  it('keeps an event whose publish failed and publishes it on the next tick', async () => {
    let failNext = true;
    const inner = new InProcessBus();
    const flaky: Bus = {
      kind: 'memory',
      ensureTopic: (t) => inner.ensureTopic(t),
      subscribe: (...a) => inner.subscribe(...a),
      close: () => inner.close(),
      publishBatch: (t, ms) => inner.publishBatch(t, ms),
      createSubscription: (...a) => inner.createSubscription(...a),
      deleteSubscription: (n) => inner.deleteSubscription(n),
      publish: (t, d, a) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('publish timed out'));
        }
        return inner.publish(t, d, a);
      },
    };
    const received: string[] = [];
    await inner.subscribe(TOPIC, 'watch', (m) => {
      received.push((JSON.parse(m.data.toString()) as { key: string }).key);
      return Promise.resolve();
    });
    const relay = new OutboxRelay(ds, new EventBus(flaky, { maxDeliveries: 3 }), { schema: 'svc' });
    await ds.transaction((m) => enqueueEvents(m, 'svc', [outboxEvent(TOPIC, { version: 'v1', environmentId: randomUUID(), key: 'survives' })]));
    await expect(relay.drainOnce()).rejects.toThrow('publish timed out');
    expect(await relay.drainOnce()).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(received).toEqual(['survives']);
  });

  /** A real in-process bus behind a publish step the test controls (latency, failures), recording what went out. */
  function controlledBus(step: (key: string) => Promise<void>, out: { key: string; orderingKey: string | undefined }[] = []) {
    const inner = new InProcessBus();
    const bus: Bus = {
      kind: 'memory',
      ensureTopic: (t) => inner.ensureTopic(t),
      subscribe: (...a) => inner.subscribe(...a),
      close: () => inner.close(),
      publishBatch: (t, ms) => inner.publishBatch(t, ms),
      createSubscription: (...a) => inner.createSubscription(...a),
      deleteSubscription: (n) => inner.deleteSubscription(n),
      publish: async (t, d, a, o?: PublishMessageOptions) => {
        const key = (JSON.parse(d.toString()) as { key: string }).key;
        await step(key);
        out.push({ key, orderingKey: o?.orderingKey });
        return inner.publish(t, d, a, o);
      },
    };
    return { bus, out };
  }
  const event = (environmentId: string, key: string) => outboxEvent(TOPIC, { version: 'v1', environmentId, key });

  it('marks what a partly failed batch did publish, and publishes only the rest on the next tick', async () => {
    const { bus, out } = controlledBus((key) =>
      key === 'b' && !out.some((o) => o.key === 'failed-once')
        ? (out.push({ key: 'failed-once', orderingKey: undefined }), Promise.reject(new Error('publish timed out')))
        : Promise.resolve(),
    );
    const relay = new OutboxRelay(ds, new EventBus(bus, { maxDeliveries: 3 }), { schema: 'svc' });
    await ds.transaction((m) => enqueueEvents(m, 'svc', [event(randomUUID(), 'a'), event(randomUUID(), 'b'), event(randomUUID(), 'c')]));
    await expect(relay.drainOnce()).rejects.toThrow(/1 outbox event\(s\) not published.*publish timed out/);
    expect(await relay.drainOnce()).toBe(1);
    expect(await relay.drainOnce()).toBe(0);
    expect(
      out
        .filter((o) => o.key !== 'failed-once')
        .map((o) => o.key)
        .sort(),
    ).toEqual(['a', 'b', 'c']);
  });

  it('publishes with the aggregate as ordering key and never lets an event overtake an older one of its aggregate', async () => {
    const env = randomUUID();
    const other = randomUUID();
    let failed = false;
    const { bus, out } = controlledBus((key) => {
      if (key === 'env-1' && !failed) {
        failed = true;
        return Promise.reject(new Error('unavailable'));
      }
      return Promise.resolve();
    });
    const relay = new OutboxRelay(ds, new EventBus(bus, { maxDeliveries: 3 }), { schema: 'svc' });
    await ds.transaction((m) => enqueueEvents(m, 'svc', [event(env, 'env-1'), event(other, 'other-1'), event(env, 'env-2')]));
    await expect(relay.drainOnce()).rejects.toThrow('unavailable');
    // env-2 waits behind env-1; the other aggregate went ahead.
    expect(out).toEqual([{ key: 'other-1', orderingKey: `environment:${other}` }]);
    expect(await relay.drainOnce()).toBe(2);
    expect(out.map((o) => o.key)).toEqual(['other-1', 'env-1', 'env-2']);
    expect(out[2]!.orderingKey).toBe(`environment:${env}`);
  });

  it('publishes a write committed while the relay was busy at once, not at the next tick (a kick is never lost)', async () => {
    // A publish the test holds open, so the second write's kick arrives while the relay's tick still runs.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let firstPublishing = false;
    const { bus, out } = controlledBus((key) => {
      if (key !== 'first') return Promise.resolve();
      firstPublishing = true;
      return held;
    });
    // The next tick is a minute away: only the kick can publish the second event within the test's wait.
    const relay = new OutboxRelay(ds, new EventBus(bus, { maxDeliveries: 3 }), { schema: 'svc', intervalMs: 60_000 });
    relay.start();
    try {
      await ds.transaction((m) => enqueueEvents(m, 'svc', [event(randomUUID(), 'first')]));
      relay.kick();
      await waitUntil(() => firstPublishing);
      await ds.transaction((m) => enqueueEvents(m, 'svc', [event(randomUUID(), 'second')]));
      relay.kick();
      release();
      await waitUntil(() => out.length === 2, 5_000);
      expect(out.map((o) => o.key)).toEqual(['first', 'second']);
    } finally {
      release();
      await relay.stop();
    }
  });

  it('two relays of one outbox running at once publish every event exactly once, each aggregate in order', async () => {
    const aggregates = Array.from({ length: 4 }, () => randomUUID());
    const total = 400;
    await ds.transaction((m) =>
      enqueueEvents(
        m,
        'svc',
        Array.from({ length: total }, (_, i) => event(aggregates[i % aggregates.length]!, `${i % aggregates.length}:${i}`)),
      ),
    );
    const wire: { key: string; orderingKey: string | undefined }[] = []; // what went out, in the order it did
    const replicas = await Promise.all(
      [0, 1].map(async () => {
        const own = new DataSource({ type: 'postgres', url: db.url, poolSize: 4 });
        await own.initialize();
        // Publishing takes a little while (a real bus does), so the two replicas' batches overlap in time.
        const c = controlledBus(() => new Promise((r) => setTimeout(r, Math.random() * 3)), []);
        const record = c.bus.publish.bind(c.bus);
        c.bus.publish = async (...a) => {
          const id = await record(...a);
          wire.push(c.out[c.out.length - 1]!);
          return id;
        };
        return { own, ...c, relay: new OutboxRelay(own, new EventBus(c.bus, { maxDeliveries: 3 }), { schema: 'svc', batchSize: 25 }) };
      }),
    );
    const run = async (r: (typeof replicas)[number]) => {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        await r.relay.drainOnce();
        const [left] = await ds.query<{ n: number }[]>('SELECT count(*)::int AS n FROM svc.outbox WHERE published_at IS NULL');
        if (left!.n === 0) return;
      }
    };
    await Promise.all(replicas.map(run));
    await Promise.all(replicas.map((r) => r.own.destroy()));
    expect(wire).toHaveLength(total);
    expect(new Set(wire.map((o) => o.key)).size).toBe(total);
    expect(replicas[0]!.out.length).toBeGreaterThan(0);
    expect(replicas[1]!.out.length).toBeGreaterThan(0);
    for (let a = 0; a < aggregates.length; a++) {
      const seq = wire.filter((o) => o.key.startsWith(`${a}:`)).map((o) => Number(o.key.split(':')[1]));
      expect(seq).toEqual([...seq].sort((x, y) => x - y));
    }
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
