// The v3 instruction layout (docs/decisions/0024-instruction-delivery-at-scale.md) on every bus this machine has:
// 16 shard topics, an environment's shard a stable hash of its name, every instruction with its `environment`
// attribute, each agent's subscription on its shard filtered on it, and a batch publish for the fan-out.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { PubSub } from '@google-cloud/pubsub';
import {
  EventBus,
  INSTRUCTION_SHARDS,
  InProcessBus,
  InstructionSigner,
  MAX_BATCH_MESSAGES,
  PubSubBus,
  catalogueEntryOf,
  environmentAttribute,
  instructionAttributes,
  instructionShard,
  instructionShardSubscription,
  instructionShardTopic,
  orderingKeyOf,
  publishRequests,
  shardConsumer,
  shardTopic,
  shardTopics,
  topicFamily,
  type Bus,
  type SignedInstructionV2,
} from '../src/index.js';

const emulator = process.env['PUBSUB_EMULATOR_HOST'];
const projectId = `fasit-test-${randomUUID().slice(0, 8)}`;
const kinds: [string, () => Bus][] = [['in-process bus', () => new InProcessBus({ baseBackoffMs: 20 })]];
if (emulator) kinds.push(['Pub/Sub emulator', () => new PubSubBus({ projectId, emulatorHost: emulator, createTopics: true })]);

const { privateKey } = generateKeyPairSync('ed25519');
const signer = new InstructionSigner({ kid: 'k1', privateKey }, 3_600_000);
const sign = (tenant: string, environment: string, release = 'demo-feature'): Promise<SignedInstructionV2> =>
  signer.sign({ tenant, environment, diid: randomUUID() }, { action: 'uninstall', release, timeoutMs: 0 });
const audienceOf = (i: SignedInstructionV2): string => (JSON.parse(Buffer.from(i.jws.split('.')[1] ?? '', 'base64url').toString()) as { aud: string }).aud;

async function until<T>(what: string, probe: () => T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('instruction shards (names, no bus)', () => {
  it('puts an environment on a stable shard: SHA-256 of <tenant>/<environment> mod 16', () => {
    // Pinned: `printf acme/dev | sha256sum` ends in 79 (0x79 mod 16 = 9), acme/prod in 7a (10).
    expect(instructionShard('acme', 'dev')).toBe(9);
    expect(instructionShard('acme', 'prod')).toBe(10);
    expect(instructionShardTopic('acme', 'dev')).toBe('naisd.instructions.v3.shard-9');
    expect(instructionShardSubscription('acme', 'dev')).toBe('naisd.instructions.v3.shard-9.acme.dev.naisd');
    expect(shardTopics()).toHaveLength(16);
    expect(new Set(shardTopics()).size).toBe(16);
    for (const t of shardTopics()) expect(catalogueEntryOf(t)).toBe('naisd.instructions.v3');
    for (const t of ['naisd.instructions.v3.shard-16', 'naisd.instructions.v3.shard-', 'naisd.instructions.v3.shard-01', 'naisd.instructions.v3.acme.dev'])
      expect(catalogueEntryOf(t)).toBeUndefined();
    expect(() => shardTopic(16)).toThrow('no instruction shard 16');
    expect(topicFamily(shardTopic(3))).toBe('naisd.instructions.v3');
  });

  it('spreads 10,000 environments over the 16 shards within 15 % of an even share, each always on the same one', () => {
    const counts = new Array<number>(INSTRUCTION_SHARDS).fill(0);
    for (let i = 0; i < 10_000; i++) counts[instructionShard(`tenant-${i % 37}`, `env-${i}`)]! += 1;
    for (const c of counts) {
      expect(c).toBeGreaterThan((10_000 / 16) * 0.85);
      expect(c).toBeLessThan((10_000 / 16) * 1.15);
    }
    for (let i = 0; i < 100; i++) expect(instructionShard(`tenant-${i % 37}`, `env-${i}`)).toBe(instructionShard(`tenant-${i % 37}`, `env-${i}`));
  });

  it("orders a shard's instructions per environment and release, not per release across environments", async () => {
    const dev = await sign('acme', 'dev');
    const prod = await sign('acme', 'prod');
    expect(orderingKeyOf(shardTopic(0), dev)).toBe('release:acme/dev:demo-feature');
    expect(orderingKeyOf(shardTopic(0), prod)).toBe('release:acme/prod:demo-feature');
  });

  it('splits a batch into publish requests of at most 1,000 messages and 9 MB', () => {
    const small = Array.from({ length: 2_500 }, () => ({ data: Buffer.alloc(100), attributes: { environment: 't/e' } }));
    expect(publishRequests(small).map((r) => r.length)).toEqual([MAX_BATCH_MESSAGES, MAX_BATCH_MESSAGES, 500]);
    const large = Array.from({ length: 5 }, () => ({ data: Buffer.alloc(4_000_000), attributes: {} }));
    expect(publishRequests(large).map((r) => r.length)).toEqual([2, 2, 1]);
    expect(publishRequests([])).toEqual([]);
  });
});

describe.each(kinds)('instruction shards on the %s', (name, make) => {
  const bus = make();
  const events = new EventBus(bus, { maxDeliveries: 3 });
  afterAll(() => bus.close());
  // A fresh tenant per test: the shard topics are shared by the whole run (and, on the emulator, by the project).
  const tenant = () => `t${randomUUID().slice(0, 8)}`;

  it('refuses a v3 instruction without its environment attribute, or naming another environment than it is signed for', async () => {
    const t = tenant();
    const signed = await sign(t, 'dev');
    const topic = instructionShardTopic(t, 'dev');
    await expect(events.publish(topic, signed)).rejects.toThrow('the attribute environment is missing');
    await expect(events.publish(topic, signed, { attributes: instructionAttributes(t, 'prod') })).rejects.toThrow(
      `the attribute environment (${t}/prod) is not the instruction's environment (${t}/dev)`,
    );
    await expect(events.publishBatch(topic, [{ payload: signed }])).rejects.toThrow('the attribute environment is missing');
  });

  it("delivers an environment's instruction with its environment attribute to that environment's filtered subscription", async () => {
    const t = tenant();
    const got: { aud: string; environment: string | undefined }[] = [];
    const stop = await events.consume<'naisd.instructions.v3'>(
      instructionShardTopic(t, 'dev'),
      shardConsumer(t, 'dev'),
      (p: SignedInstructionV2, ctx) => Promise.resolve(void got.push({ aud: audienceOf(p), environment: ctx.attributes['environment'] })),
      { filter: instructionAttributes(t, 'dev') },
    );
    await events.publish(instructionShardTopic(t, 'dev'), await sign(t, 'dev'), { attributes: instructionAttributes(t, 'dev') });
    expect(await until('the instruction', () => got[0])).toEqual({ aud: `${t}/dev`, environment: `${t}/dev` });
    await stop();
  });

  if (name === 'in-process bus') {
    it("applies each subscription's filter: two environments on one shard each get only their own instructions", async () => {
      const t = tenant();
      const topic = shardTopic(5);
      const got: Record<string, string[]> = { a: [], b: [], all: [] };
      const stops = await Promise.all(
        (['a', 'b'] as const).map((env) =>
          events.consume<'naisd.instructions.v3'>(
            topic,
            shardConsumer(t, env),
            (p: SignedInstructionV2) => Promise.resolve(void got[env]!.push(audienceOf(p))),
            {
              filter: instructionAttributes(t, env),
            },
          ),
        ),
      );
      // An unfiltered subscription (the fleet simulator's) gets everything.
      stops.push(
        await events.consume<'naisd.instructions.v3'>(topic, `${t}.all`, (p: SignedInstructionV2) => Promise.resolve(void got['all']!.push(audienceOf(p)))),
      );
      for (const env of ['a', 'b', 'a', 'c']) await events.publish(topic, await sign(t, env), { attributes: instructionAttributes(t, env) });
      await until('all four on the unfiltered subscription', () => (got['all']!.length === 4 ? true : undefined));
      await new Promise((r) => setTimeout(r, 100));
      expect(got).toEqual({ a: [`${t}/a`, `${t}/a`], b: [`${t}/b`], all: [`${t}/a`, `${t}/b`, `${t}/a`, `${t}/c`] });
      await Promise.all(stops.map((s) => s()));
    });
  } else {
    it('creates the subscription with the filter attributes.environment = "<tenant>/<environment>" (the emulator stores it; Pub/Sub applies it)', async () => {
      const t = tenant();
      const topic = instructionShardTopic(t, 'dev');
      const stop = await events.consume<'naisd.instructions.v3'>(topic, shardConsumer(t, 'dev'), () => Promise.resolve(), {
        filter: instructionAttributes(t, 'dev'),
      });
      const admin = new PubSub({ projectId, apiEndpoint: emulator, emulatorMode: true });
      const [metadata] = await admin.subscription(instructionShardSubscription(t, 'dev')).getMetadata();
      expect(metadata.filter).toBe(`attributes.environment = "${environmentAttribute(t, 'dev')}"`);
      expect(metadata.topic).toBe(`projects/${projectId}/topics/${topic}`);
      await stop();
      await admin.close();
    });
  }

  it('publishes a fan-out of 1,500 instructions to one shard as a batch: each once, with its attribute, in order per environment', async () => {
    const t = tenant();
    const topic = shardTopic(7);
    const got: { aud: string; environment: string | undefined; release: string }[] = [];
    const stop = await events.consume<'naisd.instructions.v3'>(
      topic,
      `${t}.fleet`,
      (p: SignedInstructionV2, ctx) =>
        Promise.resolve(
          void got.push({
            aud: audienceOf(p),
            environment: ctx.attributes['environment'],
            release: (JSON.parse(Buffer.from(p.jws.split('.')[1] ?? '', 'base64url').toString()) as { instruction: { release: string } }).instruction.release,
          }),
        ),
      { maxInFlight: 64 },
    );
    // 750 environments, two releases each in turn: r-0 then r-1 of one environment must arrive in that order.
    const batch = [];
    for (let i = 0; i < 750; i++)
      for (const release of ['r-0', 'r-1'])
        batch.push({ payload: await sign(t, `e${i}`, release), options: { attributes: instructionAttributes(t, `e${i}`) } });
    const ids = await events.publishBatch(topic, batch);
    expect(ids).toHaveLength(1_500);
    expect(new Set(ids).size).toBe(1_500);
    await until('1,500 deliveries', () => (got.length >= 1_500 ? true : undefined), 60_000);
    expect(got).toHaveLength(1_500);
    for (const g of got) expect(g.environment).toBe(g.aud);
    const order = new Map<string, string[]>();
    for (const g of got) order.set(g.aud, [...(order.get(g.aud) ?? []), g.release]);
    expect(order.size).toBe(750);
    for (const releases of order.values()) expect(releases).toEqual(['r-0', 'r-1']);
    await stop();
  }, 90_000);
});
