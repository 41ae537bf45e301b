// Graceful drain of a real worker process (startService) over Google's Pub/Sub emulator and PostgreSQL: SIGTERM
// while a handler runs. The handler finishes, its effect commits, its outbox event goes out, its message is acked
// (a consumer started afterwards on the same subscription gets nothing), and the process exits 0. A handler that
// outlives FASIT_DRAIN_TIMEOUT_MS is nacked instead: its message comes back to the next consumer, nothing lost.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { EventBus, PubSubBus, type ConfigChangedV1 } from '@fasit/bus';
import { childProcessEnv } from '@fasit/config';
import { createTestDatabase, freePort, type TestDatabase } from '@fasit/testing';

const emulator = process.env['PUBSUB_EMULATOR_HOST'];
const HERE = dirname(fileURLToPath(import.meta.url));
const TOPIC = 'catalog.environment-value.changed.v1';
/** The first test's drain timeout: far longer than its handler (3 s) and a shutdown take. */
const DRAIN_TIMEOUT_MS = 240_000;

interface Worker {
  child: ChildProcess;
  exited: Promise<number | null>;
  log: string;
}

async function startWorker(db: TestDatabase, project: string, handlerMs: number, drainMs: number): Promise<Worker> {
  const port = await freePort();
  const log = `/tmp/fasit-drain-${project}-${port}.log`;
  mkdirSync(dirname(log), { recursive: true });
  const env = childProcessEnv({
    NODE_OPTIONS: undefined,
    DATABASE_URL: db.url,
    FASIT_BUS: 'pubsub',
    PUBSUB_EMULATOR_HOST: emulator,
    PUBSUB_PROJECT_ID: project,
    METADATA_SERVER_DETECTION: 'none',
    FASIT_HTTP_PORT: String(port),
    FASIT_DRAIN_TIMEOUT_MS: String(drainMs),
    LOG_LEVEL: 'info',
  });
  delete env['NODE_OPTIONS'];
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', join(HERE, 'fixtures/slow-worker.ts'), String(handlerMs)], {
    cwd: join(HERE, '..'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = createWriteStream(log);
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  // Generous: the worker compiles its TypeScript at start, which a loaded 2-core machine has taken over a minute for.
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`worker exited while starting:\n${readFileSync(log, 'utf8').slice(-2000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL'); // or it outlives the test run (and keeps Jest from exiting)
      throw new Error(`worker not ready after 180 s:\n${readFileSync(log, 'utf8').slice(-2000)}`);
    }
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, exited, log };
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe(emulator ? 'graceful drain of a worker process (Pub/Sub emulator, PostgreSQL)' : 'MISSING: the Pub/Sub emulator', () => {
  let db: TestDatabase;
  let sql: pg.Client;
  beforeAll(async () => {
    if (!emulator) throw new Error('this machine has no Pub/Sub emulator (scripts/services.sh start says why)');
    db = await createTestDatabase('drain');
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await db?.drop();
  });

  const count = async (table: string, eventId: string) =>
    (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM slow.${table} WHERE event_id = $1`, [eventId])).rows[0]!.n;

  it('SIGTERM mid-handler: the handler finishes, its effect and outbox event go out once, the message is not redelivered', async () => {
    const project = `drain-${randomBytes(4).toString('hex')}`;
    const bus = new EventBus(new PubSubBus({ projectId: project, emulatorHost: emulator, createTopics: true }), { maxDeliveries: 5 });
    const announced: ConfigChangedV1[] = [];
    const stopWatch = await bus.consume('catalog.config.changed.v1', 'watch', (p) => Promise.resolve(void announced.push(p)));
    const worker = await startWorker(db, project, 3000, DRAIN_TIMEOUT_MS);
    const eventId = randomUUID();
    await bus.publish(TOPIC, { version: 'v1', aggregateVersion: 1, environmentId: randomUUID(), key: 'mid-handler' }, { eventId });
    await until('the handler to start', async () => ((await count('started', eventId)) > 0 ? true : undefined));
    const signalled = Date.now();
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const drainedMs = Date.now() - signalled;
    expect(await count('effects', eventId)).toBe(1);
    expect(readFileSync(worker.log, 'utf8')).toMatch(/"matcher stopped"/);

    // The outbox event committed by the handler was flushed before the process exited.
    await until('the outbox event', () => Promise.resolve(announced.find((a) => a.key === 'mid-handler')));

    // A consumer started afterwards on the worker's subscription gets nothing: the message was acked, not nacked.
    const redelivered: string[] = [];
    const stopNext = await bus.consume(TOPIC, 'matcher', (_p, ctx) => Promise.resolve(void redelivered.push(ctx.eventId)));
    await new Promise((r) => setTimeout(r, 5000));
    await stopNext();
    expect(redelivered).toEqual([]);
    expect(await count('started', eventId)).toBe(1);
    // It stopped when the handler was done, not at FASIT_DRAIN_TIMEOUT_MS (no speed target: the drain timeout is
    // far beyond what a 3 s handler and a shutdown take even on a loaded machine).
    expect(drainedMs).toBeLessThan(DRAIN_TIMEOUT_MS);
    await stopWatch();
    await bus.bus.close();
  }, 600_000);

  it('a handler still running at FASIT_DRAIN_TIMEOUT_MS is nacked and its message handled by the next consumer', async () => {
    const project = `drain-${randomBytes(4).toString('hex')}`;
    const bus = new EventBus(new PubSubBus({ projectId: project, emulatorHost: emulator, createTopics: true }), { maxDeliveries: 5 });
    const worker = await startWorker(db, project, 30_000, 1000);
    const eventId = randomUUID();
    await bus.publish(TOPIC, { version: 'v1', aggregateVersion: 1, environmentId: randomUUID(), key: 'too-slow' }, { eventId });
    await until('the handler to start', async () => ((await count('started', eventId)) > 0 ? true : undefined));
    worker.child.kill('SIGTERM');
    // A clean exit without the handler's effect: the process stopped at the 1 s drain timeout, before the 30 s
    // handler could commit (no clock assertion needed).
    expect(await worker.exited).toBe(0);
    expect(await count('effects', eventId)).toBe(0);

    const redelivered: string[] = [];
    const stopNext = await bus.consume(TOPIC, 'matcher', (_p, ctx) => Promise.resolve(void redelivered.push(ctx.eventId)));
    await until('the nacked message to come back', () => Promise.resolve(redelivered.includes(eventId) ? true : undefined), 30_000);
    await stopNext();
    await bus.bus.close();
  }, 600_000);
});
