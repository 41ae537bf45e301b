// Not a test: how the Pub/Sub emulator treats the streams of a subscriber killed with SIGKILL (docs/reliability.md).
// A subscriber process is killed and restarted six times; on odd rounds it is killed while it handles a message
// (which must come back to the next one), on even rounds it is killed idle and a message is published after the
// restart (which must reach the new one). Prints how long each took, or that it did not arrive within 30 s.
//   node scripts/emulator-dead-streams.mjs <emulator host:port> [ordered|unordered|one-stream]
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { PubSub } from '@google-cloud/pubsub';

const [emulator, variant = 'ordered'] = process.argv.slice(2);
if (!emulator) throw new Error('usage: emulator-dead-streams.mjs <emulator host:port> [ordered|unordered|one-stream]');
const here = dirname(fileURLToPath(import.meta.url));
const project = `dead-streams-${Date.now()}`;
const ps = new PubSub({ projectId: project, apiEndpoint: emulator, emulatorMode: true });
const [topic] = await ps.createTopic('dead-streams');
await topic.createSubscription('dead-streams.sub', { ackDeadlineSeconds: variant === 'unary' ? 10 : 60, enableMessageOrdering: variant !== 'unordered' });
const publisher = ps.topic('dead-streams', { messageOrdering: true });
const publish = (data) => publisher.publishMessage({ data: Buffer.from(data), orderingKey: 'K' });

let out = '';
let generation = 0;
const start = () => {
  const g = ++generation;
  const child = spawn(process.execPath, [join(here, 'emulator-dead-streams-subscriber.mjs'), emulator, project, 'dead-streams.sub', variant], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (out += String(d).replaceAll('subscribed', `subscribed-${g}`)));
  return { child, g };
};
const until = async (text, ms) => {
  const t = Date.now();
  while (!out.includes(text)) {
    if (Date.now() - t > ms) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
};

let s = start();
await until(`subscribed-${s.g}`, 30_000);
for (let i = 1; i <= 6; i++) {
  const handling = i % 2 === 1;
  if (handling) {
    await publish(`m${i}`);
    if (!(await until(`got m${i}\n`, 30_000))) {
      console.log(`${variant} m${i}: not delivered within 30 s`);
      continue;
    }
  }
  s.child.kill('SIGKILL');
  s = start();
  await until(`subscribed-${s.g}`, 30_000);
  const t = Date.now();
  if (!handling) await publish(`m${i}`);
  const ok = await until(`acked m${i}\n`, 30_000);
  console.log(
    `${variant} ${handling ? 'killed while handling' : 'killed idle, then published'} m${i}: ${ok ? `acked after ${(Date.now() - t) / 1000} s` : 'not within 30 s'}`,
  );
}
s.child.kill('SIGKILL');
await ps.close();
process.exit(0);
