// How long the platform's control plane takes to start, from its TypeScript source (compiled by the swc loader at
// every start, as before) against its build (scripts/build.mjs, as the start command runs it now): catalog-api
// first, then matcher, reconciler and dispatcher at once, each until its /readyz answers, on a fresh database and
// Pub/Sub project. Not a test; prints the numbers and the machine's load.
//   bash scripts/services.sh start && source "$(bash scripts/services.sh dir)/env" && node scripts/build.mjs
//   cd packages/launcher && pnpm bench [--runs 3]
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { childProcessEnv } from '@fasit/config';
import { createTestDatabase } from '@fasit/testing';
import { startProcessPlatform } from '../src/processes.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const emulator = childProcessEnv()['PUBSUB_EMULATOR_HOST'];
if (!emulator) throw new Error('needs the Pub/Sub emulator (scripts/services.sh start)');

async function once(compiled: boolean): Promise<number> {
  const db = await createTestDatabase('bench');
  const started = Date.now();
  const platform = await startProcessPlatform({
    databaseUrl: db.url,
    pubsubEmulatorHost: emulator!,
    pubsubProjectId: `bench-${randomBytes(4).toString('hex')}`,
    agentKeySecret: 'local-development-agent-secret',
    logDir: mkdtempSync(join(tmpdir(), 'fasit-bench-start-')),
    compiled,
  });
  const ms = Date.now() - started;
  await platform.stop();
  await db.drop();
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results: Record<string, number[]> = { source: [], build: [] };
for (let i = 0; i < runs; i++) {
  results['source']!.push(await once(false));
  results['build']!.push(await once(true));
}
process.stdout.write(
  `control plane start (catalog-api, then matcher + reconciler + dispatcher, to /readyz), ${runs} runs each, ${cpus().length} cores, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`,
);
for (const [k, xs] of Object.entries(results))
  process.stdout.write(`  ${k.padEnd(7)} median ${(median(xs) / 1000).toFixed(1)} s   (${xs.map((x) => (x / 1000).toFixed(1)).join(', ')})\n`);
