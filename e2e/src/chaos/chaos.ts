// The chaos run: the five-process platform (catalog-api, and two replicas each of matcher, reconciler and
// dispatcher) over the Pub/Sub emulator and PostgreSQL, simulated agents and real naisd processes, a stream of
// changes, and faults injected while it runs: kill -9 of service processes and agents at random moments and
// immediate PostgreSQL restarts. Then the changes stop, the faults stop, and the invariants are checked.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { EventBus, PubSubBus } from '@fasit/bus';
import { REPO_ROOT, startProcessPlatform, tail, type AgentSpec, type ProcessPlatform } from '@fasit/launcher';
import { createTestDatabase, pushChart, startFakeKubernetes, type FakeKubernetes } from '@fasit/testing';
import { ApiClient } from '../api-client.js';
import { PlatformTables, converged, type PairOutcome } from './invariants.js';
import { SimulatedAgent, type AgentLedger, type MessyDelivery } from './simulated-agent.js';

export interface ChaosOptions {
  /** `host:port` of the Pub/Sub emulator (PUBSUB_EMULATOR_HOST). */
  pubsubEmulatorHost: string;
  /** Environments whose agent this process plays. */
  simulatedAgents: number;
  /** Environments with a real naisd process (helm dry-run, but for the first `clusterAgents`). */
  realAgents: number;
  /**
   * How many of the real naisd run in cluster mode: the real helm against a fake Kubernetes API of @fasit/testing
   * (one per environment, in this process, so it outlives every naisd kill; it validates nothing a real cluster
   * would). Their diid label on the release keeps a restarted naisd from running an instruction again (decision
   * 0015). Default 0.
   */
  clusterAgents?: number;
  /** How long changes and faults go on. */
  durationMs: number;
  /** kill -9 per service (catalog-api, matcher, reconciler, dispatcher), spread over the run and the replicas. */
  killsPerService: number;
  /** kill -9 of agents (simulated and real, chosen at random). */
  agentKills: number;
  postgresRestarts: number;
  /** kill -9 of the Pub/Sub emulator and a new, empty one (scripts/services.sh restart-pubsub). */
  pubsubRestarts: number;
  /**
   * The services' own messages: this share (%) is published again 1-2 times, up to 3 s later, so consumers get
   * them 2-3 times and out of order (FASIT_BUS_FAULT_DUPLICATE_PERCENT).
   */
  duplicatePercent: number;
  /** Simulated agents' reports duplicated (same event id) and sent late, out of order (see SimulatedAgent). */
  messyReports: boolean;
  /** One change (global config, one environment's config, disable/enable) every this many ms. */
  changeIntervalMs: number;
  /** How long the platform may take to converge once the faults stop. */
  convergeTimeoutMs: number;
  /**
   * The local services the run restarts: the whole environment scripts/services.sh runs with (FASIT_STATE_DIR and
   * the ports name them) and their PostgreSQL's URL. Default: the ones this process was started with.
   */
  services?: { env: NodeJS.ProcessEnv; databaseUrl: string };
  seed?: number;
  log?: (line: string) => void;
}

export interface Invariant {
  name: string;
  held: boolean;
  detail: string;
}

export interface ChaosResult {
  seed: number;
  /**
   * Renders of a diid by a dry-run naisd beyond its first: expected after a restart (a dry-run agent has no release to
   * carry the diid, decision 0015, and installs nothing), so counted apart from the invariants.
   */
  dryRunReRenders: number;
  faults: Record<string, number>;
  changes: Record<string, number>;
  invariants: Invariant[];
  /** diid → how often it arrived with different event ids (the dispatcher published it more than once). */
  republished: number;
  deployments: number;
  durationMs: number;
  convergedAfterMs: number | null;
  platform: string;
}

const SERVICES = ['catalog-api', 'matcher', 'reconciler', 'dispatcher'] as const;
const FEATURE = 'demo-feature';

/** mulberry32: a small seeded generator, so a run can be repeated with its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Retries a call the platform may refuse while a process or the database is down. */
async function retrying<T>(what: string, f: () => Promise<T>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await f();
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`${what} kept failing for ${timeoutMs / 1000}s: ${(e as Error).message}`, { cause: e });
      await sleep(500);
    }
  }
}

/** `helm upgrade` runs per diid, from the real naisd's log files (every process of an agent appends to one file). */
function helmRunsPerDiid(logFiles: readonly string[]): Map<string, number> {
  const runs = new Map<string, number>();
  for (const file of logFiles) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line.includes('"helm upgrade started"')) continue;
      try {
        const diid = (JSON.parse(line) as { diid?: string }).diid;
        if (diid) runs.set(diid, (runs.get(diid) ?? 0) + 1);
      } catch {
        // a line cut by kill -9
      }
    }
  }
  return runs;
}

/**
 * The run restarts PostgreSQL and then checks that every acknowledged change is audited: on a PostgreSQL that
 * acknowledges commits before writing them (scripts/services.sh's fast default) a restart loses some
 * (e2e/durable-postgres.e2e-spec.ts), which would read as a broken invariant of Fasit.
 */
async function refuseFastPostgres(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ fsync: string; synchronous_commit: string }>(
      `SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit`,
    );
    const r = rows[0];
    if (r?.fsync !== 'on' || r.synchronous_commit === 'off') {
      throw new Error(
        `the chaos run needs a durable PostgreSQL (it has fsync=${r?.fsync}, synchronous_commit=${r?.synchronous_commit}: a restart loses acknowledged commits); start it with FASIT_PG_DURABLE=1 bash scripts/services.sh start`,
      );
    }
  } finally {
    await c.end();
  }
}

export async function runChaos(o: ChaosOptions): Promise<ChaosResult> {
  const log = o.log ?? (() => undefined);
  const seed = o.seed ?? randomBytes(4).readUInt32BE(0);
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const emulator = o.pubsubEmulatorHost;
  const run = randomBytes(4).toString('hex');
  const tenant = `chaos-${run}`;
  const secret = `chaos-agent-secret-of-32-characters-${run}`;
  const project = `chaos-${run}`;
  const logDir = `/tmp/fasit-${project}`;
  const faults: Record<string, number> = {
    'kill -9 catalog-api': 0,
    'kill -9 matcher': 0,
    'kill -9 reconciler': 0,
    'kill -9 dispatcher': 0,
    'kill -9 simulated agent': 0,
    'kill -9 naisd': 0,
    'PostgreSQL restart (immediate)': 0,
    'Pub/Sub emulator restart (kill -9, empty)': 0,
  };
  const changes: Record<string, number> = { 'global config': 0, 'environment config': 0, disable: 0, enable: 0 };
  const tokens: string[] = [];
  const started = Date.now();

  const chart = await pushChart('demo-feature', { repoPath: `chaos-${run}` });
  const db = await createTestDatabase('chaos', o.services?.databaseUrl);
  await refuseFastPostgres(db.url);
  const services = (command: 'restart-pg' | 'restart-pubsub') =>
    promisify(execFile)('bash', [join(REPO_ROOT, 'scripts/services.sh'), command], o.services ? { env: o.services.env } : {});
  const platform: ProcessPlatform = await startProcessPlatform({
    databaseUrl: db.url,
    pubsubEmulatorHost: emulator,
    pubsubProjectId: project,
    agentKeySecret: secret,
    logDir,
    replicas: { matcher: 2, reconciler: 2, dispatcher: 2 },
    // Seven Node processes compiling their sources at once on a small shared machine take their time.
    readyTimeoutMs: 600_000,
    env: {
      // The sweep picks up what an event alone did not settle; agents stay healthy through their crashes.
      FASIT_RECONCILE_INTERVAL_MS: '10000',
      // An emulator restart loses what its subscriptions held (real Pub/Sub never does): an instruction waiting for
      // a naisd that was down, a report waiting for a dispatcher. The platform's repair is the deploy timeout (the
      // deploy fails as lost and the reconciler deploys again under a new diid); 1 h by default, 45 s here so that it
      // repairs within the run, and its redeploy after 5 s rather than 60. Deploys here take seconds, so no deploy that
      // still runs is given up.
      FASIT_DEPLOY_TIMEOUT_MS: '45000',
      FASIT_DEPLOY_TIMEOUT_SWEEP_MS: '5000',
      FASIT_DEPLOY_RETRY_BASE_MS: '5000',
      FASIT_AGENT_HEALTH_WINDOW_MS: '3600000',
      LOG_LEVEL: 'info',
      FASIT_BUS_FAULT_DUPLICATE_PERCENT: String(o.duplicatePercent),
    },
  });
  const bus = new EventBus(new PubSubBus({ projectId: project, emulatorHost: emulator, createTopics: true }), { maxDeliveries: 50 });
  const tables = new PlatformTables(db.url);
  const api = new ApiClient(platform.apiUrl);
  const ledger: AgentLedger = { applies: new Map(), deliveries: new Map(), duplicatedReports: 0, delayedReports: 0 };
  const messy: MessyDelivery | undefined = o.messyReports ? { random, pending: new Set() } : undefined;
  const simulated: SimulatedAgent[] = [];
  const clusters: FakeKubernetes[] = [];
  const real: AgentSpec[] = [];
  for (let i = 0; i < o.realAgents; i++) {
    if (i < (o.clusterAgents ?? 0)) {
      const kube = await startFakeKubernetes();
      clusters.push(kube);
      real.push({ tenant, environment: `cluster-${i}`, env: { FASIT_KUBECONFIG: kube.kubeconfig, FASIT_NAISD_NAMESPACE: 'chaos' } });
    } else {
      real.push({ tenant, environment: `real-${i}` });
    }
  }
  const logOf = (a: AgentSpec) => join(logDir, `naisd-${a.tenant}-${a.environment}.log`);
  const clusterLogs = real.filter((a) => a.env).map(logOf);
  const dryRunLogs = real.filter((a) => !a.env).map(logOf);
  const diagnostics = () => platform.processes.map((p) => `${p.name}:\n${tail(p.logFile, 10)}`).join('\n');

  try {
    log(`chaos ${run} (seed ${seed}): platform up in ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${logDir}`);
    await api.ok('POST', '/api/v1/tenants', { name: tenant, description: 'chaos run' });
    const envNames = [...Array.from({ length: o.simulatedAgents }, (_, i) => `sim-${String(i).padStart(3, '0')}`), ...real.map((a) => a.environment)];
    for (const name of envNames) await api.ok('POST', `/api/v1/tenants/${tenant}/environments`, { name, kind: 'tenant', labels: { chaos: run } });
    for (let i = 0; i < o.simulatedAgents; i++) {
      const agent = new SimulatedAgent(bus, tenant, envNames[i]!, secret, ledger, () => sleep(random() * 300), messy);
      await agent.start();
      simulated.push(agent);
    }
    for (const a of real) await platform.startAgent(a);
    await api.ok('POST', '/api/v1/features', { chart: chart.ref, version: chart.version });
    await api.ok('PUT', `/api/v1/features/${FEATURE}/config/auth.token`, { value: 'chaos-token' });
    const assignment = await api.ok<{ id: string }>('POST', '/api/v1/assignments', {
      chart: chart.ref,
      version: chart.version,
      target: { tenant },
      description: 'chaos run',
    });
    log(`${envNames.length} environments (${o.simulatedAgents} simulated agents, ${o.realAgents} naisd), assignment ${assignment.id}`);

    const until = Date.now() + o.durationMs;
    const disabled = new Set<string>();
    let n = 0;
    const change = async () => {
      const token = `chaos-${run}-${++n}`;
      const r = random();
      if (r < 0.4) {
        await retrying('a global config change', () => api.ok('PUT', `/api/v1/features/${FEATURE}/config/image.tag`, { value: token }));
        changes['global config']!++;
        tokens.push(token);
      } else if (r < 0.75) {
        const env = pick(envNames);
        await retrying('an environment config change', () =>
          api.ok('PUT', `/api/v1/tenants/${tenant}/environments/${env}/features/${FEATURE}/config/image.tag`, { value: token }),
        );
        changes['environment config']!++;
        tokens.push(token);
      } else if (disabled.size > 0 && r < 0.9) {
        const env = pick([...disabled]);
        await retrying('an enable', () => api.ok('POST', `/api/v1/tenants/${tenant}/environments/${env}/features/${FEATURE}/enable`));
        disabled.delete(env);
        changes['enable']!++;
      } else if (disabled.size < envNames.length) {
        // An environment that is not disabled: disabling a disabled one changes nothing and writes no audit row.
        const env = pick(envNames.filter((e) => !disabled.has(e)));
        await retrying('a disable', () => api.ok('POST', `/api/v1/tenants/${tenant}/environments/${env}/features/${FEATURE}/disable`, { reason: token }));
        disabled.add(env);
        changes['disable']!++;
        tokens.push(token);
      }
    };
    const changeLoop = (async () => {
      while (Date.now() < until) {
        await change();
        await sleep(o.changeIntervalMs * (0.5 + random()));
      }
      for (const env of disabled) await retrying('an enable', () => api.ok('POST', `/api/v1/tenants/${tenant}/environments/${env}/features/${FEATURE}/enable`));
      changes['enable']! += disabled.size;
      disabled.clear();
    })();

    // Service kills: one lane, each kill followed by a restart of that process; spread evenly with jitter.
    const serviceKills = SERVICES.flatMap((s) => Array.from({ length: o.killsPerService }, () => s));
    const serviceLoop = (async () => {
      const order = serviceKills
        .map((s) => ({ s, k: random() }))
        .sort((a, b) => a.k - b.k)
        .map((x) => x.s);
      const gap = o.durationMs / Math.max(1, order.length + o.postgresRestarts + o.pubsubRestarts);
      const spread = (n: number, shift: number) => new Set(Array.from({ length: n }, (_, i) => Math.floor(((i + 1) * order.length) / (n + 1) + shift)));
      const pgAt = spread(o.postgresRestarts, 0);
      const psAt = spread(o.pubsubRestarts, 0.5);
      for (let i = 0; i < order.length; i++) {
        if (pgAt.has(i)) {
          await sleep(gap * random());
          await services('restart-pg');
          faults['PostgreSQL restart (immediate)']!++;
          log(`PostgreSQL restarted (immediate)`);
        }
        if (psAt.has(i)) {
          await sleep(gap * random());
          await services('restart-pubsub');
          faults['Pub/Sub emulator restart (kill -9, empty)']!++;
          log(`Pub/Sub emulator restarted (kill -9; topics, subscriptions and messages gone)`);
        }
        await sleep(gap * random());
        const service = order[i]!;
        const name = pick(platform.processes.filter((p) => p.name === service || p.name.startsWith(`${service}-`)).map((p) => p.name));
        await platform.kill(name);
        faults[`kill -9 ${service}`]!++;
        await retrying(`restarting ${name}`, () => platform.restart(name), 300_000);
      }
    })();
    const agentLoop = (async () => {
      const gap = o.durationMs / Math.max(1, o.agentKills);
      for (let i = 0; i < o.agentKills; i++) {
        await sleep(gap * random());
        if (real.length > 0 && random() < 0.3) {
          const a = pick(real);
          await platform.killAgent(a);
          faults['kill -9 naisd']!++;
          await sleep(random() * 2000);
          await retrying(`restarting naisd ${a.environment}`, () => platform.startAgent(a), 300_000);
        } else {
          const a = pick(simulated);
          await a.crash();
          faults['kill -9 simulated agent']!++;
          await sleep(random() * 2000);
          await retrying(`restarting ${a.environment}`, () => a.start());
        }
      }
    })();
    await Promise.all([changeLoop, serviceLoop, agentLoop]);
    faults['report delivered 2-3 times (simulated agents)'] = ledger.duplicatedReports;
    faults['report sent late, out of order (simulated agents)'] = ledger.delayedReports;
    log(`faults and changes done after ${((Date.now() - started) / 1000).toFixed(0)} s: ${JSON.stringify(faults)}; changes ${JSON.stringify(changes)}`);

    // Convergence: every pair deployed at its desired hash and the assignment DEPLOYED.
    const stoppedAt = Date.now();
    let pairs: PairOutcome[] = [];
    let state = '';
    let convergedAfterMs: number | null = null;
    while (Date.now() - stoppedAt < o.convergeTimeoutMs) {
      while (messy && messy.pending.size > 0) await Promise.all([...messy.pending]);
      pairs = await retrying('reading the pairs', () => tables.pairs(tenant, FEATURE));
      state = (await retrying('reading the assignment status', () => api.ok<{ state: string }>('GET', `/api/v1/assignments/${assignment.id}/status`))).state;
      if (state === 'DEPLOYED' && pairs.length === envNames.length && pairs.every(converged)) {
        convergedAfterMs = Date.now() - stoppedAt;
        break;
      }
      await sleep(1000);
    }
    const notConverged = pairs.filter((p) => !converged(p));
    const helmRuns = helmRunsPerDiid(clusterLogs);
    const doubledReal = [...helmRuns].filter(([, c]) => c > 1);
    const renders = helmRunsPerDiid(dryRunLogs);
    const dryRunReRenders = [...renders.values()].reduce((n, c) => n + c - 1, 0);
    const doubledSimulated = [...ledger.applies].filter(([, c]) => c > 1);
    const reportedDeployed = [...ledger.applies.keys()];
    const [holes, orphans, unaudited, lostReports] = await Promise.all([
      tables.deployLogHoles(tenant),
      tables.instructionsWithoutDecision(tenant),
      tables.unaudited(tokens),
      tables.missingDeployed(reportedDeployed.filter((d) => ledger.deliveries.has(d))),
    ]);
    const invariants: Invariant[] = [
      {
        name: 'every (environment, feature) converged to its desired hash, DEPLOYED',
        held: convergedAfterMs !== null,
        detail:
          convergedAfterMs !== null
            ? `${pairs.length} pairs, assignment ${state}`
            : `${notConverged.length} of ${pairs.length} not converged, assignment ${state}: ${JSON.stringify(notConverged.slice(0, 5))}`,
      },
      {
        name: 'no diid applied twice by a naisd in cluster mode (helm upgrade runs per diid)',
        held: doubledReal.length === 0,
        detail: `${helmRuns.size} diids run by ${clusterLogs.length} naisd in cluster mode; ${doubledReal.length} more than once${doubledReal.length ? `: ${JSON.stringify(doubledReal.slice(0, 5))}` : ''}`,
      },
      {
        name: 'no diid applied twice by a simulated agent',
        held: doubledSimulated.length === 0,
        detail: `${ledger.applies.size} diids applied; ${doubledSimulated.length} more than once`,
      },
      {
        name: 'no reported outcome lost (every applied deploy in the deploy log)',
        held: lostReports.length === 0,
        detail: `${lostReports.length} missing${lostReports.length ? `: ${lostReports.slice(0, 5).join(', ')}` : ''}`,
      },
      {
        name: 'deploy log without holes (every status of an instruction after its sent)',
        held: holes.length === 0,
        detail: `${holes.length} instructions with a hole${holes.length ? `: ${JSON.stringify(holes.slice(0, 3))}` : ''}`,
      },
      {
        name: 'decision log complete (every instruction has its decision)',
        held: orphans.length === 0,
        detail: `${orphans.length} instructions without a decision`,
      },
      {
        name: 'audit complete (every acknowledged change audited)',
        held: unaudited.length === 0,
        detail: `${tokens.length} changes checked; ${unaudited.length} without an audit row`,
      },
    ];
    const republished = [...ledger.deliveries.values()].filter((ids) => ids.size > 1).length;
    return {
      seed,
      dryRunReRenders,
      faults,
      changes,
      invariants,
      republished,
      deployments: ledger.applies.size + helmRuns.size + renders.size,
      durationMs: Date.now() - started,
      convergedAfterMs,
      platform: `catalog-api ×1, matcher ×2, reconciler ×2, dispatcher ×2 (separate processes), PostgreSQL, Pub/Sub emulator; ${o.simulatedAgents} simulated agents + ${o.realAgents} naisd (${clusterLogs.length} in cluster mode on a fake Kubernetes API, ${dryRunLogs.length} helm dry-run); ${o.duplicatePercent} % of the services' messages published 2-3 times, copies up to 3 s late`,
    };
  } catch (e) {
    log(diagnostics());
    throw e;
  } finally {
    for (const a of simulated) await a.crash().catch(() => undefined);
    await bus.bus.close().catch(() => undefined);
    await tables.close().catch(() => undefined);
    await platform.stop();
    for (const kube of clusters) await kube.stop().catch(() => undefined);
    await db.drop().catch(() => undefined);
  }
}

/** The table `pnpm chaos` prints and docs/reliability.md keeps. */
export function chaosTable(r: ChaosResult, machine: string): string {
  const lines = [
    `| fault | injected |`,
    `|---|---|`,
    ...Object.entries(r.faults).map(([k, v]) => `| ${k} | ${v} |`),
    '',
    `| invariant | held | detail |`,
    `|---|---|---|`,
    ...r.invariants.map((i) => `| ${i.name} | ${i.held ? 'yes' : '**NO**'} | ${i.detail.replaceAll('|', '\\|')} |`),
    '',
    `dry-run naisd re-renders after a restart (expected, decision 0015; not an apply): ${r.dryRunReRenders}`,
    `changes: ${Object.entries(r.changes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; deploys applied: ${r.deployments}; instructions that arrived as more than one publish: ${r.republished}; ` +
      `run ${(r.durationMs / 1000).toFixed(0)} s, converged ${r.convergedAfterMs === null ? 'never' : `${(r.convergedAfterMs / 1000).toFixed(1)} s`} after the faults stopped; seed ${r.seed}`,
    `platform: ${r.platform}`,
    `machine: ${machine}`,
  ];
  return lines.join('\n');
}
