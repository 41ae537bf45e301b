// Does scripts/services.sh's PostgreSQL keep what it acknowledged through `restart-pg` (an immediate, crash-like
// restart)? The chaos run restarts PostgreSQL and then checks that every acknowledged change left its audit row, so
// it needs one that does. Each PostgreSQL here is a throwaway of its own (its own state directory and port): 8
// writers commit one row at a time, each row counted as acknowledged when its commit returned; PostgreSQL is
// restarted while they write; then every acknowledged row must be there.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from '@fasit/launcher';

const run = promisify(execFile);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Three rounds of acknowledged commits and an immediate restart while 8 writers go on: how many acknowledged rows are missing after them. */
async function lostThroughRestart(durable: boolean): Promise<{ acknowledged: number; missing: number }> {
  const stateDir = await mkdtemp(join(tmpdir(), 'fasit-durable-'));
  await chmod(stateDir, 0o755);
  const env = { ...process.env, FASIT_STATE_DIR: stateDir, FASIT_PG_PORT: String(await freePort()), FASIT_PG_DURABLE: durable ? '1' : '0' };
  const services = (...args: string[]) => run('bash', [join(REPO_ROOT, 'scripts/services.sh'), ...args], { env });
  try {
    await services('start', 'pg');
    const url = /DATABASE_URL=(\S+)/.exec(await readFile(join(stateDir, 'env'), 'utf8'))?.[1] ?? '';
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    await setup.query(`CREATE TABLE acks (writer int, n int, PRIMARY KEY (writer, n))`);
    await setup.end();
    const acknowledged: [number, number][] = [];
    // Three rounds: writers, a restart while they write. Commits lost by the fast mode are the last fraction of a
    // second before the restart, a few at this rate, so one round could by chance lose none.
    for (let round = 0; round < 3; round++) {
      let writing = true;
      const writer = async (w: number): Promise<void> => {
        const c = new pg.Client({ connectionString: url });
        c.on('error', () => undefined);
        await c.connect();
        for (let n = 0; writing; n++) {
          try {
            await c.query(`INSERT INTO acks VALUES ($1, $2)`, [w, round * 10_000_000 + n]);
            acknowledged.push([w, round * 10_000_000 + n]);
          } catch {
            return; // the restart ended this connection: what it acknowledged is counted
          }
        }
        await c.end();
      };
      const writers = Array.from({ length: 8 }, (_, w) => writer(w));
      await new Promise((r) => setTimeout(r, 1500));
      await services('restart-pg');
      writing = false;
      await Promise.all(writers);
    }
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    const { rows } = await check.query<{ writer: number; n: number }>(`SELECT writer, n FROM acks`);
    await check.end();
    const present = new Set(rows.map((r) => `${r.writer}/${r.n}`));
    return { acknowledged: acknowledged.length, missing: acknowledged.filter(([w, n]) => !present.has(`${w}/${n}`)).length };
  } finally {
    await services('stop').catch(() => undefined);
    await rm(stateDir, { recursive: true, force: true });
  }
}

describe("scripts/services.sh's PostgreSQL through an immediate restart (real PostgreSQL, restart-pg)", () => {
  it('FASIT_PG_DURABLE=1: every acknowledged commit is there after the restart', async () => {
    const r = await lostThroughRestart(true);
    process.stdout.write(`durable PostgreSQL: ${r.acknowledged} commits acknowledged, ${r.missing} missing after restart-pg\n`);
    expect(r.acknowledged).toBeGreaterThan(100);
    expect(r.missing).toBe(0);
  }, 180_000);

  it('the default (fast: synchronous_commit=off) loses acknowledged commits: why the chaos run needs the durable one', async () => {
    const r = await lostThroughRestart(false);
    process.stdout.write(`fast PostgreSQL: ${r.acknowledged} commits acknowledged, ${r.missing} missing after restart-pg\n`);
    expect(r.acknowledged).toBeGreaterThan(100);
    expect(r.missing).toBeGreaterThan(0);
  }, 180_000);
});
