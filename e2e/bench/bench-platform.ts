// The platform a benchmark runs against: the four control-plane services as separate processes on a fresh database
// of the local PostgreSQL, over the Pub/Sub emulator (scripts/services.sh), each in its own Pub/Sub project so that
// runs never share topics. Per-process memory and the services' /metrics are read from here.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { EventBus, PubSubBus } from '@fasit/bus';
import { startProcessPlatform, tail, type ProcessPlatform } from '@fasit/launcher';
import { createTestDatabase } from '@fasit/testing';
import { scrapeMetrics, type MetricSample } from '../src/metrics-text.js';

export interface BenchPlatform {
  run: string;
  project: string;
  apiUrl: string;
  databaseUrl: string;
  emulatorHost: string;
  agentKeySecret: string;
  /** The bench's own bus client (the fleet's agents and the scenarios publish and consume through it). */
  bus: EventBus;
  processes: ProcessPlatform['processes'];
  /** Restarts a service process with extra settings (e.g. a short sweep interval for the sweep scenario). */
  restart(service: string, env: Record<string, string>): Promise<void>;
  where: string;
  /** Resident memory of each service process now (MiB). */
  rss(): Record<string, number>;
  /** A service's /metrics, read. */
  metrics(service: string): Promise<MetricSample[]>;
  diagnostics(): string;
  stop(): Promise<void>;
}

/** Settings that keep what is not measured out of the way: the sweep and the health window do not fire mid-run. */
export const QUIET: Record<string, string> = {
  FASIT_RECONCILE_INTERVAL_MS: '600000',
  FASIT_AGENT_HEALTH_WINDOW_MS: '3600000',
  FASIT_DEPLOY_TIMEOUT_MS: '3600000',
  // The simulated fleet reads whole shards (decision 0024): no environment's own subscription is pulled.
  FASIT_INSTRUCTION_SUBSCRIPTIONS: 'false',
  LOG_LEVEL: 'warn',
};

export async function startBenchPlatform(o: { emulatorHost: string; env?: Record<string, string> }): Promise<BenchPlatform> {
  const run = randomBytes(4).toString('hex');
  const agentKeySecret = `bench-agent-key-secret-${run}-${run}`;
  const db = await createTestDatabase('bench');
  const project = `bench-${run}`;
  const logDir = `/tmp/fasit-${project}`;
  const p = await startProcessPlatform({
    databaseUrl: db.url,
    pubsubEmulatorHost: o.emulatorHost,
    pubsubProjectId: project,
    agentKeySecret,
    logDir,
    env: { ...QUIET, ...o.env },
  });
  const bus = new EventBus(new PubSubBus({ projectId: project, emulatorHost: o.emulatorHost, createTopics: true }), { maxDeliveries: 5 });
  return {
    run,
    project,
    apiUrl: p.apiUrl,
    databaseUrl: db.url,
    emulatorHost: o.emulatorHost,
    agentKeySecret,
    bus,
    processes: p.processes,
    async restart(service, env) {
      await p.restart(service, env);
    },
    where: `catalog-api, matcher, reconciler, dispatcher as 4 Node processes, PostgreSQL (database ${db.name}), the Pub/Sub emulator at ${o.emulatorHost}; logs in ${logDir}`,
    rss: () => Object.fromEntries(p.processes.map((x) => [x.name, rssMiB(x.child.pid)])),
    async metrics(service) {
      const x = p.processes.find((q) => q.name === service);
      if (!x) throw new Error(`no service ${service}`);
      return await scrapeMetrics(x.url);
    },
    diagnostics: () => p.processes.map((x) => `${x.name}:\n${tail(x.logFile)}`).join('\n'),
    async stop() {
      await bus.bus.close();
      await p.stop();
      await db.drop();
    },
  };
}

/** VmRSS of a process from /proc (Linux), in MiB; NaN where it cannot be read. */
export function rssMiB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
