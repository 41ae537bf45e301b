// One start command per run directory: a PID file created exclusively. A second start finds it, sees that the
// PID is alive and still a start command, and refuses naming it; a PID file left by a start that died is taken
// over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { processCommandLine } from './port-check.js';

export class InstanceLockError extends Error {
  override readonly name = 'InstanceLockError';
  constructor(
    message: string,
    readonly pid: number,
  ) {
    super(message);
  }
}

export interface InstanceLock {
  release(): void;
}

/** Takes `file` for this process, or throws InstanceLockError naming the live start command that holds it. */
export function takeInstanceLock(file: string, isStartCommand: (commandLine: string) => boolean): InstanceLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return { release: () => releaseIfOurs(file) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const pid = Number.parseInt(readText(file), 10);
    const commandLine = Number.isInteger(pid) && pid > 0 ? processCommandLine(pid) : null;
    if (commandLine !== null && isStartCommand(commandLine)) {
      throw new InstanceLockError(
        `another Fasit start command is running (PID ${pid}: ${commandLine}); stop it first (Ctrl-C in its terminal, or kill ${pid})`,
        pid,
      );
    }
    rmSync(file, { force: true }); // left by a start command that is gone: take it over
  }
  throw new Error(`could not take the instance lock ${file}`);
}

function releaseIfOurs(file: string): void {
  if (readText(file).trim() === String(process.pid)) rmSync(file, { force: true });
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
