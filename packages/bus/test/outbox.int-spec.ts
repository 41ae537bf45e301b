// The outbox against a real PostgreSQL: events commit with their write or not at all, and the relay publishes
// each committed event, also when a publish fails the first time.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@fasit/testing';
import { EventBus, InProcessBus, OutboxRelay, createOutboxTable, enqueueEvents, outboxEvent, type Bus } from '../src/index.js';

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
    await q.release();
    await ds.query('CREATE TABLE svc.thing (id uuid PRIMARY KEY)');
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
      await enqueueEvents(m, 'svc', [outboxEvent(TOPIC, { version: 'v1', environmentId: randomUUID(), key: 'committed-1' }), outboxEvent(TOPIC, { version: 'v1', environmentId: randomUUID(), key: 'committed-2' })]);
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
    await expect(ds.transaction((m) => enqueueEvents(m, 'svc', [{ topic: TOPIC, payload: { version: 'v1', key: 'x' } }]))).rejects.toThrow("must have required property 'environmentId'");
  });

  it('keeps an event whose publish failed and publishes it on the next tick', async () => {
    let failNext = true;
    const inner = new InProcessBus();
    const flaky: Bus = {
      kind: 'memory',
      ensureTopic: (t) => inner.ensureTopic(t),
      subscribe: (...a) => inner.subscribe(...a),
      close: () => inner.close(),
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
});
