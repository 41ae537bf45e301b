// The limits of the parts, measured in the same run as the platform's figures: what the Pub/Sub emulator and
// PostgreSQL do on their own for the same topology, message size and rows, with nothing of Fasit in between but the
// transport client (`PubSubBus`: the same client, unary pull and subscriber settings as the services). A figure's
// ratio to its limit is what says how much the platform adds; the absolute numbers say how fast this machine is.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PubSubBus, type Unsubscribe } from '@fasit/bus';
import { pool } from '../src/fleet/simulated-fleet.js';
import { percentile } from './report.js';

export interface RateLimit {
  messages: number;
  bytes: number;
  /** Messages per second published (from the first publish call to the last acknowledged by the emulator). */
  publishRate: number;
  /** Messages per second end to end (from the first publish to the last message received). */
  endToEndRate: number;
}

const waitUntil = async (done: () => boolean, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`limit measurement timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/**
 * `messages` messages of `bytes`, message i on topic i mod `topics`, each topic with one subscription pulled by this
 * process (`inFlight` at a time, 16 unless said, as the services): the emulator alone, for a topology. Setup
 * (topics, subscriptions) is not timed; publishing runs 64 at a time.
 */
async function emulatorRate(o: {
  emulatorHost: string;
  topics: number;
  messages: number;
  bytes: number;
  timeoutMs: number;
  what: string;
  inFlight?: number;
}): Promise<RateLimit> {
  const run = randomBytes(4).toString('hex');
  const bus = new PubSubBus({ projectId: `limit-${run}`, emulatorHost: o.emulatorHost, createTopics: true });
  const topics = Array.from({ length: o.topics }, (_, i) => `limit.topic.${i}`);
  let received = 0;
  const stops: Unsubscribe[] = [];
  try {
    await pool(topics, 16, async (t) => {
      stops.push(
        await bus.subscribe(
          t,
          `${t}.sub`,
          () => {
            received++;
            return Promise.resolve();
          },
          { maxInFlight: o.inFlight ?? 16 },
        ),
      );
    });
    const data = randomBytes(o.bytes);
    const t0 = performance.now();
    await pool(
      Array.from({ length: o.messages }, (_, i) => i),
      64,
      async (i) => {
        await bus.publish(topics[i % o.topics]!, data, { environment: `env-${i}` });
      },
    );
    const published = performance.now() - t0;
    await waitUntil(() => received >= o.messages, o.timeoutMs, o.what);
    const all = performance.now() - t0;
    return { messages: o.messages, bytes: o.bytes, publishRate: o.messages / (published / 1000), endToEndRate: o.messages / (all / 1000) };
  } finally {
    await Promise.all(stops.map((s) => s()));
    await bus.close();
  }
}

/** One message on each of `topics` topics: today's instruction delivery (one topic and subscription per environment). */
export function emulatorPerTopicLimit(o: { emulatorHost: string; topics: number; bytes: number; timeoutMs: number }): Promise<RateLimit> {
  return emulatorRate({ ...o, messages: o.topics, what: `${o.topics} messages on ${o.topics} topics` });
}

/**
 * The layout decision 0024 chooses, on the emulator: the messages spread over `shards` topics, one subscription each
 * (as the fleet simulator would consume a shard for all the agents it plays; real agents each have their own
 * filtered subscription, which the emulator does not filter).
 */
export function emulatorShardedLimit(o: { emulatorHost: string; messages: number; shards: number; bytes: number; timeoutMs: number }): Promise<RateLimit> {
  return emulatorRate({ ...o, topics: o.shards, what: `${o.messages} messages on ${o.shards} shard topics` });
}

/** All the messages on one topic with one subscription (`inFlight` at a time): the reports' topology. */
export function emulatorOneTopicLimit(o: { emulatorHost: string; messages: number; bytes: number; timeoutMs: number; inFlight?: number }): Promise<RateLimit> {
  return emulatorRate({ ...o, topics: 1, what: `${o.messages} messages on one topic` });
}

export interface InsertLimit {
  rows: number;
  /** Rows per second, one transaction per row, 8 connections (as a service's pool handles messages one by one). */
  perRowRate: number;
  /** Rows per second, one multi-row INSERT of all of them. */
  bulkRate: number;
}

/**
 * PostgreSQL's insert rate for rows shaped like what a report writes (an id, an environment, a status, a time, a
 * small JSON document and an index on the environment), in a scratch table of the benchmark's own database.
 */
export async function postgresInsertLimit(o: { databaseUrl: string; rows: number }): Promise<InsertLimit> {
  const clients = await Promise.all(
    Array.from({ length: 8 }, async () => {
      const c = new pg.Client({ connectionString: o.databaseUrl });
      await c.connect();
      return c;
    }),
  );
  const table = `limit_rows_${randomBytes(4).toString('hex')}`;
  try {
    await clients[0]!.query(
      `CREATE TABLE ${table} (id uuid PRIMARY KEY, environment_id uuid NOT NULL, status text NOT NULL, at timestamptz NOT NULL, doc jsonb NOT NULL)`,
    );
    await clients[0]!.query(`CREATE INDEX ON ${table} (environment_id)`);
    const row = () => [
      crypto.randomUUID(),
      crypto.randomUUID(),
      'deployed',
      new Date(),
      JSON.stringify({ name: 'demo-feature', featureVersion: '0.1.0', hash: randomBytes(32).toString('hex') }),
    ];
    const rows = Array.from({ length: o.rows }, row);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      clients.map(async (c) => {
        while (next < rows.length) {
          const r = rows[next++]!;
          await c.query('BEGIN');
          await c.query(`INSERT INTO ${table} VALUES ($1, $2, $3, $4, $5)`, r);
          await c.query('COMMIT');
        }
      }),
    );
    const perRow = performance.now() - t0;
    const bulk = Array.from({ length: o.rows }, row);
    const t1 = performance.now();
    await clients[0]!.query(
      `INSERT INTO ${table} SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::jsonb[])`,
      [0, 1, 2, 3, 4].map((k) => bulk.map((r) => r[k])),
    );
    const bulkMs = performance.now() - t1;
    return { rows: o.rows, perRowRate: o.rows / (perRow / 1000), bulkRate: o.rows / (bulkMs / 1000) };
  } finally {
    await clients[0]!.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await Promise.all(clients.map((c) => c.end()));
  }
}

export interface HopLatency {
  samples: number;
  /** From the publish call to the subscriber's handler, milliseconds. */
  p50: number;
  p99: number;
}

/**
 * One hop of the event path on the bare emulator: one message at a time on one topic with one subscription (the
 * same client, unary pull and settings as the services), timed from the publish call to the subscriber's handler.
 * A change travels four such hops (catalog → matcher → reconciler → dispatcher → agent), so four of them are the
 * floor under the one-change latency, whatever the services do in between.
 */
export async function emulatorHopLatency(o: { emulatorHost: string; samples: number; bytes: number; timeoutMs: number }): Promise<HopLatency> {
  const run = randomBytes(4).toString('hex');
  const bus = new PubSubBus({ projectId: `hop-${run}`, emulatorHost: o.emulatorHost, createTopics: true });
  let arrived: (() => void) | undefined;
  const stop = await bus.subscribe('limit.hop', 'limit.hop.sub', () => {
    arrived?.();
    return Promise.resolve();
  });
  try {
    const data = randomBytes(o.bytes);
    const ms: number[] = [];
    for (let i = 0; i < o.samples; i++) {
      const got = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('limit measurement timed out waiting for one hop')), o.timeoutMs);
        arrived = () => (clearTimeout(timer), resolve());
      });
      const t0 = performance.now();
      await bus.publish('limit.hop', data, {});
      await got;
      ms.push(performance.now() - t0);
    }
    return { samples: ms.length, p50: percentile(ms, 50), p99: percentile(ms, 99) };
  } finally {
    await stop();
    await bus.close();
  }
}
