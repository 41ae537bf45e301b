// How PubSubBus's subscriber (unary Pull, decision 0019) handles what Google's Pub/Sub emulator gives it: the
// messages of one ordering key one after the other and in order, however many it may handle at once; a failed
// one again before the rest of its key; and a handler that runs for several leases without a second delivery.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { PubSub, v1 } from '@google-cloud/pubsub';
import { PUBSUB_LEASE_SECONDS, PubSubBus } from '../src/index.js';
import { PubSubPuller } from '../src/transport/pubsub-puller.js';

const emulator = process.env['PUBSUB_EMULATOR_HOST'];
const TOPIC = 'test.pull.checked.v1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, done: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe(emulator ? 'PubSubBus subscriber (Pub/Sub emulator)' : 'MISSING: the Pub/Sub emulator', () => {
  const project = `pull-${randomUUID().slice(0, 8)}`;
  const bus = emulator ? new PubSubBus({ projectId: project, emulatorHost: emulator, createTopics: true }) : undefined;
  afterAll(() => bus?.close());
  const need = (): PubSubBus => {
    if (!bus) throw new Error('this machine has no Pub/Sub emulator (scripts/services.sh start says why)');
    return bus;
  };

  it('handles the messages of one ordering key one at a time, in publishing order, with room for many at once', async () => {
    const b = need();
    const log: string[] = [];
    const running = new Map<string, number>();
    const overlaps: string[] = [];
    const stop = await b.subscribe(
      TOPIC,
      `${TOPIC}.order-${randomUUID().slice(0, 8)}`,
      async (m) => {
        const [key, n] = m.data.toString().split(':') as [string, string];
        if ((running.get(key) ?? 0) > 0) overlaps.push(`${key}:${n}`);
        running.set(key, (running.get(key) ?? 0) + 1);
        log.push(`${key}:${n}`);
        await sleep(10 + ((Number(n) * 37) % 60));
        running.set(key, (running.get(key) ?? 1) - 1);
      },
      { maxInFlight: 8 },
    );
    for (let n = 1; n <= 6; n++) for (const key of ['a', 'b', 'c']) await b.publish(TOPIC, Buffer.from(`${key}:${n}`), {}, { orderingKey: key });
    await waitFor('18 messages', () => log.length >= 18);
    await stop();
    for (const key of ['a', 'b', 'c']) expect(log.filter((l) => l.startsWith(`${key}:`))).toEqual([1, 2, 3, 4, 5, 6].map((n) => `${key}:${n}`));
    expect(overlaps).toEqual([]);
  });

  it('acks the messages whose handlers finish in one turn with one Acknowledge request, and none of them comes back', async () => {
    need();
    const admin = new PubSub({ projectId: project });
    const name = `${TOPIC}.acks-${randomUUID().slice(0, 8)}`;
    const [topic] = await admin.createTopic(`acks-${randomUUID().slice(0, 8)}`);
    await topic.createSubscription(name, { ackDeadlineSeconds: PUBSUB_LEASE_SECONDS });
    for (let n = 0; n < 40; n++) await topic.publishMessage({ data: Buffer.from(`m${n}`) });
    const { port, ...config } = await admin.getClientConfig();
    const client = new v1.SubscriberClient({ ...config, ...(port === undefined ? {} : { port: Number(port) }) });
    await client.initialize();
    const acknowledge = client.acknowledge.bind(client);
    const requests: number[] = [];
    client.acknowledge = (request: { ackIds?: string[] | null }) => {
      requests.push(request.ackIds?.length ?? 0);
      return acknowledge(request);
    };
    // Every handler waits until all 40 have started, then all finish in one turn (as a batch written in one transaction).
    const waiting: (() => void)[] = [];
    const seen: string[] = [];
    const puller = new PubSubPuller({
      client,
      path: `projects/${project}/subscriptions/${name}`,
      topic: topic.name,
      subscription: name,
      maxInFlight: 64,
      leaseSeconds: PUBSUB_LEASE_SECONDS,
      onError: (e) => {
        throw e;
      },
      handler: (m) => {
        seen.push(m.data.toString());
        return new Promise<void>((release) => {
          waiting.push(release);
          if (waiting.length === 40) for (const r of waiting) r();
        });
      },
    });
    try {
      await waitFor('40 acks', () => requests.reduce((a, n) => a + n, 0) >= 40);
      expect(requests).toEqual([40]);
      // After a whole lease nothing is delivered again: the one request acked them all.
      await sleep((PUBSUB_LEASE_SECONDS + 2) * 1000);
      expect(seen).toHaveLength(40);
      expect(new Set(seen).size).toBe(40);
    } finally {
      await puller.stop(0);
      await client.close();
      await admin.close();
    }
  }, 60_000);

  it('a failed message is handled again before the rest of its key, which waits for it', async () => {
    const b = need();
    const attempts: string[] = [];
    let failed = false;
    const stop = await b.subscribe(
      TOPIC,
      `${TOPIC}.retry-${randomUUID().slice(0, 8)}`,
      (m) => {
        const data = m.data.toString();
        attempts.push(`${data}#${m.deliveryAttempt}`);
        if (data === 'k:1' && !failed) {
          failed = true;
          return Promise.reject(new Error('the database is restarting'));
        }
        return Promise.resolve();
      },
      { maxInFlight: 8 },
    );
    for (const n of [1, 2, 3]) await b.publish(TOPIC, Buffer.from(`k:${n}`), {}, { orderingKey: 'k' });
    await waitFor('k:3', () => attempts.some((a) => a.startsWith('k:3#')));
    await stop();
    // k:2 and k:3 may have been taken with k:1, but they are handled only after k:1 succeeded.
    expect(attempts.filter((a) => a.startsWith('k:')).map((a) => a.split('#')[0])).toEqual(['k:1', 'k:1', 'k:2', 'k:3']);
  });

  it(`a handler that runs for three leases (${3 * PUBSUB_LEASE_SECONDS} s) keeps its message: it is delivered once`, async () => {
    const b = need();
    const deliveries: number[] = [];
    let done = false;
    const stop = await b.subscribe(
      TOPIC,
      `${TOPIC}.long-${randomUUID().slice(0, 8)}`,
      async () => {
        deliveries.push(Date.now());
        await sleep(3 * PUBSUB_LEASE_SECONDS * 1000);
        done = true;
      },
      { maxInFlight: 4 },
    );
    await b.publish(TOPIC, Buffer.from('long'), {}, { orderingKey: 'long' });
    await waitFor('the long handler', () => done, 120_000);
    // Time for a redelivery of a lost lease to show.
    await sleep(PUBSUB_LEASE_SECONDS * 1000);
    await stop();
    expect(deliveries).toHaveLength(1);
  }, 180_000);

  it('where it creates topics, a topic and subscription deleted under it (an emulator restarted empty) are created again, and delivery goes on', async () => {
    const b = need();
    const topic = 'test.pull.recreated.v1';
    const name = `${topic}.sub`;
    const got: string[] = [];
    const stop = await b.subscribe(topic, name, (m) => Promise.resolve(void got.push(m.data.toString())));
    await b.publish(topic, Buffer.from('before'), {});
    await waitFor('the first message', () => got.includes('before'));

    const admin = new PubSub({ projectId: project, apiEndpoint: emulator, emulatorMode: true });
    await admin.subscription(name).delete();
    await admin.topic(topic).delete();
    // Publish until one arrives: a message published before the subscription exists again is lost (as it
    // would be after a real emulator restart), so the first attempts may go nowhere.
    const errors: string[] = [];
    for (let n = 1; !got.some((g) => g.startsWith('after-')); n++) {
      if (n > 60) throw new Error(`nothing arrived after the deletion; publish errors: ${errors.slice(-3).join('; ')}`);
      await b.publish(topic, Buffer.from(`after-${n}`), {}).catch((e: Error) => errors.push(e.message));
      await sleep(500);
    }
    await stop();
    // A new subscriber after the topic is gone again (a restarted agent): it creates topic and subscription.
    await admin.subscription(name).delete();
    await admin.topic(topic).delete();
    const again: string[] = [];
    const stopAgain = await b.subscribe(topic, name, (m) => Promise.resolve(void again.push(m.data.toString())));
    for (let n = 1; again.length === 0; n++) {
      if (n > 60) throw new Error('nothing arrived at the new subscriber');
      await b.publish(topic, Buffer.from(`again-${n}`), {}).catch(() => undefined);
      await sleep(500);
    }
    await stopAgain();
    await admin.close();
    const [exists] = await new PubSub({ projectId: project, apiEndpoint: emulator, emulatorMode: true }).subscription(name).exists();
    expect(exists).toBe(true);
  });
});
