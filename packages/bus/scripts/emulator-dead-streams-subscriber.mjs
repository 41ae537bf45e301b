// The subscriber process of emulator-dead-streams.mjs: PubSubBus's subscriber settings (one message at a time,
// 10 s leases), acks each message 300 ms after it arrives, prints what it gets.
import { setTimeout } from 'node:timers';
import { Duration, PubSub } from '@google-cloud/pubsub';

const [emulatorHost, project, subscription, variant] = process.argv.slice(2);
const ps = new PubSub({ projectId: project, apiEndpoint: emulatorHost, emulatorMode: true });
const lease = Duration.from({ seconds: 10 });
const options = { flowControl: { maxMessages: 1, allowExcessMessages: false }, minAckDeadline: lease, maxAckDeadline: lease };
if (variant === 'one-stream') options.streamingOptions = { maxStreams: 1 };
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
