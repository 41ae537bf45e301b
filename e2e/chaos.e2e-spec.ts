// The chaos run, short (a few kills of every service, agents killed, one PostgreSQL restart): the platform on
// separate processes with two replicas of each worker over the Pub/Sub emulator and PostgreSQL, simulated agents
// and real naisd (helm dry-run). `pnpm chaos` runs it at full size.
import { describe, expect, it } from '@jest/globals';
import { chaosTable, runChaos } from './src/chaos/chaos.js';

const emulator = process.env['PUBSUB_EMULATOR_HOST'];

describe(`chaos, short (${emulator ? 'separate processes, Pub/Sub emulator, PostgreSQL' : 'MISSING: the Pub/Sub emulator'})`, () => {
  it('after kill -9 of every service and of agents and a PostgreSQL restart, every deploy converges, none is lost or doubled, the logs and audit are complete', async () => {
    if (!emulator) throw new Error('this machine has no Pub/Sub emulator (scripts/services.sh start says why)');
    const result = await runChaos({
      pubsubEmulatorHost: emulator,
      simulatedAgents: 12,
      realAgents: 2,
      durationMs: 90_000,
      killsPerService: 2,
      agentKills: 6,
      postgresRestarts: 1,
      messyReports: true,
      changeIntervalMs: 4000,
      convergeTimeoutMs: 180_000,
      log: (line) => process.stdout.write(`[chaos] ${line}\n`),
    });
    process.stdout.write(`${chaosTable(result, 'CI')}\n`);
    expect(result.faults).toMatchObject({ 'kill -9 catalog-api': 2, 'kill -9 matcher': 2, 'kill -9 reconciler': 2, 'kill -9 dispatcher': 2, 'PostgreSQL restart (immediate)': 1 });
    expect(result.faults['kill -9 simulated agent']! + result.faults['kill -9 naisd']!).toBe(6);
    expect(result.invariants.filter((i) => !i.held)).toEqual([]);
  }, 900_000);
});
