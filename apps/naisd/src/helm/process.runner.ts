// Runs one external process, streaming its output line by line, and kills it when it overruns its deadline
// (SIGTERM, then SIGKILL after a grace period) together with anything it started (its process group).
// Never rejects: spawn failures come back in the result.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export type OutputStream = 'stdout' | 'stderr';

export interface RunOptions {
  env: Record<string, string>;
  /** Kill the process after this long. */
  killAfterMs: number;
  /** Time between SIGTERM and SIGKILL. */
  killGraceMs?: number;
  onLine?: (line: string, stream: OutputStream) => void;
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** The spawn error (binary missing, not executable), if the process never ran. */
  spawnError: string | null;
  stdout: string;
  /** The last lines of stderr (bounded). */
  stderrLines: string[];
  durationMs: number;
}

const MAX_STDOUT_CHARS = 32 * 1024 * 1024;
const MAX_STDERR_LINES = 200;
const STREAM_DRAIN_MS = 2_000;

export function runProcess(bin: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    // Its own process group, so a kill reaches helm's children (plugins, credential helpers) too.
    const child = spawn(bin, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const kill = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        child.kill(signal);
      }
    };
    let stdout = '';
    const stderrLines: string[] = [];
    let timedOut = false;
    let spawnError: string | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    const pending: Promise<void>[] = [];

    const follow = (stream: NodeJS.ReadableStream, kind: OutputStream): void => {
      const rl = createInterface({ input: stream, crlfDelay: Infinity });
      rl.on('line', (line) => {
        if (kind === 'stdout') {
          if (stdout.length < MAX_STDOUT_CHARS) stdout += `${line}\n`;
        } else {
          stderrLines.push(line);
          if (stderrLines.length > MAX_STDERR_LINES) stderrLines.shift();
        }
        options.onLine?.(line, kind);
      });
      pending.push(new Promise((done) => rl.once('close', done)));
    };
    follow(child.stdout, 'stdout');
    follow(child.stderr, 'stderr');

    const deadline = setTimeout(() => {
      timedOut = true;
      kill('SIGTERM');
      killTimer = setTimeout(() => kill('SIGKILL'), options.killGraceMs ?? 5_000);
    }, options.killAfterMs);

    let settled = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (killTimer) clearTimeout(killTimer);
      // Read what is still buffered in the pipes, but do not wait on a grandchild that keeps them open.
      let drainTimer: NodeJS.Timeout | undefined;
      const drained = new Promise<void>((done) => (drainTimer = setTimeout(done, STREAM_DRAIN_MS)));
      void Promise.race([Promise.all(pending), drained]).then(() => {
        clearTimeout(drainTimer);
        child.stdout.destroy();
        child.stderr.destroy();
        resolve({ exitCode, signal, timedOut, spawnError, stdout, stderrLines, durationMs: Date.now() - started });
      });
    };
    child.once('error', (err) => {
      spawnError = `${bin}: ${err.message}`;
      finish(null, null);
    });
    child.once('exit', (code, signal) => finish(code, signal));
  });
}
