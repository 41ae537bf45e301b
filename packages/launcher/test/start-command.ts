// Runs the start command as `bash scripts/start` does after bootstrapping (the compiled launcher,
// `node --conditions=fasit-build packages/launcher/dist/start.js`, after `node scripts/build.mjs`) on this test's
// own database, Pub/Sub project, ports and run directory, against the local services of scripts/services.sh.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childProcessEnv } from '@fasit/config';
import { createTestDatabase, freePort, type TestDatabase } from '@fasit/testing';

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));

/** Compiles the repository as scripts/start does (incremental). */
export function buildOnce(): void {
  const r = spawnSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/build.mjs failed:\n${r.stdout}\n${r.stderr}`);
}

export interface StartedCommand {
  child: ChildProcess;
  runDir: string;
  output(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

export interface StartEnvironment {
  env: Record<string, string>;
  apiPort: number;
  grpcPort: number;
  runDir: string;
  api: string;
  database: TestDatabase;
  cleanup(): Promise<void>;
}

const parent = childProcessEnv();
const inherited = (names: string[]): Record<string, string> => Object.fromEntries(names.flatMap((n) => (parent[n] === undefined ? [] : [[n, parent[n]]])));

/** A fresh database, Pub/Sub project, ports and run directory for one platform. */
export async function startEnvironment(extra: Record<string, string> = {}): Promise<StartEnvironment> {
  const emulator = parent['PUBSUB_EMULATOR_HOST'];
  if (!emulator) throw new Error('this machine has no Pub/Sub emulator (scripts/services.sh start says why): the start command runs embedded there');
  const database = await createTestDatabase('start');
  const apiPort = await freePort();
  const grpcPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'fasit-start-'));
  const runDir = join(dir, 'run');
  const env: Record<string, string> = {
    ...inherited(['PATH', 'HOME', 'NODE_EXTRA_CA_CERTS', 'OCI_REGISTRY', 'HELM_CACHE_HOME', 'HELM_CONFIG_HOME', 'HELM_DATA_HOME', 'HELM_MEMORY_DRIVER_DATA']),
    METADATA_SERVER_DETECTION: 'none',
    DATABASE_URL: database.url,
    PUBSUB_EMULATOR_HOST: emulator,
    PUBSUB_PROJECT_ID: `start-${randomBytes(4).toString('hex')}`,
    FASIT_STATE_DIR: dir,
    FASIT_RUN_DIR: runDir,
    FASIT_HTTP_PORT: String(apiPort),
    FASIT_GRPC_PORT: String(grpcPort),
    ...extra,
  };
  return {
    env,
    apiPort,
    grpcPort,
    runDir,
    api: `http://127.0.0.1:${apiPort}/api/v1`,
    database,
    async cleanup() {
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Spawns the compiled start command with `env` (nothing else of this process's environment). */
export function spawnStart(env: Record<string, string>, args: string[] = []): StartedCommand {
  const child = spawn(process.execPath, ['--conditions=fasit-build', '--enable-source-maps', 'packages/launcher/dist/start.js', ...args], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, stderr: () => err, exited, runDir: env['FASIT_RUN_DIR'] ?? '' };
}

/**
 * Runs `bash scripts/start <args>` to its end without blocking this process (a `spawnSync` would: the idle
 * keep-alive connections of this process's `fetch` then outlive the server's timeout unnoticed, and the next request
 * on one fails with "other side closed").
 */
export function runStart(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn('bash', ['scripts/start', ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 200_000);
  return new Promise((resolve) =>
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    }),
  );
}

/** Waits until the platform says it runs (its "Stop:" line), or fails with what it printed when it exits first. */
export async function waitRunning(started: StartedCommand, timeoutMs = 480_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void started.exited.then((c) => (exitCode = c));
  while (Date.now() < deadline) {
    if (started.output().includes('  Stop:')) return started.output();
    if (exitCode !== undefined) throw new Error(`the start command exited with ${exitCode}:\n${started.output()}\n${started.stderr()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `the start command did not say it runs within ${timeoutMs / 1000}s:\n${started.output()}\n${started.stderr()}\n${logTails(runDirOf(started))}`,
  );
}

function runDirOf(started: StartedCommand): string {
  return started.runDir;
}

/** The last lines of every log in a run directory, for a failure message. */
export function logTails(runDir: string, lines = 6): string {
  const logs = join(runDir, 'logs');
  if (!runDir || !existsSync(logs)) return '(no logs)';
  return readdirSync(logs)
    .map((f) => `${f}:\n${readFileSync(join(logs, f), 'utf8').split('\n').slice(-lines).join('\n')}`)
    .join('\n');
}

/** Stops it as Ctrl-C does; resolves with its exit code and, when that is not 0, what it printed on stderr. */
export async function interrupt(started: StartedCommand): Promise<{ code: number | null; stderr?: string }> {
  if (started.child.exitCode === null) started.child.kill('SIGINT');
  const code = await started.exited;
  return code === 0 ? { code } : { code, stderr: started.stderr() };
}

/** Every log line at level error in the run directory's logs, with the file it is in. */
export function errorLines(runDir: string): string[] {
  const logs = join(runDir, 'logs');
  if (!existsSync(logs)) return [];
  return readdirSync(logs).flatMap((f) =>
    readFileSync(join(logs, f), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"level":"error"'))
      .map((l) => `${f}: ${l}`),
  );
}

/** The PIDs of the children a process has now (from /proc). */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
