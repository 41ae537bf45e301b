// Shared set-up for the catalog integration suites: a fresh database per suite, the real local registry, the
// in-process bus with a recorder of every catalog event, and a small HTTP client.
import { randomBytes } from 'node:crypto';
import { EventBus, InProcessBus, topics, type TopicName } from '@fasit/bus';
import { JsonLogger } from '@fasit/config';
import { createTestDatabase, migrateServiceSchemas, ociRegistry, type TestDatabase } from '@fasit/testing';
import pg from 'pg';
import { startCatalog, type RunningCatalog } from '../src/bootstrap.js';
import { loadCatalogConfig } from '../src/settings/catalog.settings.js';

/** A JSON object from the API; ask for a more precise type with api<T>(). */
export type Obj = Record<string, unknown>;
/** A list answer where the tests look at a few fields. */
export type Rows = Record<string, unknown>[];

export interface RecordedEvent {
  topic: string;
  payload: Record<string, unknown>;
}

export interface Harness {
  catalog: RunningCatalog;
  db: TestDatabase;
  sql: pg.Pool;
  events: RecordedEvent[];
  logs: string[];
  api<T = Obj>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T; headers: Headers }>;
  waitForEvent(topic: TopicName, match?: (p: Record<string, unknown>) => boolean): Promise<RecordedEvent>;
  close(): Promise<void>;
}

export const unique = (prefix: string): string => `${prefix}-${randomBytes(3).toString('hex')}`;

/**
 * With `options.db`, runs on that database and leaves it in place on close (several starts on one database). In
 * oidc mode the local test registry is the one registry the catalog may pull from (FASIT_OCI_REGISTRIES), unless
 * the suite says otherwise; dev mode allows loopback registries.
 */
export async function startHarness(env: Record<string, string> = {}, options: { db?: TestDatabase } = {}): Promise<Harness> {
  const db = options.db ?? (await createTestDatabase('catalog'));
  const registries = env['FASIT_AUTH_MODE'] === 'oidc' && env['FASIT_OCI_REGISTRIES'] === undefined ? { FASIT_OCI_REGISTRIES: ociRegistry() } : {};
  const config = loadCatalogConfig({
    DATABASE_URL: db.url,
    FASIT_HTTP_PORT: '0',
    FASIT_GRPC_PORT: '0',
    FASIT_BUS: 'memory',
    LOG_LEVEL: 'warn',
    ...registries,
    ...env,
  });
  const bus = new EventBus(new InProcessBus(), { maxDeliveries: 3 });
  const events: RecordedEvent[] = [];
  for (const topic of Object.keys(topics).filter((t) => t.startsWith('catalog.'))) {
    await bus.consume(topic, 'test-recorder', (payload) => {
      events.push({ topic, payload });
      return Promise.resolve();
    });
  }
  const logs: string[] = [];
  const logger = new JsonLogger('catalog-api', 'debug', (line) => logs.push(line));
  const catalog = await startCatalog(config, { bus, logger });
  const sql = new pg.Pool({ connectionString: db.url, max: 3 });
  // An idle connection ended by the server (a database dropped with FORCE) is not a test failure.
  sql.on('error', () => undefined);
  const h: Harness = {
    catalog,
    db,
    sql,
    events,
    logs,
    async api<T>(method: string, path: string, body?: unknown, token?: string) {
      const headers: Record<string, string> = {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (token) headers['authorization'] = `Bearer ${token}`;
      const res = await fetch(`${catalog.url}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (the docs page)
      }
      return { status: res.status, body: parsed as T, headers: res.headers };
    },
    async waitForEvent(topic, match = () => true) {
      const deadline = Date.now() + 5000;
      for (;;) {
        const found = events.find((e) => e.topic === topic && match(e.payload));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no ${topic} event arrived; got ${JSON.stringify(events.map((e) => e.topic))}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      await sql.end();
      await catalog.close();
      await bus.bus.close();
      if (!options.db) await db.drop();
    },
  };
  return h;
}

/**
 * Migrates the reconciler's and the dispatcher's schemas into the harness's database, as their own starts would:
 * their tables (which the tests fill as those services would) and the `reconciler_api`/`dispatcher_api` views the
 * catalog reads.
 */
export async function createForeignSchemas(h: Pick<Harness, 'db'>): Promise<void> {
  await migrateServiceSchemas(h.db.url, ['reconciler', 'dispatcher']);
}
