// The subscriber process of emulator-dead-streams.mjs: PubSubBus's subscriber settings (one message at a time,
// 10 s leases), acks each message 300 ms after it arrives, prints what it gets.
import { setTimeout } from 'node:timers';
import { Duration, PubSub } from '@google-cloud/pubsub';

const [emulatorHost, project, subscription, variant] = process.argv.slice(2);
const ps = new PubSub({ projectId: project, apiEndpoint: emulatorHost, emulatorMode: true });
const lease = Duration.from({ seconds: 10 });
const options = { flowControl: { maxMessages: 1, allowExcessMessages: false }, minAckDeadline: lease, maxAckDeadline: lease };
if (variant === 'one-stream') options.streamingOptions = { maxStreams: 1 };
if (variant === 'unary') {
  // Unary pull: one request at a time, nothing held open between them.
  const client = await ps.getClientAsync_({ client: 'SubscriberClient' });
  const name = `projects/${project}/subscriptions/${subscription}`;
  setTimeout(() => console.log('subscribed'), 1000);
  for (;;) {
    let res;
    try {
      [res] = await client.pull({ subscription: name, maxMessages: 1 }, { timeout: 30_000 });
    } catch (e) {
      console.log('error', e.message);
      continue;
    }
    for (const rm of res.receivedMessages ?? []) {
      console.log(`got ${rm.message.data}`);
      await new Promise((r) => setTimeout(r, 300));
      await client.acknowledge({ subscription: name, ackIds: [rm.ackId] });
      console.log(`acked ${rm.message.data}`);
    }
  }
} else {
  const sub = ps.subscription(subscription, options);
  sub.on('message', (m) => {
    console.log(`got ${m.data}`);
    setTimeout(() => {
      m.ack();
      console.log(`acked ${m.data}`);
    }, 300);
  });
  sub.on('error', (e) => console.log('error', e.message));
  setTimeout(() => console.log('subscribed'), 1000);
}
