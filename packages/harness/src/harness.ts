// Integration harness: a fresh database, the real catalog API (in-process, REST) and the service under test
// started with startService, sharing one EventBus over the in-process bus or, when asked, the Pub/Sub emulator
// (scripts/services.sh starts it; PUBSUB_EMULATOR_HOST), with a project of its own. Observation goes through the
// database and the bus only. Used by the integration suites of apps/{matcher,reconciler,dispatcher}.
import { randomBytes } from 'node:crypto';
import {
  EventBus,
  InProcessBus,
  PubSubBus,
  aggregatesOf,
  stampVersions,
  type Bus,
  type BusMessage,
  type Draft,
  type PayloadOf,
  type AttributeFilter,
  type OutgoingMessage,
  type PublishMessageOptions,
  type RawHandler,
  type SubscribeOptions,
  type TopicName,
  type Unsubscribe,
} from '@fasit/bus';
import { startCatalog, loadCatalogConfig, type RunningCatalog } from '@fasit/catalog-api';
import { busSpec, JsonLogger, readConfig } from '@fasit/config';
import { startService, type RunningService, type ServiceConfig, type AnyServiceDefinition } from '@fasit/service';
import { createTestDatabase, type TestDatabase } from '@fasit/testing';

export const unique = (prefix: string): string => `${prefix}-${randomBytes(3).toString('hex')}`;

/** Polls `probe` until it returns something other than undefined/false, or fails after the deadline saying what it waited for. */
export async function until<T>(what: string, probe: () => Promise<T | undefined | false | null>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false && v !== null) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

export type Transport = 'in-process bus' | 'Pub/Sub emulator';

/** The transports a suite can run on here: the in-process bus, and the emulator when it was started. */
const emulatorHost = readConfig({ pubsubEmulatorHost: busSpec.pubsubEmulatorHost }).pubsubEmulatorHost;
export const transports: Transport[] = ['in-process bus', ...(emulatorHost ? (['Pub/Sub emulator'] as const) : [])];

/**
 * A real bus, unchanged, plus a record of every delivery each subscription settled (acked or nacked), so a test
 * can wait until a service has finished with one event before asserting that nothing changed.
 */
export class ObservedBus implements Bus {
  readonly settled: { subscription: string; eventId: string; outcome: 'ack' | 'nack' }[] = [];

  constructor(private readonly inner: Bus = new InProcessBus({ baseBackoffMs: 50 })) {}

  get kind(): Bus['kind'] {
    return this.inner.kind;
  }

  ensureTopic(topic: string): Promise<void> {
    return this.inner.ensureTopic(topic);
  }
  publish(topic: string, data: Buffer, attributes: Record<string, string>, options?: PublishMessageOptions): Promise<string> {
    return this.inner.publish(topic, data, attributes, options);
  }
  createSubscription(topic: string, subscription: string, options?: { filter?: AttributeFilter }): Promise<void> {
    return this.inner.createSubscription(topic, subscription, options);
  }
  deleteSubscription(subscription: string): Promise<void> {
    return this.inner.deleteSubscription(subscription);
  }
  publishBatch(topic: string, messages: readonly OutgoingMessage[]): Promise<string[]> {
    return this.inner.publishBatch(topic, messages);
  }
  subscribe(topic: string, subscription: string, handler: RawHandler, options?: SubscribeOptions): Promise<Unsubscribe> {
    return this.inner.subscribe(
      topic,
      subscription,
      async (m: BusMessage) => {
        try {
          await handler(m);
        } catch (e) {
          this.settled.push({ subscription, eventId: m.attributes['eventId'] ?? m.id, outcome: 'nack' });
          throw e;
        }
        this.settled.push({ subscription, eventId: m.attributes['eventId'] ?? m.id, outcome: 'ack' });
      },
      options,
    );
  }
  close(): Promise<void> {
    return this.inner.close();
  }

  /** Resolves once `subscription` has acked the event `eventId` `times` times. */
  acked(subscription: string, eventId: string, times = 1): Promise<true> {
    return until(`${subscription} to ack ${eventId} ${times}×`, () =>
      Promise.resolve(this.settled.filter((s) => s.subscription === subscription && s.eventId === eventId && s.outcome === 'ack').length >= times || undefined),
    );
  }
}

export interface Received<T> {
  payload: T;
  eventId: string;
  attributes: Readonly<Record<string, string>>;
}

/** Everything published on one topic after `record()` was called. */
export class Recording<T> {
  readonly items: Received<T>[] = [];
  private mark = 0;

  /** Forget what arrived so far (`since()` then returns only newer messages). */
  reset(): void {
    this.mark = this.items.length;
  }
  since(): T[] {
    return this.items.slice(this.mark).map((i) => i.payload);
  }
  all(): T[] {
    return this.items.map((i) => i.payload);
  }
  async waitFor(what: string, match: (p: T) => boolean = () => true, timeoutMs?: number): Promise<Received<T>> {
    return until(
      `${what} (got ${JSON.stringify(this.since()).slice(0, 600)})`,
      () => Promise.resolve(this.items.slice(this.mark).find((i) => match(i.payload))),
      timeoutMs,
    );
  }
}

export interface Harness {
  db: TestDatabase;
  bus: EventBus;
  raw: ObservedBus;
  catalog: RunningCatalog;
  /** The service under test (its first replica). */
  service: RunningService;
  /** Every replica of the service under test, running at once on the same database and subscriptions. */
  replicas: RunningService[];
  /** Stops the companion service named `name` (its schema stays). */
  stopCompanion(name: string): Promise<void>;
  logs: string[];
  /** Reads the database of the suite (through the service's own pool). */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Like api, but fails with the answer unless the status is 2xx. */
  ok<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  record<K extends TopicName>(topic: K | string): Promise<Recording<K extends TopicName ? PayloadOf<K> : unknown>>;
  /**
   * An event as its producer (`schema`: its outbox) would write it: stamped with the next version(s) of its
   * aggregate(s) from the producer's counters, but not published, so the test delivers it when it wants.
   */
  versioned<K extends TopicName>(schema: string, topic: K, draft: Draft<PayloadOf<K>>): Promise<PayloadOf<K>>;
  /** A counter of `/metrics` (the series with these labels), summed over the replicas of the service under test. */
  counter(name: string, labels?: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  prefix: string;
  /** Default: the in-process bus. */
  transport?: Transport;
  /** Environment of the service under test (DATABASE_URL, FASIT_BUS, FASIT_HTTP_PORT are set). */
  service: (env: Record<string, string>) => { definition: AnyServiceDefinition; config: ServiceConfig };
  /** Replicas of the service under test (default 1): each its own runtime and pool, sharing subscriptions. */
  replicas?: number;
  /**
   * Wraps the real bus every service of the suite shares (in-process or emulator), to inject a fault into what
   * passes through it: a delivery dropped, a publish followed by a crash.
   */
  faults?: (bus: Bus) => Bus;
  /** Services the one under test needs running beside it (started first, same database and bus). */
  companions?: ((env: Record<string, string>) => { definition: AnyServiceDefinition; config: ServiceConfig })[];
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const db = await createTestDatabase(options.prefix);
  if (options.transport === 'Pub/Sub emulator' && !emulatorHost) throw new Error('PUBSUB_EMULATOR_HOST is not set: start scripts/services.sh');
  const real: Bus =
    options.transport === 'Pub/Sub emulator'
      ? new PubSubBus({ projectId: unique(options.prefix), emulatorHost, createTopics: true })
      : new InProcessBus({ baseBackoffMs: 50 });
  const raw = new ObservedBus(options.faults ? options.faults(real) : real);
  const logs: string[] = [];
  const busLog =
    (level: string) =>
    (msg: string, fields: Record<string, unknown> = {}) =>
      logs.push(JSON.stringify({ level, service: 'bus', msg, ...fields }));
  const bus = new EventBus(raw, { maxDeliveries: 3, logger: { debug: busLog('debug'), warn: busLog('warn'), error: busLog('error') } });
  const logger = (name: string) => new JsonLogger(name, 'warn', (line) => logs.push(line));
  const env = { DATABASE_URL: db.url, FASIT_BUS: 'memory', FASIT_HTTP_PORT: '0', FASIT_GRPC_PORT: '0', LOG_LEVEL: 'warn', FASIT_BUS_MAX_DELIVERIES: '3' };
  const catalog = await startCatalog(loadCatalogConfig(env), { bus, logger: logger('catalog-api') });
  const companions: { name: string; running: RunningService }[] = [];
  for (const c of options.companions ?? []) {
    const { definition, config } = c(env);
    companions.push({ name: definition.name, running: await startService(definition, config, { bus, logger: logger(definition.name) }) });
  }
  const { definition, config } = options.service(env);
  const replicas: RunningService[] = [];
  for (let i = 0; i < (options.replicas ?? 1); i++) replicas.push(await startService(definition, config, { bus, logger: logger(definition.name) }));
  const service = replicas[0]!;
  const stops: (() => Promise<void>)[] = [];
  const h: Harness = {
    db,
    bus,
    raw,
    catalog,
    service,
    replicas,
    async stopCompanion(name: string) {
      const i = companions.findIndex((c) => c.name === name);
      if (i < 0) throw new Error(`no companion ${name} is running`);
      const [c] = companions.splice(i, 1);
      await c!.running.close();
    },
    logs,
    query: <R>(sql: string, params: unknown[] = []) => service.ctx.dataSource.query<R[]>(sql, params),
    async api<T>(method: string, path: string, body?: unknown) {
      const res = await fetch(`${catalog.url}${path}`, {
        method,
        ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    async ok<T>(method: string, path: string, body?: unknown) {
      const r = await h.api<T>(method, path, body);
      if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async record(topic: string) {
      const rec = new Recording<never>();
      stops.push(
        await bus.consume(topic, unique('test'), (payload, ctx) => {
          rec.items.push({ payload: payload as never, eventId: ctx.eventId, attributes: ctx.attributes });
          return Promise.resolve();
        }),
      );
      return rec;
    },
    async versioned<K extends TopicName>(schema: string, topic: K, draft: Draft<PayloadOf<K>>) {
      const versions: number[] = [];
      for (const aggregate of aggregatesOf(topic, draft)) {
        const [row] = await service.ctx.dataSource.query<{ version: string }[]>(
          `INSERT INTO "${schema}".aggregate_versions (aggregate, version) VALUES ($1, 1)
           ON CONFLICT (aggregate) DO UPDATE SET version = "${schema}".aggregate_versions.version + 1 RETURNING version::text AS version`,
          [aggregate],
        );
        versions.push(Number(row!.version));
      }
      return stampVersions(topic, draft, versions) as PayloadOf<K>;
    },
    async counter(name: string, labels: Record<string, string> = {}) {
      let total = 0;
      for (const r of replicas) {
        const text = await (await fetch(`${r.url}/metrics`)).text();
        for (const line of text.split('\n')) {
          if (line.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) total += Number(line.split(' ').pop());
        }
      }
      return total;
    },
    async close() {
      for (const s of stops) await s();
      for (const r of replicas) await r.close();
      for (const c of companions.reverse()) await c.running.close();
      await catalog.close();
      await raw.close();
      await db.drop();
    },
  };
  return h;
}
