// The same contract, run against every bus this machine has: the in-process bus always, and Google's Pub/Sub
// emulator when scripts/services.sh started it (PUBSUB_EMULATOR_HOST).
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  EventBus,
  InProcessBus,
  PubSubBus,
  consumeAll,
  topicsOf,
  type AssignmentChangedV1,
  type Bus,
  type ConfigChangedV1,
  type EnvironmentChangedV1,
  type EnvironmentValueChangedV1,
  type EventContext,
  type EventHandlers,
  type FeatureToggleChangedV1,
  type RedeployRequestedV1,
} from '../src/index.js';

const emulator = process.env['PUBSUB_EMULATOR_HOST'];
const kinds: [string, () => Bus][] = [['in-process bus', () => new InProcessBus({ baseBackoffMs: 20 })]];
if (emulator)
  kinds.push(['Pub/Sub emulator', () => new PubSubBus({ projectId: `fasit-test-${randomUUID().slice(0, 8)}`, emulatorHost: emulator, createTopics: true })]);

const TOPIC = 'catalog.environment-value.changed.v1';
const payload = (key: string): EnvironmentValueChangedV1 => ({ version: 'v1', aggregateVersion: 1, environmentId: randomUUID(), key });

function collector<T>() {
  const items: T[] = [];
  const waiters: (() => void)[] = [];
  return {
    items,
    push(v: T) {
      items.push(v);
      waiters.splice(0).forEach((w) => w());
    },
    async until(n: number, ms = 15_000) {
      const deadline = Date.now() + ms;
      while (items.length < n) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} items, have ${items.length}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
      return items;
    },
  };
}

describe.each(kinds)('bus contract on the %s', (_name, make) => {
  const bus = make();
  const events = new EventBus(bus, { maxDeliveries: 3 });
  afterAll(() => bus.close());
  const consumer = () => `test-${randomUUID().slice(0, 8)}`;

  it('delivers a published event with its ids to a subscriber', async () => {
    const got = collector<{ p: EnvironmentValueChangedV1; eventId: string; correlationId: string }>();
    const stop = await events.consume(TOPIC, consumer(), (p, ctx) =>
      Promise.resolve(got.push({ p, eventId: ctx.eventId, correlationId: ctx.correlationId })).then(() => undefined),
    );
    const sent = payload('project_id');
    await events.publish(TOPIC, sent, { eventId: '11111111-1111-4111-8111-111111111111', correlationId: 'corr-1' });
    const [first] = await got.until(1);
    expect(first).toEqual({ p: sent, eventId: '11111111-1111-4111-8111-111111111111', correlationId: 'corr-1' });
    await stop();
  });

  it('refuses to publish a payload that breaks the contract, naming the field', async () => {
    await expect(events.publish(TOPIC, { version: 'v1', aggregateVersion: 1, environmentId: 'not-a-uuid', key: 'x' } as never)).rejects.toThrow(
      /environmentId.*uuid/,
    );
    await expect(events.publish('catalog.nonexistent.v1', {} as never)).rejects.toThrow('not in the catalogue');
  });

  it('refuses an event without its aggregate version, or with a malformed one, naming the field, on publish and on receipt', async () => {
    const { aggregateVersion: _, ...unversioned } = payload('x');
    const bad: [unknown, string][] = [
      [unversioned, "/ must have required property 'aggregateVersion'"],
      [{ ...unversioned, aggregateVersion: 0 }, '/aggregateVersion must be >= 1'],
      [{ ...unversioned, aggregateVersion: 1.5 }, '/aggregateVersion must be integer'],
      [{ ...unversioned, aggregateVersion: '2' }, '/aggregateVersion must be integer'],
      [{ ...unversioned, aggregateVersion: 2 ** 60 }, '/aggregateVersion must be <= 9007199254740991'],
    ];
    for (const [p, error] of bad) {
      await expect(events.publish(TOPIC, p as never)).rejects.toThrow(
        `catalog.environment-value.changed.v1: payload does not match the catalog.environment-value.changed.v1 contract: ${error}`,
      );
    }
    // An announcement carries one per pair.
    await expect(
      events.publish('matcher.targets.changed.v1', {
        version: 'v1',
        reason: 'winner',
        pairs: [{ environmentId: randomUUID(), feature: 'f', aggregateVersion: -1 }],
      } as never),
    ).rejects.toThrow('/pairs/0/aggregateVersion must be >= 1');

    // On receipt (a producer that skips validation): dead-lettered with the same reason, never handled.
    const name = consumer();
    const dead = collector<string>();
    const stopDead = await bus.subscribe(`${TOPIC}.${name}.dead-letter`, `${TOPIC}.${name}.dead-letter.watch`, (m) => {
      dead.push(m.attributes['deadLetterReason'] ?? '');
      return Promise.resolve();
    });
    const handled: unknown[] = [];
    const stop = await events.consume(TOPIC, name, (p) => Promise.resolve(void handled.push(p)));
    for (const [p] of bad) await bus.publish(TOPIC, Buffer.from(JSON.stringify(p)), {});
    const reasons = await dead.until(bad.length);
    expect([...reasons].sort()).toEqual(
      bad.map(([, error]) => `catalog.environment-value.changed.v1: payload does not match the catalog.environment-value.changed.v1 contract: ${error}`).sort(),
    );
    expect(handled).toEqual([]);
    await stop();
    await stopDead();
  });

  it('redelivers after a retryable failure, then acks', async () => {
    const attempts: number[] = [];
    const done = collector<number>();
    const stop = await events.consume(TOPIC, consumer(), (_p, ctx) => {
      attempts.push(ctx.deliveryAttempt);
      if (ctx.deliveryAttempt < 2) return Promise.reject(new Error('database down'));
      done.push(ctx.deliveryAttempt);
      return Promise.resolve();
    });
    await events.publish(TOPIC, payload('a'));
    await done.until(1, 30_000);
    expect(attempts).toEqual([1, 2]);
    await stop();
  });

  it('dead-letters a non-retryable failure and a message that breaks the contract on receipt', async () => {
    const name = consumer();
    const dead = collector<{ reason: string | undefined }>();
    const stopDead = await bus.subscribe(`${TOPIC}.${name}.dead-letter`, `${TOPIC}.${name}.dead-letter.watch`, (m) => {
      dead.push({ reason: m.attributes['deadLetterReason'] });
      return Promise.resolve();
    });
    const stop = await events.consume(TOPIC, name, () => Promise.reject(Object.assign(new Error('feature missing'), { retryable: false })));
    await events.publish(TOPIC, payload('b'));
    await bus.publish(TOPIC, Buffer.from('{"version":"v2"}'), {});
    const reasons = (await dead.until(2)).map((d) => d.reason ?? '');
    expect(reasons).toContain('feature missing');
    expect(reasons.find((r) => r !== 'feature missing')).toMatch(
      /does not match the catalog.environment-value.changed.v1 contract: .*required property 'environmentId'/,
    );
    await stop();
    await stopDead();
  });

  it('consumes every topic of a consumer with its handler table, as a method of it, and stops them all', async () => {
    // its own bus (a fresh project on the emulator), so the matcher's fixed subscriptions are this test's alone
    const own = make();
    const ownEvents = new EventBus(own, { maxDeliveries: 3 });
    const got = collector<string>();
    class Table implements EventHandlers<'matcher'> {
      readonly seen = got;
      async 'catalog.assignment.changed.v1'(e: AssignmentChangedV1, ctx: EventContext): Promise<void> {
        await Promise.resolve(this.seen.push(`${e.feature}@${ctx.topic}`));
      }
      async 'catalog.environment.changed.v1'(e: EnvironmentChangedV1, ctx: EventContext): Promise<void> {
        await Promise.resolve(this.seen.push(`${e.name}@${ctx.topic}`));
      }
      async 'catalog.config.changed.v1'(e: ConfigChangedV1, ctx: EventContext): Promise<void> {
        await Promise.resolve(this.seen.push(`${e.key}@${ctx.topic}`));
      }
      async 'catalog.environment-value.changed.v1'(e: EnvironmentValueChangedV1, ctx: EventContext): Promise<void> {
        await Promise.resolve(this.seen.push(`${e.key}@${ctx.topic}`));
      }
      async 'catalog.feature-toggle.changed.v1'(e: FeatureToggleChangedV1, ctx: EventContext): Promise<void> {
        await Promise.resolve(this.seen.push(`${e.feature}@${ctx.topic}`));
      }
      async 'catalog.redeploy.requested.v1'(e: RedeployRequestedV1, ctx: EventContext): Promise<void> {
        await Promise.resolve(this.seen.push(`${e.requestedBy}@${ctx.topic}`));
      }
    }
    expect(topicsOf('matcher')).toEqual([
      'catalog.assignment.changed.v1',
      'catalog.environment.changed.v1',
      'catalog.config.changed.v1',
      'catalog.environment-value.changed.v1',
      'catalog.feature-toggle.changed.v1',
      'catalog.redeploy.requested.v1',
    ]);
    const stop = await consumeAll(ownEvents, 'matcher', new Table());
    try {
      const environmentId = randomUUID();
      await ownEvents.publish('catalog.assignment.changed.v1', {
        version: 'v1',
        aggregateVersion: 1,
        assignmentId: randomUUID(),
        feature: 'f1',
        featureVersion: '1.0.0',
        target: {},
        active: true,
        replacedAssignmentId: null,
      });
      await ownEvents.publish('catalog.environment.changed.v1', {
        version: 'v1',
        aggregateVersion: 1,
        environmentId,
        tenant: 't',
        name: 'dev',
        kind: 'tenant',
        labels: {},
        reconcile: true,
        deleted: false,
      });
      await ownEvents.publish('catalog.config.changed.v1', { version: 'v1', aggregateVersion: 1, feature: 'f1', environmentId: null, key: 'k1' });
      await ownEvents.publish('catalog.environment-value.changed.v1', { version: 'v1', aggregateVersion: 1, environmentId, key: 'k2' });
      await ownEvents.publish('catalog.feature-toggle.changed.v1', { version: 'v1', aggregateVersion: 1, environmentId, feature: 'f2', disabled: true });
      await ownEvents.publish('catalog.redeploy.requested.v1', { version: 'v1', aggregateVersion: 1, environmentId, feature: 'f1', requestedBy: 'ops' });
      expect([...(await got.until(6))].sort()).toEqual(
        [
          'f1@catalog.assignment.changed.v1',
          'dev@catalog.environment.changed.v1',
          'k1@catalog.config.changed.v1',
          'k2@catalog.environment-value.changed.v1',
          'f2@catalog.feature-toggle.changed.v1',
          'ops@catalog.redeploy.requested.v1',
        ].sort(),
      );
    } finally {
      await stop();
    }
    // stopped: a later event is not handled
    await ownEvents.publish('catalog.config.changed.v1', { version: 'v1', aggregateVersion: 1, feature: 'f1', environmentId: null, key: 'after-stop' });
    await new Promise((r) => setTimeout(r, 300));
    expect(got.items).toHaveLength(6);
    await own.close();
  });

  it('keeps a handler error as it is, so a non-retryable one is dead-lettered at once', async () => {
    const own = make();
    const ownEvents = new EventBus(own, { maxDeliveries: 3 });
    const attempts: number[] = [];
    const dead = collector<string | undefined>();
    const stopDead = await own.subscribe(`${TOPIC}.matcher.dead-letter`, `${TOPIC}.matcher.dead-letter.watch`, (m) => {
      dead.push(m.attributes['deadLetterReason']);
      return Promise.resolve();
    });
    const fails = (_e: unknown, ctx: EventContext): Promise<void> => {
      attempts.push(ctx.deliveryAttempt);
      return Promise.reject(Object.assign(new Error('unknown environment'), { retryable: false }));
    };
    const ignore = (): Promise<void> => Promise.resolve();
    const table: EventHandlers<'matcher'> = {
      'catalog.assignment.changed.v1': ignore,
      'catalog.environment.changed.v1': ignore,
      'catalog.config.changed.v1': ignore,
      'catalog.environment-value.changed.v1': fails,
      'catalog.feature-toggle.changed.v1': ignore,
      'catalog.redeploy.requested.v1': ignore,
    };
    const stop = await consumeAll(ownEvents, 'matcher', table);
    await ownEvents.publish(TOPIC, payload('fails'));
    expect(await dead.until(1)).toEqual(['unknown environment']);
    expect(attempts).toEqual([1]);
    await stop();
    await stopDead();
    await own.close();
  });

  it("refuses a table without a handler for one of the consumer's topics (a caller outside TypeScript's checks)", async () => {
    const own = make();
    const ownEvents = new EventBus(own, { maxDeliveries: 3 });
    const partial = { 'catalog.assignment.changed.v1': () => Promise.resolve() } as unknown as EventHandlers<'matcher'>;
    await expect(consumeAll(ownEvents, 'matcher', partial)).rejects.toThrow(new Error('matcher has no handler for catalog.environment.changed.v1'));
    await own.close();
  });
});
