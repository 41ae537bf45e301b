// `pnpm bench` (at the root or in e2e/): the scale benchmarks of issue 12 over the real parts — the four services as
// processes, PostgreSQL, the Pub/Sub emulator — with a simulated fleet (one lightweight agent per environment over
// the real bus, no helm). Each scenario prints a table in which every figure stands beside the limit of the bare
// parts measured in the same run, and the whole run is written as JSON. Not a test: nothing here fails on a
// number; the targets are reported as met or missed.
//
//   pnpm bench                          every scenario at the default size (fits ~10 minutes on 2 cores)
//   pnpm bench --scenario fanout,storm  some of them (fanout runs first whenever latency, api or sweep need it)
//   pnpm bench --full                   the issue's sizes: 10,000 environments, 100 features
//   pnpm bench --envs 2000 --answer-latency-ms 500 --failure-rate 0.05 --json /tmp/run.json
//   pnpm bench --scenario fanout --tracing file   with every service writing its spans (what tracing costs)
//   pnpm bench --scenario api --cpu-prof         every service writes a V8 CPU profile when it stops (where time goes)
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, stopEverythingStarted } from '@fasit/launcher';
import { pubsubEmulatorHost } from '@fasit/testing';
import { prepare, type BenchContext } from './bench-context.js';
import { startBenchPlatform } from './bench-platform.js';
import { machine, printScenario, writeReport, type RunReport, type ScenarioResult } from './report.js';
import { apiScenario } from './scenarios/api.scenario.js';
import { fanoutScenario } from './scenarios/fanout.scenario.js';
import { latencyScenario } from './scenarios/latency.scenario.js';
import { stormScenario } from './scenarios/storm.scenario.js';
import { sweepScenario } from './scenarios/sweep.scenario.js';

const SCENARIOS = ['fanout', 'latency', 'api', 'storm', 'sweep'] as const;
type Scenario = (typeof SCENARIOS)[number];

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: SCENARIOS.join(',') },
    full: { type: 'boolean', default: false },
    envs: { type: 'string' },
    features: { type: 'string' },
    samples: { type: 'string' },
    clients: { type: 'string', default: '50' },
    requests: { type: 'string' },
    'answer-latency-ms': { type: 'string', default: '0' },
    'failure-rate': { type: 'string', default: '0' },
    'envs-template': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '1800' },
    json: { type: 'string' },
    // `file`: every service writes its spans as JSON lines (FASIT_TRACING=file), to measure what tracing costs.
    tracing: { type: 'string', default: 'off' },
    // Every service writes a V8 CPU profile (`.cpuprofile`, for Chrome DevTools) into .local/bench/ when it stops.
    'cpu-prof': { type: 'boolean', default: false },
  },
});

const integer = (name: string, value: string, min: number): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min} (got ${value})`);
  return n;
};
const selected = args.scenario.split(',').map((s) => s.trim());
for (const s of selected)
  if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`--scenario: unknown scenario ${s} (one or more of ${SCENARIOS.join(', ')})`);
const want = (s: Scenario) => selected.includes(s);
const failureRate = Number(args['failure-rate']);
if (!(failureRate >= 0 && failureRate < 1)) throw new Error(`--failure-rate must be from 0 up to (not including) 1 (got ${args['failure-rate']})`);
const size = {
  envs: integer('envs', args.envs ?? (args.full ? '10000' : '500'), 1),
  features: integer('features', args.features ?? (args.full ? '100' : '3'), 1),
  samples: integer('samples', args.samples ?? (args.full ? '200' : '50'), 1),
  clients: integer('clients', args.clients, 1),
  requests: integer('requests', args.requests ?? (args.full ? '2000' : '1000'), 1),
};
if (args.tracing !== 'off' && args.tracing !== 'file') throw new Error(`--tracing must be off or file (got ${args.tracing})`);
const timeoutMs = integer('timeout', args.timeout, 1) * 1000;
const jsonPath = args.json ?? join(REPO_ROOT, '.local', 'bench', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
const log = (msg: string) => console.log(`[bench] ${msg}`);

// Ctrl-C or a kill: the service processes this run started stop with it (none is left holding the database).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the services this run started`);
    void stopEverythingStarted().finally(() => process.exit(130));
  });
}

const startedAt = new Date().toISOString();
const m = machine();
const tracesDir = join(REPO_ROOT, '.local', 'bench', `traces-${Date.now()}`);
const profilesDir = join(REPO_ROOT, '.local', 'bench', `profiles-${Date.now()}`);
const platform = await startBenchPlatform({
  emulatorHost: pubsubEmulatorHost(),
  env: {
    ...(args.tracing === 'file' ? { FASIT_TRACING: 'file', FASIT_TRACING_DIR: tracesDir } : {}),
    ...(args['cpu-prof'] ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profilesDir}` } : {}),
  },
});
const results: ScenarioResult[] = [];
let ctx: BenchContext | undefined;
try {
  log(`platform: ${platform.where}${args.tracing === 'file' ? `; spans in ${tracesDir}` : ''}${args['cpu-prof'] ? `; CPU profiles in ${profilesDir}` : ''}`);
  ctx = await prepare(
    platform,
    {
      environments: size.envs,
      timeoutMs,
      keepEnvsTemplate: args['envs-template'],
      answerLatencyMs: integer('answer-latency-ms', args['answer-latency-ms'], 0),
      failureRate,
    },
    log,
  );
  const run = async (name: Scenario, f: () => Promise<ScenarioResult>) => {
    log(`scenario ${name}…`);
    const r = await f();
    results.push(r);
    printScenario(r, size.envs);
  };
  const c = ctx;
  if (want('fanout') || want('latency') || want('api') || want('sweep')) await run('fanout', () => fanoutScenario(c));
  if (want('latency')) await run('latency', () => latencyScenario(c, size.samples));
  if (want('api')) await run('api', () => apiScenario(c, size.clients, size.requests));
  if (want('storm')) await run('storm', () => stormScenario(c));
  if (want('sweep')) await run('sweep', () => sweepScenario(c, size.features, log));
} catch (e) {
  console.error(platform.diagnostics());
  throw e;
} finally {
  await ctx?.fleet.stop();
  const report: RunReport = {
    startedAt,
    finishedAt: new Date().toISOString(),
    full: args.full,
    machine: { ...m, loadAverageAtEnd: machine().loadAverageAtStart },
    platform: platform.where,
    scenarios: results,
  };
  writeReport(jsonPath, report);
  log(`written: ${jsonPath} (load average at start ${m.loadAverageAtStart.join(' ')}, at end ${report.machine.loadAverageAtEnd.join(' ')})`);
  await platform.stop();
}
