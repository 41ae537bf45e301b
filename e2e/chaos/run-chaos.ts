// `pnpm chaos`: the chaos run at full size (not a test; chaos.e2e-spec.ts runs a short one in CI). Prints the
// table docs/reliability.md keeps. Options: --agents 100 --naisd 2 --cluster-naisd 1 --minutes 12 --kills 20
// --agent-kills 40 --pg-restarts 2 --pubsub-restarts 2 --duplicate-percent 30 --change-ms 3000 --seed N
// [--tidy-reports: no duplicated or late reports]
import { cpus, freemem, totalmem } from 'node:os';
import { env } from 'node:process';
import { parseArgs } from 'node:util';
import { chaosTable, runChaos } from '../src/chaos/chaos.js';

const { values: a } = parseArgs({
  options: {
    agents: { type: 'string', default: '100' },
    naisd: { type: 'string', default: '2' },
    'cluster-naisd': { type: 'string', default: '1' },
    minutes: { type: 'string', default: '12' },
    kills: { type: 'string', default: '20' },
    'agent-kills': { type: 'string', default: '40' },
    'pg-restarts': { type: 'string', default: '2' },
    'pubsub-restarts': { type: 'string', default: '2' },
    'duplicate-percent': { type: 'string', default: '30' },
    'change-ms': { type: 'string', default: '3000' },
    'tidy-reports': { type: 'boolean', default: false },
    'converge-minutes': { type: 'string', default: '10' },
    seed: { type: 'string' },
  },
});
const int = (name: string, v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number ≥ 0 (got ${v})`);
  return n;
};
const c = cpus();
const machine = `${c.length} cores (${c[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} free at start), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
const emulator = env['PUBSUB_EMULATOR_HOST'];
if (!emulator) throw new Error('the chaos run needs the Pub/Sub emulator: bash scripts/services.sh start, then source its env');
const result = await runChaos({
  pubsubEmulatorHost: emulator,
  simulatedAgents: int('agents', a.agents),
  realAgents: int('naisd', a.naisd),
  clusterAgents: int('cluster-naisd', a['cluster-naisd']),
  durationMs: int('minutes', a.minutes) * 60_000,
  killsPerService: int('kills', a.kills),
  agentKills: int('agent-kills', a['agent-kills']),
  postgresRestarts: int('pg-restarts', a['pg-restarts']),
  pubsubRestarts: int('pubsub-restarts', a['pubsub-restarts']),
  duplicatePercent: int('duplicate-percent', a['duplicate-percent']),
  messyReports: !a['tidy-reports'],
  changeIntervalMs: int('change-ms', a['change-ms']),
  convergeTimeoutMs: int('converge-minutes', a['converge-minutes']) * 60_000,
  ...(a.seed !== undefined ? { seed: int('seed', a.seed) } : {}),
  log: (line) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`),
});
console.log(`\n${chaosTable(result, machine)}\n`);
process.exitCode = result.invariants.every((i) => i.held) ? 0 : 1;
