// The platform as separate processes over the real bus: catalog-api, matcher, reconciler, dispatcher, and one
// naisd per environment, each its own Node process started from its entry point (src/main.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childProcessEnv } from '@fasit/config';
import { deriveAgentKey } from '@fasit/domain';
import { freePort } from '@fasit/testing';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const APPS = ['catalog-api', 'matcher', 'reconciler', 'dispatcher'] as const;

export interface AgentSpec {
  tenant: string;
  environment: string;
}

export interface ProcessPlatformOptions {
  databaseUrl: string;
  pubsubEmulatorHost: string;
  pubsubProjectId: string;
  apiPort?: number;
  /** The catalog's gRPC management API; a free port when not given. */
  grpcPort?: number;
  agentKeySecret: string;
  logDir: string;
  /** Extra environment for every process (FASIT_* tuning). */
  env?: Record<string, string>;
  /**
   * Replicas per service (default 1 each): each replica is its own process on the same database and
   * subscriptions, as in a cluster. The API URL is the first catalog-api's.
   */
  replicas?: Partial<Record<ServiceName, number>>;
  /** How long a process may take to answer /readyz (default 180 s; a busy machine compiles the sources slowly). */
  readyTimeoutMs?: number;
}

export type ServiceName = (typeof APPS)[number];

export interface RunningProcess {
  name: string;
  child: ChildProcess;
  url: string;
  logFile: string;
}

export interface ProcessPlatform {
  apiUrl: string;
  /** Every service process (`<service>` for the first replica, `<service>-<n>` for the others). */
  processes: RunningProcess[];
  /** Starts a replica of a service again (or one more), under `name` (one of `processes`' names or a new one). */
  restart(name: string): Promise<RunningProcess>;
  startAgent(agent: AgentSpec): Promise<RunningProcess>;
  stopAgent(agent: AgentSpec): Promise<void>;
  stop(): Promise<void>;
}


export async function startProcessPlatform(o: ProcessPlatformOptions): Promise<ProcessPlatform> {
  mkdirSync(o.logDir, { recursive: true });
  const base: Record<string, string> = {
    DATABASE_URL: o.databaseUrl,
    FASIT_BUS: 'pubsub',
    PUBSUB_EMULATOR_HOST: o.pubsubEmulatorHost,
    PUBSUB_PROJECT_ID: o.pubsubProjectId,
    METADATA_SERVER_DETECTION: 'none',
    FASIT_AGENT_KEY_SECRET: o.agentKeySecret,
    ...o.env,
  };
  const processes: RunningProcess[] = [];
  const agents = new Map<string, RunningProcess>();
  /** Every process started, also those of a start that failed half-way (they must not outlive the platform). */
  const spawned = new Set<RunningProcess>();
  const stopAll = async () => {
    await Promise.all([...agents.values(), ...processes, ...spawned].map((p) => stopProcess(p)));
  };
  const apiPort = o.apiPort ?? (await freePort());
  /** The environment of one replica: the first catalog-api keeps the API and gRPC ports; every other gets free ones. */
  const envOf = async (app: ServiceName, first: boolean): Promise<Record<string, string>> =>
    app === 'catalog-api'
      ? { ...base, FASIT_HTTP_PORT: String(first ? apiPort : await freePort()), FASIT_GRPC_PORT: String(first ? (o.grpcPort ?? (await freePort())) : await freePort()) }
      : { ...base, FASIT_HTTP_PORT: String(await freePort()) };
  const serviceOf = (name: string): ServiceName => {
    const app = APPS.find((a) => name === a || name.startsWith(`${a}-`));
    if (!app) throw new Error(`${name} is not a service replica name`);
    return app;
  };
  try {
    // The catalog first: it creates the catalog schema the others read.
    processes.push(await startApp('catalog-api', await envOf('catalog-api', true), o.logDir, 'catalog-api', spawned, o.readyTimeoutMs));
    const rest = await Promise.all(
      APPS.flatMap((app) => Array.from({ length: o.replicas?.[app] ?? 1 }, (_, i) => ({ app, i }))).filter(({ app, i }) => app !== 'catalog-api' || i > 0).map(async ({ app, i }) => startApp(app, await envOf(app, false), o.logDir, i === 0 ? app : `${app}-${i + 1}`, spawned, o.readyTimeoutMs)),
    );
    processes.push(...rest);
  } catch (e) {
    await stopAll();
    throw e;
  }
  return {
    apiUrl: processes[0]!.url,
    processes,
    async restart(name) {
      const i = processes.findIndex((p) => p.name === name);
      const old = i >= 0 ? processes[i] : undefined;
      if (old) await stopProcess(old);
      const app = serviceOf(name);
      // The first catalog-api comes back on the API port (clients keep their URL).
      const p = await startApp(app, await envOf(app, name === 'catalog-api'), o.logDir, name, spawned, o.readyTimeoutMs);
      if (i >= 0) processes[i] = p;
      else processes.push(p);
      return p;
    },
    async startAgent(a) {
      const p = await startApp(
        'naisd',
        {
          ...base,
          FASIT_TENANT: a.tenant,
          FASIT_ENVIRONMENT: a.environment,
          FASIT_AGENT_KEY: deriveAgentKey(o.agentKeySecret, a.tenant, a.environment),
          FASIT_HTTP_HOST: '127.0.0.1',
          FASIT_HTTP_PORT: String(await freePort()),
        },
        o.logDir,
        `naisd-${a.tenant}-${a.environment}`,
        undefined,
        o.readyTimeoutMs,
      );
      agents.set(`${a.tenant}/${a.environment}`, p);
      return p;
    },
    async stopAgent(a) {
      const p = agents.get(`${a.tenant}/${a.environment}`);
      if (p) await stopProcess(p);
      agents.delete(`${a.tenant}/${a.environment}`);
    },
    stop: stopAll,
  };
}

async function startApp(app: string, env: Record<string, string>, logDir: string, name = app, spawned?: Set<RunningProcess>, readyTimeoutMs?: number): Promise<RunningProcess> {
  const logFile = join(logDir, `${name}.log`);
  const out = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['--enable-source-maps', '--import', '@swc-node/register/esm-register', 'src/main.ts'], {
    cwd: join(REPO_ROOT, 'apps', app),
    env: { ...childEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const url = `http://127.0.0.1:${env['FASIT_HTTP_PORT']}`;
  const p: RunningProcess = { name, child, url, logFile };
  spawned?.add(p);
  try {
    await waitReady(p, readyTimeoutMs);
  } catch (e) {
    await stopProcess(p);
    throw e;
  }
  return p;
}

/** The parent's environment minus FASIT_* settings meant for the parent only, and Jest's NODE_OPTIONS. */
function childEnv(): Record<string, string> {
  const env = childProcessEnv();
  for (const k of Object.keys(env)) if (k.startsWith('FASIT_') || k === 'NODE_OPTIONS') delete env[k];
  return env;
}

// Generous: several Node processes compiling their TypeScript at once on a small, busy machine take a while.
async function waitReady(p: RunningProcess, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const exit: { code: number | null } = { code: null };
  p.child.once('exit', (code) => (exit.code = code ?? -1));
  while (Date.now() < deadline) {
    if (exit.code !== null) throw new Error(`${p.name} exited with ${exit.code} while starting:\n${tail(p.logFile)}`);
    try {
      const res = await fetch(`${p.url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${p.name} was not ready after ${timeoutMs / 1000}s:\n${tail(p.logFile)}`);
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function stopProcess(p: RunningProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise<void>((r) => p.child.once('exit', () => r()));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
