// The chaos run, short (`pnpm chaos` is the full size; docs/reliability.md): the five-process platform with two
// replicas of each worker, simulated agents and a real naisd, a stream of changes, and every kind of fault once or
// more — kill -9 of each service and of agents, a PostgreSQL restart, a Pub/Sub emulator restart, the services'
// messages published 2-3 times and out of order, the agents' reports duplicated and late. It restarts PostgreSQL
// and the emulator, so it gets its own (scripts/services.sh on free ports and its own state directory): the suites
// of other packages that run beside it keep theirs.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from '@fasit/launcher';
import { chaosTable, runChaos } from './src/chaos/chaos.js';

const run = promisify(execFile);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

let env: Record<string, string> = {};
let stateDir = '';
let databaseUrl = '';
let emulatorHost = '';

describe('chaos, short (its own PostgreSQL and Pub/Sub emulator; real processes)', () => {
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'fasit-chaos-'));
    // PostgreSQL runs as the postgres user when the tests run as root: it must reach its data directory.
    await chmod(stateDir, 0o755);
    env = {
      FASIT_STATE_DIR: stateDir,
      FASIT_PG_PORT: String(await freePort()),
      FASIT_PUBSUB_PORT: String(await freePort()),
      FASIT_REGISTRY_PORT: String(await freePort()),
    };
    // Durable: the run restarts PostgreSQL and checks that nothing acknowledged is lost (e2e/durable-postgres.e2e-spec.ts).
    env['FASIT_PG_DURABLE'] = '1';
    await run('bash', [join(REPO_ROOT, 'scripts/services.sh'), 'start', 'pg', 'pubsub'], { env: { ...process.env, ...env } });
    const written = await readFile(join(stateDir, 'env'), 'utf8');
    databaseUrl = /DATABASE_URL=(\S+)/.exec(written)?.[1] ?? '';
    emulatorHost = /PUBSUB_EMULATOR_HOST=(\S+)/.exec(written)?.[1] ?? '';
    if (!databaseUrl || !emulatorHost) throw new Error(`scripts/services.sh started no PostgreSQL or no emulator:\n${written}`);
  }, 300_000);

  afterAll(async () => {
    if (stateDir) {
      await run('bash', [join(REPO_ROOT, 'scripts/services.sh'), 'stop'], { env: { ...process.env, ...env } }).catch(() => undefined);
      await rm(stateDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('after kills of every service and agent, a PostgreSQL and an emulator restart, and messy delivery, every pair converges with nothing lost or doubled', async () => {
    const result = await runChaos({
      pubsubEmulatorHost: emulatorHost,
      services: { env: { ...process.env, ...env }, databaseUrl },
      simulatedAgents: 4,
      realAgents: 2,
      clusterAgents: 1,
      durationMs: 60_000,
      killsPerService: 1,
      agentKills: 3,
      postgresRestarts: 1,
      pubsubRestarts: 1,
      duplicatePercent: 30,
      messyReports: true,
      changeIntervalMs: 3000,
      convergeTimeoutMs: 240_000,
      log: (line) => process.stdout.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}\n`),
    });
    process.stdout.write(`${chaosTable(result, 'this machine (the test command)')}\n`);
    expect(result.faults['PostgreSQL restart (immediate)']).toBe(1);
    expect(result.faults['Pub/Sub emulator restart (kill -9, empty)']).toBe(1);
    for (const service of ['catalog-api', 'matcher', 'reconciler', 'dispatcher']) expect(result.faults[`kill -9 ${service}`]).toBe(1);
    // A failure names each broken invariant with its evidence, and the seed that repeats the run's choices.
    expect({ seed: result.seed, broken: result.invariants.filter((i) => !i.held) }).toEqual({ seed: result.seed, broken: [] });
  }, 1_200_000);
});
