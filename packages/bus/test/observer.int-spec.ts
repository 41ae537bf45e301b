// What the EventBus tells its observer (the services' metrics): every delivery's outcome and every publish, by
// topic family. Run against every bus this machine has, as the bus contract is.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  EventBus,
  InProcessBus,
  PubSubBus,
  consumeAll,
  instructionTopic,
  type Bus,
  type BusObserver,
  type ConsumeResult,
  type EnvironmentValueChangedV1,
  type EventHandlers,
  type SignedInstructionV2,
} from '../src/index.js';

const emulator = process.env['PUBSUB_EMULATOR_HOST'];
const kinds: [string, () => Bus][] = [['in-process bus', () => new InProcessBus({ baseBackoffMs: 20 })]];
if (emulator) kinds.push(['Pub/Sub emulator', () => new PubSubBus({ projectId: 'fasit-test', emulatorHost: emulator, createTopics: true })]);

const TOPIC = 'catalog.environment-value.changed.v1';

function recorder() {
  const consumed: { topic: string; result: ConsumeResult; seconds: number }[] = [];
  const published: { topic: string; result: string }[] = [];
  const observer: BusObserver = {
    consumed: (topic, result, seconds) => void consumed.push({ topic, result, seconds }),
    published: (topic, result) => void published.push({ topic, result }),
  };
  const until = async (n: number) => {
    const deadline = Date.now() + 20_000;
    while (consumed.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return consumed.map((c) => `${c.topic} ${c.result}`);
  };
  return { consumed, published, observer, until };
}

describe.each(kinds)('the bus observer on the %s', (_name, make) => {
  const bus = make();
  afterAll(() => bus.close());
  const consumer = () => `obs-${randomUUID().slice(0, 8)}`;

  it('hears ok, retried then ok, dead-lettered (a failure and a broken payload), each with its handler time', async () => {
    const r = recorder();
    const events = new EventBus(bus, { maxDeliveries: 2 }).observed(r.observer);
    let attempts = 0;
    const stop = await events.consume(TOPIC, consumer(), async (p) => {
      if (p.key === 'flaky' && ++attempts === 1) throw new Error('try again');
      if (p.key === 'bad') throw Object.assign(new Error('never'), { retryable: false });
      await new Promise((res) => setTimeout(res, 30));
    });
    for (const key of ['fine', 'flaky', 'bad']) await events.publish(TOPIC, { version: 'v1', aggregateVersion: 1, environmentId: randomUUID(), key });
    await bus.publish(TOPIC, Buffer.from('{"version":"v1"}'), { eventId: randomUUID() });
    expect((await r.until(5)).sort()).toEqual([`${TOPIC} dead-lettered`, `${TOPIC} dead-lettered`, `${TOPIC} ok`, `${TOPIC} ok`, `${TOPIC} retried`].sort());
    expect(r.consumed.filter((c) => c.result === 'ok').every((c) => c.seconds >= 0.025)).toBe(true);
    // Published: the three events through the EventBus (the raw one and the dead letters are not events it published).
    expect(r.published).toEqual([
      { topic: TOPIC, result: 'ok' },
      { topic: TOPIC, result: 'ok' },
      { topic: TOPIC, result: 'ok' },
    ]);
    await stop();
  });

  it("counts an agent's instruction topic as its family, and a handler table's 'duplicate' as a duplicate", async () => {
    const r = recorder();
    const base = new EventBus(bus, { maxDeliveries: 2 });
    const events = base.observed(r.observer);
    const seen = new Set<string>();
    const once = (i: SignedInstructionV2) => {
      if (seen.has(i.jws)) return Promise.resolve('duplicate' as const);
      seen.add(i.jws);
      return Promise.resolve(undefined);
    };
    const agent: EventHandlers<'naisd'> = { 'naisd.instructions.v2': once, 'naisd.instructions.v3': once };
    const topic = instructionTopic('acme', `dev-${randomUUID().slice(0, 6)}`);
    const stop = await consumeAll(events, 'naisd', agent, { topics: ['naisd.instructions.v2'], topicFor: () => topic });
    // The observer reads no signature: any payload of the topic's contract will do.
    const instruction: SignedInstructionV2 = { version: 'v2', jws: `header.${randomUUID()}.signature` };
    await events.publish(topic, instruction);
    await events.publish(topic, instruction);
    expect((await r.until(2)).sort()).toEqual(['naisd.instructions.v2 duplicate', 'naisd.instructions.v2 ok']);
    expect(r.published).toEqual([
      { topic: 'naisd.instructions.v2', result: 'ok' },
      { topic: 'naisd.instructions.v2', result: 'ok' },
    ]);
    // The bus it was made from heard nothing: each service observes its own traffic.
    await base.publish(TOPIC, { version: 'v1', aggregateVersion: 1, environmentId: randomUUID(), key: 'other' } satisfies EnvironmentValueChangedV1);
    expect(r.published).toHaveLength(2);
    await stop();
  });
});
