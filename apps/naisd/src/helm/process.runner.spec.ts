import { describe, expect, it } from '@jest/globals';
import { childProcessEnv } from '@fasit/config';
import { runProcess, type OutputStream } from './process.runner.js';

const env = childProcessEnv();

describe('runProcess', () => {
  it('streams stdout and stderr line by line and returns the exit code', async () => {
    const lines: [string, OutputStream][] = [];
    const r = await runProcess('/bin/sh', ['-c', 'echo out1; echo err1 >&2; echo out2; exit 3'], {
      env,
      killAfterMs: 10_000,
      onLine: (l, s) => lines.push([l, s]),
    });
    expect(r.exitCode).toBe(3);
    expect(r.timedOut).toBe(false);
    expect(r.stdout).toBe('out1\nout2\n');
    expect(r.stderrLines).toEqual(['err1']);
    expect(lines).toEqual(
      expect.arrayContaining([
        ['out1', 'stdout'],
        ['out2', 'stdout'],
        ['err1', 'stderr'],
      ]),
    );
  });

  it('kills a process that overruns its deadline and says so', async () => {
    // `sleep 30` ends on its own with 0; SIGTERM and timedOut say the deadline ended it (no clock assertion)
    const r = await runProcess('/bin/sh', ['-c', 'echo starting >&2; exec sleep 30'], { env, killAfterMs: 300, killGraceMs: 500 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    expect(r.signal).toBe('SIGTERM');
    expect(r.stderrLines).toEqual(['starting']);
  });

  it('escalates to SIGKILL when the process ignores SIGTERM', async () => {
    const r = await runProcess('/bin/sh', ['-c', "trap '' TERM; sleep 30 & wait; sleep 30"], { env, killAfterMs: 200, killGraceMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGKILL');
  });

  it('a missing binary comes back as a spawn error, not an exception', async () => {
    const r = await runProcess('/nonexistent/helm', ['version'], { env, killAfterMs: 1_000 });
    expect(r.spawnError).toContain('ENOENT');
    expect(r.exitCode).toBeNull();
  });
});
