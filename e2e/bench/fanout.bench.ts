// Fan-out benchmark of the control plane (not a test; `pnpm bench` in e2e, not part of `pnpm test`).
//
// One tenant with N environments (--envs, 500 by default), all healthy (one signed heartbeat each), one assignment
// `{tenant}` that targets all of them. Measured:
//   1. assignment created → every environment has received its deploy instruction (catalog → matcher →
//      reconciler → dispatcher → N instruction topics);
//   2. the agents (played here: installing → deployed, signed, for each instruction) → the assignment's status
//      says DEPLOYED;
//   3. one global config value changed → every environment has received its new instruction (the incremental path).
//
// With PUBSUB_EMULATOR_HOST set: the four control-plane services as separate processes (startProcessPlatform) on a
// fresh database of the local PostgreSQL, over the Pub/Sub emulator. Otherwise: the embedded platform (one process,
// PGlite, the in-process bus). Either way the agents are not naisd processes: this process plays all N of them.
// `--tracing file` runs the services with tracing on (every span written as a JSON line), to measure its cost.
import { randomBytes } from 'node:crypto';
import { cpus, freemem, totalmem } from 'node:os';
import { env as processEnv } from 'node:process';
import { parseArgs } from 'node:util';
import { EventBus, instructionTopic, InstructionVerifier, PubSubBus, type AgentReport, type AgentReportV1, type SignedInstructionV2, type VerifiedInstruction } from '@fasit/bus';
import { DEVELOPMENT_KEYS, parseInstructionPublicKeys } from '@fasit/config';
import { deriveAgentKey, signReport } from '@fasit/domain';
import { startEmbeddedPlatform, startProcessPlatform, tail } from '@fasit/launcher';
import { createTestDatabase, pushChart } from '@fasit/testing';
import { ApiClient } from '../src/api-client.js';

const { values: args } = parseArgs({
  options: {
    envs: { type: 'string', default: '500' },
    timeout: { type: 'string', default: '900' },
    // `file`: every service writes its spans as JSON lines (FASIT_TRACING=file), to measure what tracing costs.
    tracing: { type: 'string', default: 'off' },
  },
});
if (args.tracing !== 'off' && args.tracing !== 'file') throw new Error(`--tracing must be off or file (got ${args.tracing})`);
const N = Number(args.envs);
const TIMEOUT_MS = Number(args.timeout) * 1000;
if (!Number.isInteger(N) || N < 1) throw new Error(`--envs must be a positive integer (got ${args.envs})`);

const emulator = processEnv['PUBSUB_EMULATOR_HOST'];
const run = randomBytes(4).toString('hex');
const tenant = `bench-${run}`;
const secret = `bench-agent-key-secret-${run}-${run}`;
const envName = (i: number) => `env-${String(i).padStart(5, '0')}`;

// The periodic sweep and the agent health window are pushed out of the way so that they neither add work nor
// turn environments unhealthy while a large run is going on; everything measured is event driven.
const TUNING: Record<string, string> = {
  FASIT_RECONCILE_INTERVAL_MS: '600000',
  FASIT_AGENT_HEALTH_WINDOW_MS: '3600000',
  FASIT_DEPLOY_TIMEOUT_MS: '3600000',
  LOG_LEVEL: 'warn',
  ...(args.tracing === 'file' ? { FASIT_TRACING: 'file', FASIT_TRACING_DIR: `/tmp/fasit-bench-${run}-traces` } : {}),
};

interface Platform {
  where: string;
  apiUrl: string;
  bus: EventBus;
  diagnostics(): string;
  stop(): Promise<void>;
}

async function startPlatform(): Promise<Platform> {
  if (emulator) {
    const db = await createTestDatabase('bench');
    const project = `bench-${run}`;
    const p = await startProcessPlatform({ databaseUrl: db.url, pubsubEmulatorHost: emulator, pubsubProjectId: project, agentKeySecret: secret, logDir: `/tmp/fasit-${project}`, env: TUNING });
    const bus = new EventBus(new PubSubBus({ projectId: project, emulatorHost: emulator, createTopics: true }), { maxDeliveries: 5 });
    return {
      where: `catalog-api, matcher, reconciler, dispatcher: 4 Node processes (startProcessPlatform), local PostgreSQL (database ${db.name}), Pub/Sub emulator at ${emulator}; logs in /tmp/fasit-${project}`,
      apiUrl: p.apiUrl,
      bus,
      diagnostics: () => p.processes.map((x) => `${x.name}:\n${tail(x.logFile)}`).join('\n'),
      async stop() {
        await bus.bus.close();
        await p.stop();
        await db.drop();
      },
    };
  }
  const p = await startEmbeddedPlatform({ agentKeySecret: secret, env: TUNING });
  return {
    where: 'embedded platform: every service in this one Node process, PGlite (embedded PostgreSQL), the in-process bus',
    apiUrl: p.apiUrl,
    bus: p.bus,
    diagnostics: () => '',
    stop: () => p.stop(),
  };
}

/** Runs `f` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await f(items[next++]!);
    }),
  );
}

async function waitFor(what: string, done: () => boolean | Promise<boolean>, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${TIMEOUT_MS / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const t = Date.now();
  const chart = await pushChart('demo-feature', { repoPath: `bench-${run}` });
  const platform = await startPlatform();
  const startedMs = Date.now() - t;
  const api = new ApiClient(platform.apiUrl);
  const stops: (() => Promise<void>)[] = [];
  try {
    const names = Array.from({ length: N }, (_, i) => envName(i));

    // Setup (not measured): tenant, environments, one instruction subscription per environment, heartbeats.
    let phase = Date.now();
    await api.ok('POST', '/api/v1/tenants', { name: tenant, description: 'fan-out benchmark' });
    await pool(names, 16, async (name) => {
      await api.ok('POST', `/api/v1/tenants/${tenant}/environments`, { name, kind: 'tenant', labels: { bench: 'fanout' } });
    });
    const setupEnvsMs = Date.now() - phase;

    // What each environment received, in order (the agent side of the instruction topics).
    // Each played agent verifies its instructions as naisd does (the platform runs on the development keys).
    const received = new Map<string, { at: number; instruction: VerifiedInstruction }[]>();
    phase = Date.now();
    await pool(names, 16, async (name) => {
      received.set(name, []);
      const verifier = new InstructionVerifier(parseInstructionPublicKeys(DEVELOPMENT_KEYS.FASIT_INSTRUCTION_PUBLIC_KEYS), tenant, name);
      stops.push(
        await platform.bus.consume(
          instructionTopic(tenant, name),
          `bench-${run}`,
          async (message) => {
            const instruction = await verifier.verify((message as SignedInstructionV2).jws);
            received.get(name)!.push({ at: Date.now(), instruction });
          },
          { maxInFlight: 4 },
        ),
      );
    });
    const setupSubsMs = Date.now() - phase;

    const report = async (environment: string, r: AgentReport) => {
      const body: AgentReportV1 = { version: 'v1', tenant, environment, sentAt: new Date().toISOString(), report: r };
      await platform.bus.publish('naisd.status.reported.v1', body, { attributes: { signature: signReport(deriveAgentKey(secret, tenant, environment), JSON.stringify(body)) } });
    };
    phase = Date.now();
    await pool(names, 32, (name) => report(name, { type: 'heartbeat', agentVersion: 'bench' }));
    // Healthy = the dispatcher has recorded the heartbeat (read through the catalog's release inventory).
    let unhealthy = [...names];
    await waitFor(
      'every environment healthy',
      async () => {
        const still: string[] = [];
        await pool(unhealthy, 16, async (name) => {
          const inv = await api.ok<{ agent: unknown }>('GET', `/api/v1/tenants/${tenant}/environments/${name}/releases`);
          if (!inv.agent) still.push(name);
        });
        unhealthy = still;
        return still.length === 0;
      },
      500,
    );
    const setupHealthyMs = Date.now() - phase;

    // The chart's version stored without assigning it, so that its required secret can be configured first.
    await api.ok('POST', '/api/v1/features', { chart: chart.ref, version: chart.version });
    await api.ok('PUT', '/api/v1/features/demo-feature/config/auth.token', { value: 'bench-token' });

    // 1. The assignment → every environment has its deploy instruction.
    const t0 = Date.now();
    const assignment = await api.ok<{ id: string }>('POST', '/api/v1/assignments', { chart: chart.ref, version: chart.version, target: { tenant }, description: 'fan-out benchmark' });
    const assignmentCreatedMs = Date.now() - t0;
    const deploys = (name: string) => received.get(name)!.filter((r) => r.instruction.action === 'deploy');
    await waitFor('every environment to receive its deploy instruction', () => names.every((n) => deploys(n).length >= 1));
    const allInstructions = Math.max(...names.map((n) => deploys(n)[0]!.at)) - t0;
    const firstInstruction = Math.min(...names.map((n) => deploys(n)[0]!.at)) - t0;

    // 2. The agents: installing → deployed for each instruction → the assignment says DEPLOYED.
    const t1 = Date.now();
    await pool(names, 32, async (name) => {
      const i = deploys(name)[0]!.instruction;
      if (i.action !== 'deploy') throw new Error(`not a deploy: ${i.diid}`);
      const helm = (status: 'installing' | 'deployed'): AgentReport => ({ type: 'helm', diid: i.diid, name: i.release, featureVersion: i.featureVersion, status, hash: i.hash, error: null });
      await report(name, helm('installing'));
      await report(name, helm('deployed'));
    });
    const reportsPublishedMs = Date.now() - t1;
    let last: { state: string } | undefined;
    await waitFor(
      'the assignment to be DEPLOYED',
      async () => {
        last = await api.ok<{ state: string }>('GET', `/api/v1/assignments/${assignment.id}/status`);
        return last.state === 'DEPLOYED';
      },
      250,
    );
    const deployedMs = Date.now() - t1;

    // 3. The incremental path: one global config value → every environment has its new instruction.
    const t2 = Date.now();
    await api.ok('PUT', '/api/v1/features/demo-feature/config/image.tag', { value: `bench-${run}` });
    await waitFor('every environment to receive the new instruction', () => names.every((n) => deploys(n).length >= 2));
    const configChangeMs = Math.max(...names.map((n) => deploys(n)[1]!.at)) - t2;
    const duplicates = names.filter((n) => deploys(n).length > 2 || new Set(deploys(n).map((d) => d.instruction.diid)).size !== deploys(n).length).length;

    const c = cpus();
    const rows: [string, string][] = [
      ['environments', String(N)],
      ['assignment POST (response)', seconds(assignmentCreatedMs)],
      ['time to first instruction', seconds(firstInstruction)],
      ['time to all instructions', seconds(allInstructions)],
      ['instructions/s', (N / (allInstructions / 1000)).toFixed(1)],
      ['agents reported → DEPLOYED', seconds(deployedMs)],
      ['  (of which publishing 2N reports)', seconds(reportsPublishedMs)],
      ['config change → all new instructions', seconds(configChangeMs)],
      ['environments with duplicate instructions', String(duplicates)],
      ['setup: platform start', seconds(startedMs)],
      ['setup: create environments (REST)', seconds(setupEnvsMs)],
      ['setup: instruction subscriptions', seconds(setupSubsMs)],
      ['setup: heartbeats → all healthy', seconds(setupHealthyMs)],
      ['tracing', args.tracing === 'file' ? `FASIT_TRACING=file (JSON lines in ${TUNING['FASIT_TRACING_DIR']})` : 'off'],
    ];
    const w = Math.max(...rows.map(([k]) => k.length));
    console.log(`\nFasit fan-out benchmark, ${new Date().toISOString()}`);
    console.log(`platform: ${platform.where}`);
    console.log(`agents:   played by this benchmark process (signed reports; no naisd, no helm)`);
    console.log(`machine:  ${c.length} cores (${c[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} free), Node ${process.version}; everything on this one machine\n`);
    for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
    console.log('');
  } catch (e) {
    const d = platform.diagnostics();
    if (d) console.error(d);
    throw e;
  } finally {
    for (const s of stops) await s().catch(() => undefined);
    await platform.stop();
  }
}

await main();
