// The platform as separate processes over the real bus: catalog-api, matcher, reconciler, dispatcher, and one
// naisd per environment, each its own Node process started from its entry point: the compiled `dist/main.js`
// when this launcher itself runs compiled (the start command, after scripts/build.mjs), the TypeScript source
// `src/main.ts` through the swc loader when it runs from source (the tests).
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
  /** Extra environment for this agent alone (a test's `FASIT_KUBECONFIG`: cluster mode against the fake Kubernetes API). */
  env?: Record<string, string>;
}

export interface ProcessPlatformOptions {
  databaseUrl: string;
  pubsubEmulatorHost: string;
  pubsubProjectId: string;
  apiPort?: number;
  /** The catalog's gRPC management API; a free port when not given. */
  grpcPort?: number;
  agentKeySecret: string;
  /** The instruction key pair (generateInstructionKeys); development mode's keys when not given. */
  instructionKeys?: InstructionKeys;
  logDir: string;
  /** Extra environment for every process (FASIT_* settings and tuning); FASIT_* of this process are not inherited. */
  env?: Record<string, string>;
  /** Run the services from their build (`dist/`) or their TypeScript source; by default as this module runs. */
  compiled?: boolean;
  /** Called once when a process exits that was not stopped (a crash after it was ready), with its last log lines. */
  onUnexpectedExit?: (process: RunningProcess, code: number | null, logTail: string) => void;
  /**
   * Replicas per service (default 1 each): each replica is its own process on the same database and
   * subscriptions, as in a cluster. The API URL is the first catalog-api's.
   */
  replicas?: Partial<Record<ServiceName, number>>;
  /** How long a process may take to answer /readyz (default 180 s; a busy machine compiles the sources slowly). */
  readyTimeoutMs?: number;
}

export interface InstructionKeys {
  /** FASIT_INSTRUCTION_SIGNING_KEY: the dispatcher's only. */
  signingKey: string;
  /** FASIT_INSTRUCTION_PUBLIC_KEYS: every agent's. */
  publicKeys: string;
}

export type ServiceName = (typeof APPS)[number];

export interface RunningProcess {
  name: string;
  child: ChildProcess;
  url: string;
  logFile: string;
  /** Set when the launcher stops it (an exit after that is not a failure). */
  stopped: boolean;
}

export interface ProcessPlatform {
  apiUrl: string;
  /** Every service process (`<service>` for the first replica, `<service>-<n>` for the others); the agents are in `agents`. */
  processes: RunningProcess[];
  agents(): RunningProcess[];
  /**
   * Starts a replica of a service again (or one more), under `name` (one of `processes`' names or a new one);
   * `env` adds to (or overrides) the environment it started with, for this start only.
   */
  restart(name: string, env?: Record<string, string>): Promise<RunningProcess>;
  /** SIGKILL to one service process (no drain, as a crashed or OOM-killed pod); `restart(name)` brings it back. */
  kill(name: string): Promise<void>;
  startAgent(agent: AgentSpec): Promise<RunningProcess>;
  stopAgent(agent: AgentSpec): Promise<void>;
  /** SIGKILL to an agent's naisd (a helm it runs is orphaned and finishes on its own); `startAgent` brings it back. */
  killAgent(agent: AgentSpec): Promise<void>;
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
  /** Agents started before: a restart goes on writing the agent's log (the chaos run counts helm runs in it). */
  const agentsStarted = new Set<string>();
  /** Every process started, also those of a start that failed half-way (they must not outlive the platform). */
  const spawned = new Set<RunningProcess>();
  let stopping = false;
  /** A process that exits without the launcher stopping it (a crash after it was ready) is reported once. */
  const watch = (p: RunningProcess) => {
    p.child.once('exit', (code) => {
      if (!stopping && !p.stopped) o.onUnexpectedExit?.(p, code, tail(p.logFile));
    });
    return p;
  };
  const stopAll = async () => {
    stopping = true;
    await Promise.all([...agents.values(), ...processes, ...spawned].map((p) => stopProcess(p)));
  };
  const apiPort = o.apiPort ?? (await freePort());
  // The private instruction key goes to the dispatcher alone.
  const signing: Record<string, string> = o.instructionKeys ? { FASIT_INSTRUCTION_SIGNING_KEY: o.instructionKeys.signingKey } : {};
  /** The environment of one replica: the first catalog-api keeps the API and gRPC ports; every other gets free ones. */
  const envOf = async (app: ServiceName, first: boolean): Promise<Record<string, string>> =>
    app === 'catalog-api'
      ? {
          ...base,
          FASIT_HTTP_PORT: String(first ? apiPort : await freePort()),
          FASIT_GRPC_PORT: String(first ? (o.grpcPort ?? (await freePort())) : await freePort()),
        }
      : { ...base, ...(app === 'dispatcher' ? signing : {}), FASIT_HTTP_PORT: String(await freePort()) };
  const serviceOf = (name: string): ServiceName => {
    const app = APPS.find((a) => name === a || name.startsWith(`${a}-`));
    if (!app) throw new Error(`${name} is not a service replica name`);
    return app;
  };
  const start = { logDir: o.logDir, spawned, compiled: o.compiled, readyTimeoutMs: o.readyTimeoutMs };
  try {
    // The catalog first: it creates the catalog schema the others read.
    processes.push(watch(await startApp('catalog-api', await envOf('catalog-api', true), 'catalog-api', start)));
    const rest = await Promise.all(
      APPS.flatMap((app) => Array.from({ length: o.replicas?.[app] ?? 1 }, (_, i) => ({ app, i })))
        .filter(({ app, i }) => app !== 'catalog-api' || i > 0)
        .map(async ({ app, i }) => watch(await startApp(app, await envOf(app, false), i === 0 ? app : `${app}-${i + 1}`, start))),
    );
    processes.push(...rest);
  } catch (e) {
    await stopAll();
    throw e;
  }
  return {
    apiUrl: processes[0]!.url,
    processes,
    agents: () => [...agents.values()],
    async restart(name, env) {
      const i = processes.findIndex((p) => p.name === name);
      const old = i >= 0 ? processes[i] : undefined;
      if (old) await stopProcess(old);
      const app = serviceOf(name);
      // The first catalog-api comes back on the API port (clients keep their URL); the log goes on in the same file.
      const p = watch(await startApp(app, { ...(await envOf(app, name === 'catalog-api')), ...env }, name, { ...start, append: true }));
      if (i >= 0) processes[i] = p;
      else processes.push(p);
      return p;
    },
    async kill(name) {
      const p = processes.find((x) => x.name === name);
      if (!p) throw new Error(`no process ${name}`);
      await killProcess(p);
    },
    async killAgent(a) {
      const p = agents.get(`${a.tenant}/${a.environment}`);
      if (p) await killProcess(p);
      agents.delete(`${a.tenant}/${a.environment}`);
    },
    async startAgent(a) {
      const key = `${a.tenant}/${a.environment}`;
      const running = agents.get(key);
      if (running && running.child.exitCode === null) return running;
      const p = await startApp(
        'naisd',
        {
          ...base,
          FASIT_TENANT: a.tenant,
          FASIT_ENVIRONMENT: a.environment,
          FASIT_AGENT_KEY: deriveAgentKey(o.agentKeySecret, a.tenant, a.environment),
          ...(o.instructionKeys ? { FASIT_INSTRUCTION_PUBLIC_KEYS: o.instructionKeys.publicKeys } : {}),
          FASIT_HTTP_HOST: '127.0.0.1',
          FASIT_HTTP_PORT: String(await freePort()),
          ...a.env,
        },
        `naisd-${a.tenant}-${a.environment}`,
        { ...start, append: agentsStarted.has(key) },
      );
      agentsStarted.add(key);
      agents.set(key, watch(p));
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

/** Every process this module started and has not seen stop: what `stopEverythingStarted` stops. */
const live = new Set<RunningProcess>();

/** Stops every process started here that still runs (a platform interrupted while it was still starting). */
export async function stopEverythingStarted(): Promise<void> {
  await Promise.all([...live].map((p) => stopProcess(p)));
}

/** Compiled (dist/*.js) or source (src/*.ts): as this module itself runs. */
const COMPILED = import.meta.url.endsWith('.js');

/** How a service's entry point is started: the compiled build with the `fasit-build` export condition (every
 * workspace package resolves to its dist/), or the TypeScript source through the swc loader. */
export function entryPointArgs(compiled = COMPILED): string[] {
  return compiled
    ? ['--conditions=fasit-build', '--enable-source-maps', 'dist/main.js']
    : ['--enable-source-maps', '--import', '@swc-node/register/esm-register', 'src/main.ts'];
}

interface StartOptions {
  logDir: string;
  /** The platform's set of every process it started, joined before the process is ready. */
  spawned: Set<RunningProcess>;
  compiled?: boolean | undefined;
  /** Go on writing the log file (a restart) instead of writing it anew (a start). */
  append?: boolean;
  readyTimeoutMs?: number | undefined;
}

/** Starts one service and waits for its /readyz; while it starts, a failure stops it (the caller stops the others). */
async function startApp(app: string, env: Record<string, string>, name: string, so: StartOptions): Promise<RunningProcess> {
  const logFile = join(so.logDir, `${name}.log`);
  const out = createWriteStream(logFile, { flags: so.append ? 'a' : 'w' });
  const child = spawn(process.execPath, entryPointArgs(so.compiled ?? COMPILED), {
    cwd: join(REPO_ROOT, 'apps', app),
    env: { ...childEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const url = `http://127.0.0.1:${env['FASIT_HTTP_PORT']}`;
  const p: RunningProcess = { name, child, url, logFile, stopped: false };
  so.spawned.add(p);
  live.add(p);
  child.once('exit', () => live.delete(p));
  try {
    await waitReady(p, so.readyTimeoutMs);
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

/** A part of the platform that failed to start or stopped: its name and its last log lines. */
export class PartFailedError extends Error {
  override readonly name = 'PartFailedError';
  constructor(
    readonly part: string,
    readonly reason: string,
    readonly logTail: string,
  ) {
    super(`${part} ${reason}`);
  }
}

/** A part that has not answered /readyz after this long is stuck (generous: a loaded 2-core machine starting seven
 * Node processes at once has taken over a minute for one). */
async function waitReady(p: RunningProcess, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const exit: { code: number | null } = { code: null };
  p.child.once('exit', (code) => (exit.code = code ?? -1));
  while (Date.now() < deadline) {
    if (exit.code !== null) {
      await new Promise((r) => setTimeout(r, 100)); // let the log stream take the last lines
      throw new PartFailedError(p.name, `exited with ${exit.code} while starting`, tail(p.logFile));
    }
    try {
      const res = await fetch(`${p.url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new PartFailedError(p.name, `was not ready after ${timeoutMs / 1000}s`, tail(p.logFile));
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function killProcess(p: RunningProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise<void>((r) => p.child.once('exit', () => r()));
  p.child.kill('SIGKILL');
  await exited;
}

/**
 * How long a stopped process may drain before SIGKILL: as the chart's `terminationGracePeriodSeconds` (30), above the
 * services' own drain (FASIT_DRAIN_TIMEOUT_MS, 20 s). A busy machine's drain took longer than 10 s, and the process
 * killed then lost what it writes at exit (the benchmark's CPU profiles, the last log lines).
 */
const STOP_GRACE_MS = 30_000;

async function stopProcess(p: RunningProcess): Promise<void> {
  p.stopped = true;
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise<void>((r) => p.child.once('exit', () => r()));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
