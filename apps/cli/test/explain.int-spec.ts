// `fasit explain` against a real catalog API (its own PostgreSQL database, the demo chart in the local OCI
// registry). The reconciler's and dispatcher's schemas are created by their own migrations, and their rows are
// written the way those services write them: one situation per environment.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startCatalog, loadCatalogConfig, type RunningCatalog } from '@fasit/catalog-api';
import { EventBus, InProcessBus } from '@fasit/bus';
import { initializeAndMigrate } from '@fasit/db';
import { dispatcherService, dispatcherSpec } from '@fasit/dispatcher';
import { reconcilerService, reconcilerSpec } from '@fasit/reconciler';
import { readConfig } from '@fasit/config';
import { createTestDatabase, pushChart, type TestDatabase } from '@fasit/testing';
import { runCli } from '../src/cli.js';
import { EXIT_API_ERROR, explainCommand } from '../src/commands/explain.command.js';

const CLI_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = randomBytes(3).toString('hex');
const tenant = `cli-${run}`;
let db: TestDatabase;
let catalog: RunningCatalog;
let sql: pg.Pool;
let feature: string;
let assignmentId: string;
const envIds = new Map<string, string>();

async function fasit(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['explain', ...args], [explainCommand], { cwd: process.cwd(), stdout: (l) => out.push(l), stderr: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${catalog.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};
/** What the reconciler appends for a decision, and what the dispatcher appends for each status of its deploy. */
const decide = async (env: string, action: string, message: string, hash: string, diid: string | null) =>
  sql.query(
    `INSERT INTO reconciler.decisions (environment_id, feature, assignment_id, feature_version, action, message, hash, diid) VALUES ($1, $2, $3, '0.1.0', $4, $5, $6, $7)`,
    [envIds.get(env), feature, assignmentId, action, message, hash, diid],
  );
const deployed = async (env: string, diid: string, status: 'deployed' | 'failed', hash: string, error: string | null, lines: string[]) => {
  for (const s of ['sent', 'installing', status]) {
    await sql.query(
      `INSERT INTO dispatcher.deploy_statuses (diid, environment_id, feature, assignment_id, feature_version, status, hash, error) VALUES ($1, $2, $3, $4, '0.1.0', $5, $6, $7)`,
      [diid, envIds.get(env), feature, assignmentId, s, hash, s === status ? error : null],
    );
  }
  for (const [i, msg] of lines.entries())
    await sql.query(`INSERT INTO dispatcher.deploy_log_lines (diid, time, msg, kind) VALUES ($1, now() + ($2 || ' milliseconds')::interval, $3, 'helm')`, [
      diid,
      String(i),
      msg,
    ]);
};
const heartbeat = (env: string) =>
  sql.query(`INSERT INTO dispatcher.agent_health (environment_id, tenant, environment, agent_version, reported_at) VALUES ($1, $2, $3, '1.2.3', now())`, [
    envIds.get(env),
    tenant,
    env,
  ]);

beforeAll(async () => {
  db = await createTestDatabase('cli');
  const env = { DATABASE_URL: db.url, FASIT_HTTP_PORT: '0', FASIT_BUS: 'memory', LOG_LEVEL: 'warn' };
  // The schemas explain reads, made by the services' own migrations.
  for (const ds of [
    reconcilerService(readConfig(reconcilerSpec, env)).dataSource(db.url, 2),
    dispatcherService(readConfig(dispatcherSpec, env)).dataSource(db.url, 2),
  ]) {
    await initializeAndMigrate(ds);
    await ds.destroy();
  }
  catalog = await startCatalog(loadCatalogConfig({ ...env, FASIT_GRPC_PORT: '-1' }), { bus: new EventBus(new InProcessBus(), { maxDeliveries: 1 }) });
  sql = new pg.Pool({ connectionString: db.url, max: 2 });
  sql.on('error', () => undefined);
  const chart = await pushChart('demo-feature', { name: `cli-demo-${run}`, version: '0.1.0' });
  feature = chart.name;
  await api('POST', '/api/v1/tenants', { name: tenant });
  for (const [name, labels] of [
    ['dev', { ring: 'one' }],
    ['prod', { ring: 'one' }],
    ['lab', {}],
  ] as const) {
    envIds.set(name, (await api<{ id: string }>('POST', `/api/v1/tenants/${tenant}/environments`, { name, kind: 'tenant', labels })).id);
  }
  assignmentId = (await api<{ id: string }>('POST', '/api/v1/assignments', { chart: chart.ref, version: '0.1.0', target: { tenant, ring: 'one' } })).id;
  await heartbeat('dev');
  const devDiid = randomUUID();
  await decide('dev', 'deploy', 'the desired state changed', 'hash-dev-1', devDiid);
  await deployed('dev', devDiid, 'deployed', 'hash-dev-1', null, ['Release "x" has been upgraded. Happy Helming!']);
  await heartbeat('prod');
  const prodDiid = randomUUID();
  await decide('prod', 'deploy', 'the desired state changed', 'hash-prod-1', prodDiid);
  await deployed('prod', prodDiid, 'failed', 'hash-prod-1', 'UPGRADE FAILED: timed out waiting for the condition', [
    'helm: waiting for deployment',
    'Error: UPGRADE FAILED: timed out',
  ]);
}, 120_000);

afterAll(async () => {
  await sql?.end();
  await catalog?.close();
  await db?.drop();
});

describe('fasit explain <tenant>/<env> <feature> (a real catalog API)', () => {
  it('a deployed feature: the winner, the agent, the last deploy being the desired state; exit 0', async () => {
    const r = await fasit([`${tenant}/dev`, feature, '--api', catalog.url]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${tenant}/dev ${feature}: DEPLOYED — `));
    expect(lines[1]).toMatch(/^next: unchanged — /);
    expect(r.out).toMatch(
      new RegExp(`winner 0\\.1\\.0 [0-9a-f-]{36} \\(target ring=one,tenant=${tenant}|winner 0\\.1\\.0 [0-9a-f-]{36} \\(target tenant=${tenant},ring=one`),
    );
    expect(r.out).toContain('kind: environment tenant, feature for management, tenant — ok');
    expect(r.out).toContain('disabled: no');
    expect(r.out).toMatch(/agent: healthy \(last report .*, naisd 1\.2\.3; silent for over 180s is unhealthy\)/);
    expect(r.out).toMatch(/last deploy: deployed 0\.1\.0 hash hash-dev-1 at .* — the desired state/);
    expect(r.out).toContain('Release "x" has been upgraded. Happy Helming!');
    expect(r.out).toContain('retries: 0 failed of at most 3');
    expect(r.out.split('\n').at(-1)).toBe('drift: none seen (or the agent has no real inventory)');
  });

  it("drift the reconciler recorded: its kind, what differs, since when, the policy and the corrections made; next applies the environment's policy", async () => {
    await sql.query(
      `INSERT INTO reconciler.drift (environment_id, feature, kind, message, policy, hash, since, checked_at, corrections, last_correction_at)
       VALUES ($1, $2, 'version', 'the cluster runs version 0.0.9; Fasit deployed 0.1.0', 'correct', 'hash-dev-1', '2026-12-07T10:00:00Z', now(), 1, now())`,
      [envIds.get('dev'), feature],
    );
    try {
      const r = await fasit([`${tenant}/dev`, feature, '--api', catalog.url]);
      expect(r.out.split('\n').at(-1)).toBe(
        'drift: version — the cluster runs version 0.0.9; Fasit deployed 0.1.0 (since 2026-12-07T10:00:00.000Z; policy correct, corrected 1 time(s))',
      );
      const json = await fasit([`${tenant}/dev`, feature, '--api', catalog.url, '--json']);
      const answer = JSON.parse(json.out) as { drift: unknown; next: unknown };
      expect(answer.drift).toEqual({
        kind: 'version',
        message: 'the cluster runs version 0.0.9; Fasit deployed 0.1.0',
        policy: 'correct',
        since: '2026-12-07T10:00:00.000Z',
        checkedAt: expect.any(String),
        corrections: 1,
        lastCorrectionAt: expect.any(String),
      });
      // `next` applies the environment's policy now (dev: report) to it, as the reconciler will: nothing to redeploy.
      expect(answer.next).toEqual({ action: 'unchanged', message: 'desired state is deployed' });
      const next = async (): Promise<unknown> =>
        (JSON.parse((await fasit([`${tenant}/dev`, feature, '--api', catalog.url, '--json'])).out) as { next: unknown }).next;
      await api('PATCH', `/api/v1/tenants/${tenant}/environments/dev`, { driftPolicy: 'correct' });
      // under correct: corrected once just now, so the next correction waits the retry backoff (60 s by default)
      expect(await next()).toEqual({
        action: 'unchanged',
        message: expect.stringMatching(/^drift \(version\): the cluster runs version 0\.0\.9; Fasit deployed 0\.1\.0; correction 2 of 3 at \d{4}-/),
      });
      await sql.query(`UPDATE reconciler.drift SET corrections = 0, last_correction_at = NULL WHERE environment_id = $1`, [envIds.get('dev')]);
      expect(await next()).toEqual({ action: 'deploy', message: 'correcting drift (version): the cluster runs version 0.0.9; Fasit deployed 0.1.0' });
      await sql.query(`UPDATE reconciler.drift SET corrections = 3 WHERE environment_id = $1`, [envIds.get('dev')]);
      expect(await next()).toEqual({
        action: 'retry-exhausted',
        message:
          'drift (version): the cluster runs version 0.0.9; Fasit deployed 0.1.0; still there after 3 corrections: change the desired state or request a redeploy',
      });
    } finally {
      await sql.query(`DELETE FROM reconciler.drift WHERE environment_id = $1`, [envIds.get('dev')]);
      await api('PATCH', `/api/v1/tenants/${tenant}/environments/dev`, { driftPolicy: 'report' });
    }
  });

  it("a failed deploy: helm's error, its log and the next retry; exit 1", async () => {
    const r = await fasit([`${tenant}/prod`, feature], { FASIT_API: catalog.url });
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[0]).toMatch(new RegExp(`^${tenant}/prod ${feature}: FAILED — `));
    expect(r.out).toContain('  error: UPGRADE FAILED: timed out waiting for the condition');
    expect(r.out).toContain('Error: UPGRADE FAILED: timed out');
    expect(r.out).toMatch(/retries: 1 failed of at most 3; next at \d{4}-\d\d-\d\dT/);
  });

  it('no assignment targets the environment: says so, exit 1', async () => {
    const r = await fasit([`${tenant}/lab`, feature, `--api=${catalog.url}`]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('next: no-assignment — no active assignment of the feature targets this environment');
    expect(r.out).toContain('assignments: none targets this environment');
    expect(r.out).toContain('agent: never seen');
    expect(r.out).toContain('last deploy: none');
  });

  it('--json prints the API answer as it came', async () => {
    const r = await fasit([`${tenant}/dev`, feature, '--json', '--api', catalog.url]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(await api('GET', `/api/v1/tenants/${tenant}/environments/dev/features/${feature}/explain`));
  });

  it("the API's refusal is printed with its code and message; exit 3", async () => {
    const r = await fasit([`${tenant}/nowhere`, feature, '--api', catalog.url]);
    expect(r.code).toBe(EXIT_API_ERROR);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^fasit explain: the API answered 404 NOT_FOUND: .*nowhere/);
    const unknown = await fasit([`${tenant}/dev`, 'no-such-feature', '--api', catalog.url]);
    expect(unknown.code).toBe(EXIT_API_ERROR);
    expect(unknown.err).toBe('fasit explain: the API answered 404 NOT_FOUND: feature "no-such-feature" not found');
  });

  it('wrong command lines are refused before anything is asked; exit 2', async () => {
    expect(await fasit([`${tenant}/dev`])).toMatchObject({ code: 2, err: expect.stringContaining('needs <tenant>/<environment> and <feature>') });
    expect(await fasit([tenant, feature, '--api', catalog.url])).toMatchObject({
      code: 2,
      err: expect.stringContaining(`"${tenant}" is not <tenant>/<environment>`),
    });
    expect(await fasit(['a/b/c', feature, '--api', catalog.url])).toMatchObject({
      code: 2,
      err: expect.stringContaining('"a/b/c" is not <tenant>/<environment>'),
    });
    expect(await fasit([`${tenant}/dev`, '../x', '--api', catalog.url])).toMatchObject({
      code: 2,
      err: expect.stringContaining('"../x" is not a feature name'),
    });
    expect(await fasit([`${tenant}/dev`, feature])).toMatchObject({ code: 2, err: expect.stringContaining('no API: give --api URL or set FASIT_API') });
    expect(await fasit([`${tenant}/dev`, feature, '--api', 'file:///etc/passwd'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--api: "file:///etc/passwd" is not an http(s) URL'),
    });
    expect(await fasit([`${tenant}/dev`, feature, '--bogus'])).toMatchObject({ code: 2, err: expect.stringContaining('unknown option --bogus') });
  });
});

describe('fasit explain and what answers it', () => {
  it('sends the token as a bearer token (--token over FASIT_TOKEN) and reports a hostile answer without trusting it', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const answers = [
      { status: 401, body: JSON.stringify({ code: 'UNAUTHENTICATED', message: 'a bearer token is required' }) },
      { status: 200, body: '<html>not json</html>' },
    ];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      const a = answers[Math.min(seen.length - 1, answers.length - 1)]!;
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const refused = await fasit(['t/e', 'f', '--token', 'from-flag'], { FASIT_API: url, FASIT_TOKEN: 'from-env' });
      expect(refused).toMatchObject({ code: EXIT_API_ERROR, err: 'fasit explain: the API answered 401 UNAUTHENTICATED: a bearer token is required' });
      expect(seen[0]?.authorization).toBe('Bearer from-flag');
      const garbage = await fasit(['t/e', 'f'], { FASIT_API: url, FASIT_TOKEN: 'from-env' });
      expect(garbage).toMatchObject({
        code: EXIT_API_ERROR,
        err: expect.stringContaining('answered 200 with something that is not JSON: <html>not json</html>'),
      });
      expect(seen[1]?.authorization).toBe('Bearer from-env');
    } finally {
      await new Promise((r) => server.close(r));
    }
    // A port nothing listens on (taken, then let go before anyone connected).
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const nobody = `http://127.0.0.1:${(closed.address() as { port: number }).port}`;
    await new Promise((r) => closed.close(r));
    const down = await fasit(['t/e', 'f', '--api', nobody]);
    expect(down.code).toBe(EXIT_API_ERROR);
    expect(down.err).toMatch(new RegExp(`^fasit explain: ${nobody} did not answer: .*ECONNREFUSED`));
  });

  it('the fasit bin, as a process, exits 0 for a deployed feature and 1 for one that is not', async () => {
    const exit = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['bin/fasit.js', 'explain', ...args], {
          cwd: CLI_DIR,
          env: { ...process.env, NODE_OPTIONS: '', FASIT_API: catalog.url },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', (code) => resolve({ code, out }));
      });
    const [dev, lab] = await Promise.all([exit([`${tenant}/dev`, feature]), exit([`${tenant}/lab`, feature])]);
    expect(dev).toMatchObject({ code: 0, out: expect.stringContaining(': DEPLOYED — ') });
    expect(lab).toMatchObject({ code: 1, out: expect.stringContaining(': UNKNOWN — ') });
  }, 120_000);
});
