// A handler whose database is out of reach (restarting, its connection cut) must not have its message
// dead-lettered: the message is not at fault. Real errors from the local PostgreSQL, on every bus this machine has
// (the in-process bus; the Pub/Sub emulator when scripts/services.sh started it, where the redelivery waits 1, 2,
// 4 … s). The chaos run lost agents' reports this way: five deliveries spent while PostgreSQL restarted.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@fasit/testing';
import { EventBus, InProcessBus, PubSubBus, isUnavailable, unavailableDelaySeconds, type Bus, type EnvironmentValueChangedV1 } from '../src/index.js';

const emulator = process.env['PUBSUB_EMULATOR_HOST'];
const kinds: [string, () => Bus][] = [['in-process bus', () => new InProcessBus({ baseBackoffMs: 20 })]];
if (emulator)
  kinds.push(['Pub/Sub emulator', () => new PubSubBus({ projectId: `fasit-test-${randomUUID().slice(0, 8)}`, emulatorHost: emulator, createTopics: true })]);

const TOPIC = 'catalog.environment-value.changed.v1';
const payload = (): EnvironmentValueChangedV1 => ({ version: 'v1', aggregateVersion: 1, environmentId: randomUUID(), key: 'k' });

let db: TestDatabase;
let ds: DataSource;

/** The error PostgreSQL gives a session it terminates (as a restart or failover does), through TypeORM. */
async function terminatedSession(): Promise<unknown> {
  const own = new DataSource({ type: 'postgres', url: db.url, poolSize: 1 });
  await own.initialize();
  try {
    await own.query(`SELECT pg_terminate_backend(pg_backend_pid())`);
    throw new Error('the session was not terminated');
  } catch (e) {
    return e;
  } finally {
    await own.destroy().catch(() => undefined);
  }
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

beforeAll(async () => {
  db = await createTestDatabase('unavailable');
  ds = new DataSource({ type: 'postgres', url: db.url });
  await ds.initialize();
  await ds.query(`CREATE TABLE once (id int PRIMARY KEY)`);
  await ds.query(`INSERT INTO once VALUES (1)`);
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

describe('isUnavailable, on real errors', () => {
  it('a terminated session and a refused connection are unavailable; a constraint violation, a syntax error and a plain error are not', async () => {
    expect(isUnavailable(await terminatedSession())).toBe(true);
    const refused = new DataSource({ type: 'postgres', url: `postgres://postgres@127.0.0.1:${await closedPort()}/x`, connectTimeoutMS: 2000 });
    const connectError = await refused.initialize().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUnavailable(connectError)).toBe(true);
    expect(isUnavailable(await ds.query(`INSERT INTO once VALUES (1)`).catch((e: unknown) => e))).toBe(false);
    expect(isUnavailable(await ds.query(`SELEC 1`).catch((e: unknown) => e))).toBe(false);
    expect(isUnavailable(new Error('feature missing'))).toBe(false);
    expect(isUnavailable(undefined)).toBe(false);
  });

  it('the redelivery delay grows 1, 2, 4, 8 s, then stays at 10 s', () => {
    expect([1, 2, 3, 4, 5, 9].map(unavailableDelaySeconds)).toEqual([1, 2, 4, 8, 10, 10]);
  });
});

describe.each(kinds)('a handler whose database is out of reach (%s, PostgreSQL)', (_name, make) => {
  const bus = make();
  const events = new EventBus(bus, { maxDeliveries: 3 });
  afterAll(() => bus.close());

  async function deadLetters(name: string): Promise<{ reasons: string[]; stop: () => Promise<void> }> {
    const reasons: string[] = [];
    const stop = await bus.subscribe(`${TOPIC}.${name}.dead-letter`, `${TOPIC}.${name}.dead-letter.watch`, (m) => {
      reasons.push(m.attributes['deadLetterReason'] ?? '');
      return Promise.resolve();
    });
    return { reasons, stop };
  }

  it('is redelivered past maxDeliveries (3) until the database answers again, and handled once; never dead-lettered', async () => {
    const name = `test-${randomUUID().slice(0, 8)}`;
    const dead = await deadLetters(name);
    const attempts: number[] = [];
    let handled = 0;
    const stop = await events.consume(TOPIC, name, async (_p, ctx) => {
      attempts.push(ctx.deliveryAttempt);
      // Four deliveries find the database gone (their session terminated, as by a restart); the fifth gets through.
      if (attempts.length <= 4) throw await terminatedSession();
      await ds.query(`SELECT 1`);
      handled++;
    });
    await events.publish(TOPIC, payload());
    const deadline = Date.now() + 60_000;
    while (handled === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1000));
    expect({ handled, attempts: attempts.length, deadLettered: dead.reasons }).toEqual({ handled: 1, attempts: 5, deadLettered: [] });
    await stop();
    await dead.stop();
  }, 90_000);

  it('a database error that is the message’s own (a constraint violation) is still dead-lettered after maxDeliveries', async () => {
    const name = `test-${randomUUID().slice(0, 8)}`;
    const dead = await deadLetters(name);
    let attempts = 0;
    const stop = await events.consume(TOPIC, name, async () => {
      attempts++;
      await ds.query(`INSERT INTO once VALUES (1)`);
    });
    await events.publish(TOPIC, payload());
    const deadline = Date.now() + 30_000;
    while (dead.reasons.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(dead.reasons).toEqual(['duplicate key value violates unique constraint "once_pkey"']);
    expect(attempts).toBe(3);
    await stop();
    await dead.stop();
  }, 60_000);
});
