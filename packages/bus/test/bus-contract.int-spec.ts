// The same contract, run against every bus this machine has: the in-process bus always, and Google's Pub/Sub
// emulator when scripts/services.sh started it (PUBSUB_EMULATOR_HOST).
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BusContext, BusErrorFilter, BusServer, OnEvent, EventBus, InProcessBus, PubSubBus, type Bus, type EnvironmentValueChangedV1 } from '../src/index.js';

const emulator = process.env['PUBSUB_EMULATOR_HOST'];
const kinds: [string, () => Bus][] = [['in-process bus', () => new InProcessBus({ baseBackoffMs: 20 })]];
if (emulator) kinds.push(['Pub/Sub emulator', () => new PubSubBus({ projectId: 'fasit-test', emulatorHost: emulator, createTopics: true })]);

const TOPIC = 'catalog.environment-value.changed.v1';
const payload = (key: string): EnvironmentValueChangedV1 => ({ version: 'v1', environmentId: randomUUID(), key });

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
    const stop = await events.consume(TOPIC, consumer(), (p, ctx) => Promise.resolve(got.push({ p, eventId: ctx.eventId, correlationId: ctx.correlationId })).then(() => undefined));
    const sent = payload('project_id');
    await events.publish(TOPIC, sent, { eventId: '11111111-1111-4111-8111-111111111111', correlationId: 'corr-1' });
    const [first] = await got.until(1);
    expect(first).toEqual({ p: sent, eventId: '11111111-1111-4111-8111-111111111111', correlationId: 'corr-1' });
    await stop();
  });

  it('refuses to publish a payload that breaks the contract, naming the field', async () => {
    await expect(events.publish(TOPIC, { version: 'v1', environmentId: 'not-a-uuid', key: 'x' } as never)).rejects.toThrow(/environmentId.*uuid/);
    await expect(events.publish('catalog.nonexistent.v1', {} as never)).rejects.toThrow('not in the catalogue');
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
    expect(reasons.find((r) => r !== 'feature missing')).toMatch(/does not match the catalog.environment-value.changed.v1 contract: .*required property 'environmentId'/);
    await stop();
    await stopDead();
  });

  it('drives @EventPattern handlers of a NestJS microservice', async () => {
    const got = collector<string>();
    @Controller()
    class Handler {
      @OnEvent(TOPIC)
      handle(p: EnvironmentValueChangedV1, ctx: BusContext): void {
        got.push(`${p.key}@${ctx.event.topic}`);
      }
    }
    @Module({ controllers: [Handler] })
    class M {}
    const app = await NestFactory.createMicroservice(M, { strategy: new BusServer(events, { consumer: consumer() }), logger: false });
    await app.listen();
    await events.publish(TOPIC, payload('nest'));
    expect(await got.until(1)).toEqual([`nest@${TOPIC}`]);
    await app.close();
  });

  it('keeps a handler error as it is through NestJS, so a non-retryable one is dead-lettered at once', async () => {
    const name = consumer();
    const attempts: number[] = [];
    const dead = collector<string | undefined>();
    const stopDead = await bus.subscribe(`${TOPIC}.${name}.dead-letter`, `${TOPIC}.${name}.dead-letter.watch`, (m) => {
      dead.push(m.attributes['deadLetterReason']);
      return Promise.resolve();
    });
    @Controller()
    class Failing {
      @OnEvent(TOPIC)
      handle(_p: EnvironmentValueChangedV1, ctx: BusContext): Promise<void> {
        attempts.push(ctx.event.deliveryAttempt);
        return Promise.reject(Object.assign(new Error('unknown environment'), { retryable: false }));
      }
    }
    @Module({ controllers: [Failing] })
    class M {}
    const app = await NestFactory.createMicroservice(M, { strategy: new BusServer(events, { consumer: name }), logger: false });
    app.useGlobalFilters(new BusErrorFilter());
    await app.listen();
    await events.publish(TOPIC, payload('fails'));
    expect(await dead.until(1)).toEqual(['unknown environment']);
    expect(attempts).toEqual([1]);
    await app.close();
    await stopDead();
  });
});
