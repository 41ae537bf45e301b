// Not a test: one Pub/Sub hop on the emulator, from the publish call to the subscriber's handler, one message at a
// time, by the two ways a subscriber can pull: unary `Pull` requests (what Fasit's PubSubPuller does, decision 0019)
// and the client library's StreamingPull. Publisher batching is off (a message is sent at once). Prints p50/p90 of
// each. What it shows: the latency floor of the one-change benchmark (docs/benchmarks.md, "Latency") is the
// emulator's unary Pull, which the emulator's dead-stream fault (decision 0019) keeps us on.
//   node scripts/emulator-hop-latency.mjs <emulator host:port> [samples]
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { PubSub, v1 } from '@google-cloud/pubsub';

const [emulator, samplesArg = '40'] = process.argv.slice(2);
if (!emulator) throw new Error('usage: emulator-hop-latency.mjs <emulator host:port> [samples]');
const samples = Number(samplesArg);
const ps = new PubSub({ projectId: `hop-latency-${Date.now()}`, apiEndpoint: emulator, emulatorMode: true });
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function measure(name, subscribe, batching = { maxMessages: 1, maxMilliseconds: 0 }, ordering = false) {
  const [topic] = await ps.createTopic(`hop-${name}`);
  const publisher = ps.topic(topic.name, { batching });
  const [sub] = await topic.createSubscription(`hop-${name}.sub`, { ackDeadlineSeconds: 10, enableMessageOrdering: ordering });
  const ms = [];
  let arrived;
  const stop = await subscribe(sub, (data) => {
    ms.push(performance.now() - Number(data.toString()));
    arrived?.();
  });
  await sleep(500);
  for (let i = 0; i < samples; i++) {
    const got = new Promise((r) => (arrived = r));
    await publisher.publishMessage({ data: Buffer.from(String(performance.now())) });
    await got;
    await sleep(20);
  }
  await stop();
  console.log(`${name.padEnd(22)} one hop: p50 ${percentile(ms, 50).toFixed(1)} ms, p90 ${percentile(ms, 90).toFixed(1)} ms (${samples} samples)`);
}

await measure('streaming', async (sub, onData) => {
  sub.on('message', (m) => {
    onData(m.data);
    m.ack();
  });
  return () => sub.close();
});

const unary = (lease) => async (sub, onData) => {
  const { port, ...config } = await ps.getClientConfig();
  const client = new v1.SubscriberClient({ ...config, ...(port === undefined ? {} : { port: Number(port) }) });
  let running = true;
  const loop = (async () => {
    while (running) {
      const [res] = await client.pull({ subscription: sub.name, maxMessages: 16 }, { timeout: 2000 }).catch(() => [{}]);
      const ids = (res.receivedMessages ?? []).map((m) => m.ackId);
      if (lease && ids.length > 0) await client.modifyAckDeadline({ subscription: sub.name, ackIds: ids, ackDeadlineSeconds: 10 });
      for (const m of res.receivedMessages ?? []) {
        onData(Buffer.from(m.message.data));
        await client.acknowledge({ subscription: sub.name, ackIds: [m.ackId] });
      }
    }
  })();
  return async () => {
    running = false;
    await loop;
    await client.close();
  };
};
await measure('unary', unary(false));
// As PubSubPuller does it: each pulled message's lease set before its handler runs.
await measure('unary+lease', unary(true));
// And with the client's default publisher batching (a message waits up to 10 ms for others), as PubSubBus publishes.
await measure('unary+lease+batching', unary(true), {});
// And on a subscription with message ordering enabled, as PubSubBus creates them.
await measure('unary+lease+ordering', unary(true), {}, true);
await ps.close();
