// Each environment's filtered subscription on its instruction shard (decision 0024) follows the environment: created
// when it is created, deleted with it, by the catalog's own `catalog.environment.changed.v1`, safe under redelivery
// and under an old event delivered late (a deleted environment's name taken again). On the in-process bus (which
// applies filters) and on the Pub/Sub emulator (read back: it stores filters, it does not apply them), against the
// real PostgreSQL. FASIT_INSTRUCTION_SUBSCRIPTIONS=false creates none.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  EventBus,
  InProcessBus,
  PubSubBus,
  instructionAttributes,
  instructionShardSubscription,
  instructionShardTopic,
  instructionShard,
  type AttributeFilter,
  type Bus,
  type BusMessage,
  type EnvironmentChangedV1,
  type OutgoingMessage,
  type PublishMessageOptions,
  type RawHandler,
  type SubscribeOptions,
  type Unsubscribe,
} from '@fasit/bus';
import { busSpec, JsonLogger, readConfig } from '@fasit/config';
import { createTestDatabase, type TestDatabase } from '@fasit/testing';
import { startCatalog, type RunningCatalog } from '../src/bootstrap.js';
import { loadCatalogConfig } from '../src/settings/catalog.settings.js';

const emulator = readConfig({ pubsubEmulatorHost: busSpec.pubsubEmulatorHost }).pubsubEmulatorHost;
const SUBSCRIPTION = 'catalog.environment.changed.v1.catalog-api';

/** The real bus, telling when the catalog has settled (acked) each delivery of its environment events. */
class Settled implements Bus {
  readonly acked: string[] = [];
  constructor(readonly inner: Bus) {}
  get kind(): Bus['kind'] {
    return this.inner.kind;
  }
  ensureTopic(topic: string): Promise<void> {
    return this.inner.ensureTopic(topic);
  }
  publish(topic: string, data: Buffer, attributes: Record<string, string>, options?: PublishMessageOptions): Promise<string> {
    return this.inner.publish(topic, data, attributes, options);
  }
  publishBatch(topic: string, messages: readonly OutgoingMessage[]): Promise<string[]> {
    return this.inner.publishBatch(topic, messages);
  }
  createSubscription(topic: string, subscription: string, options?: { filter?: AttributeFilter }): Promise<void> {
    return this.inner.createSubscription(topic, subscription, options);
  }
  deleteSubscription(subscription: string): Promise<void> {
    return this.inner.deleteSubscription(subscription);
  }
  subscribe(topic: string, subscription: string, handler: RawHandler, options?: SubscribeOptions): Promise<Unsubscribe> {
    if (subscription !== SUBSCRIPTION) return this.inner.subscribe(topic, subscription, handler, options);
    return this.inner.subscribe(
      topic,
      subscription,
      async (m: BusMessage) => {
        await handler(m);
        this.acked.push(m.attributes['eventId'] ?? m.id);
      },
      options,
    );
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const kinds: [string, (project: string) => Bus][] = [['in-process bus', () => new InProcessBus({ baseBackoffMs: 20 })]];
if (emulator) kinds.push(['Pub/Sub emulator', (projectId) => new PubSubBus({ projectId, emulatorHost: emulator, createTopics: true })]);

describe.each(kinds)("an environment's instruction subscription (%s, PostgreSQL)", (name, make) => {
  const project = `catalog-subs-${randomUUID().slice(0, 8)}`;
  const tenant = `t${randomUUID().slice(0, 6)}`;
  const raw = new Settled(make(project));
  const bus = new EventBus(raw, { maxDeliveries: 3 });
  const changes: { eventId: string; payload: EnvironmentChangedV1 }[] = [];
  let db: TestDatabase;
  let catalog: RunningCatalog;

  const api = async (method: string, path: string, body?: unknown): Promise<number> =>
    (
      await fetch(`${catalog.url}/api/v1${path}`, {
        method,
        ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
      })
    ).status;
  /** The catalog's latest event of this environment, once the catalog has settled it. */
  const settled = async (env: string, deleted: boolean) => {
    const change = await until(`the ${deleted ? 'deletion' : 'creation'} of ${env} announced`, () =>
      changes.find((c) => c.payload.name === env && c.payload.deleted === deleted),
    );
    await until(`the catalog to settle ${change.eventId}`, () => (raw.acked.includes(change.eventId) ? true : undefined));
    return change;
  };
  /** Delivers an event again, as Pub/Sub's redelivery (or a late copy) would, and waits until the catalog settled it. */
  const redeliver = async (c: { payload: EnvironmentChangedV1 }) => {
    const eventId = randomUUID();
    await bus.publish('catalog.environment.changed.v1', c.payload, { eventId });
    await until(`the catalog to settle the copy ${eventId}`, () => (raw.acked.includes(eventId) ? true : undefined));
  };
  /**
   * Whether the environment's subscription is there. On the emulator it is read back (with its filter); on the
   * in-process bus a probe is published to the shard and must be kept by the subscription for its agent, which
   * pulls only afterwards (with another environment's message, which the filter keeps out).
   */
  const subscription = async (env: string): Promise<{ filter?: string } | undefined> => {
    const sub = instructionShardSubscription(tenant, env);
    if (raw.kind === 'pubsub') {
      // The emulator's REST face (the same port): what CreateSubscription stored.
      const res = await fetch(`http://${emulator}/v1/projects/${project}/subscriptions/${sub}`);
      if (res.status === 404) return undefined;
      const metadata = (await res.json()) as { topic: string; filter?: string };
      expect(metadata.topic).toBe(`projects/${project}/topics/${instructionShardTopic(tenant, env)}`);
      return { filter: metadata.filter ?? '' };
    }
    const topic = instructionShardTopic(tenant, env);
    const probe = randomUUID();
    await raw.publish(topic, Buffer.from(probe), instructionAttributes(tenant, env));
    await raw.publish(topic, Buffer.from(`foreign-${probe}`), instructionAttributes(tenant, `${env}-other`));
    const got: string[] = [];
    const stop = await raw.subscribe(topic, sub, (m) => Promise.resolve(void got.push(m.data.toString())));
    await new Promise((r) => setTimeout(r, 300));
    await stop();
    // Pulling created it if it was missing: leave the bus as it found it.
    if (!got.includes(probe)) await raw.deleteSubscription(sub);
    expect(got).not.toContain(`foreign-${probe}`);
    return got.includes(probe) ? { filter: `attributes.environment = "${tenant}/${env}"` } : undefined;
  };

  beforeAll(async () => {
    db = await createTestDatabase('catalog-subs');
    await bus.consume('catalog.environment.changed.v1', 'test-recorder', (payload: EnvironmentChangedV1, ctx) => {
      if (payload.tenant === tenant) changes.push({ eventId: ctx.eventId, payload });
      return Promise.resolve();
    });
    const config = loadCatalogConfig({ DATABASE_URL: db.url, FASIT_HTTP_PORT: '0', FASIT_GRPC_PORT: '-1', FASIT_BUS: 'memory', LOG_LEVEL: 'warn' });
    catalog = await startCatalog(config, { bus, logger: new JsonLogger('catalog-api', 'warn', () => undefined) });
    expect(await api('POST', '/tenants', { name: tenant })).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await catalog?.close();
    await raw.close();
    await db?.drop();
  });

  it(`is created with the environment, filtered on its environment attribute, and survives a redelivery (${name})`, async () => {
    expect(await api('POST', `/tenants/${tenant}/environments`, { name: 'dev', kind: 'tenant' })).toBe(201);
    const created = await settled('dev', false);
    expect(await subscription('dev')).toEqual({ filter: `attributes.environment = "${tenant}/dev"` });
    await redeliver(created);
    expect(await subscription('dev')).toEqual({ filter: `attributes.environment = "${tenant}/dev"` });
    expect(instructionShardSubscription(tenant, 'dev')).toBe(`naisd.instructions.v3.shard-${instructionShard(tenant, 'dev')}.${tenant}.dev.naisd`);
  });

  it('is deleted with the environment; a late copy of its creation does not bring it back, nor a deletion delivered again', async () => {
    expect(await api('POST', `/tenants/${tenant}/environments`, { name: 'gone', kind: 'tenant' })).toBe(201);
    const created = await settled('gone', false);
    expect(await subscription('gone')).toBeDefined();
    expect(await api('DELETE', `/tenants/${tenant}/environments/gone`)).toBe(204);
    const deleted = await settled('gone', true);
    expect(await subscription('gone')).toBeUndefined();
    await redeliver(created);
    await redeliver(deleted);
    expect(await subscription('gone')).toBeUndefined();
  });

  it("keeps the subscription of an environment created again under a deleted one's name when the old deletion comes late", async () => {
    expect(await api('POST', `/tenants/${tenant}/environments`, { name: 'again', kind: 'tenant' })).toBe(201);
    await settled('again', false);
    expect(await api('DELETE', `/tenants/${tenant}/environments/again`)).toBe(204);
    const oldDeletion = await settled('again', true);
    changes.length = 0;
    expect(await api('POST', `/tenants/${tenant}/environments`, { name: 'again', kind: 'tenant' })).toBe(201);
    await settled('again', false);
    await redeliver(oldDeletion);
    expect(await subscription('again')).toEqual({ filter: `attributes.environment = "${tenant}/again"` });
  });
});

describe('FASIT_INSTRUCTION_SUBSCRIPTIONS=false', () => {
  it('creates no subscription and does not consume the environment events', async () => {
    const db = await createTestDatabase('catalog-subs-off');
    const raw = new Settled(new InProcessBus({ baseBackoffMs: 20 }));
    const bus = new EventBus(raw, { maxDeliveries: 3 });
    const created: string[] = [];
    const inner = raw.inner as InProcessBus;
    const spy = inner.createSubscription.bind(inner);
    inner.createSubscription = (topic, sub, options) => {
      created.push(sub);
      return spy(topic, sub, options);
    };
    const config = loadCatalogConfig({
      DATABASE_URL: db.url,
      FASIT_HTTP_PORT: '0',
      FASIT_GRPC_PORT: '-1',
      FASIT_BUS: 'memory',
      LOG_LEVEL: 'warn',
      FASIT_INSTRUCTION_SUBSCRIPTIONS: 'false',
    });
    const catalog = await startCatalog(config, { bus, logger: new JsonLogger('catalog-api', 'warn', () => undefined) });
    try {
      const tenant = `t${randomUUID().slice(0, 6)}`;
      const seen: string[] = [];
      await bus.consume('catalog.environment.changed.v1', 'test-recorder', (p: EnvironmentChangedV1) => Promise.resolve(void seen.push(p.name)));
      const post = (path: string, body: unknown) =>
        fetch(`${catalog.url}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await post('/tenants', { name: tenant })).status).toBe(201);
      expect((await post(`/tenants/${tenant}/environments`, { name: 'dev', kind: 'tenant' })).status).toBe(201);
      await until('the environment announced', () => (seen.includes('dev') ? true : undefined));
      await new Promise((r) => setTimeout(r, 300));
      expect(created).toEqual([]);
      expect(raw.acked).toEqual([]);
    } finally {
      await catalog.close();
      await db.drop();
    }
  });
});
