// The API the web console needs besides explain, on a real catalog (fresh PostgreSQL database, charts in the
// real local registry): the template tester, the function reference, live streams (server-sent events) of a
// deploy's log and an assignment's status, the reconciler's dry run, and the assignment status the console polls
// (kept per version, `common/answer-cache.ts`) as a second catalog-api instance answers it while the reconciler's
// and the dispatcher's rows arrive.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pushChart } from '@fasit/testing';
import pg from 'pg';
import { createForeignSchemas, startHarness, unique, type Harness } from './harness.js';

let h: Harness;
let tenant: string;
let feature: string;
let assignmentId: string;
const ids = new Map<string, string>();

interface Event {
  event: string;
  data: Record<string, unknown>;
}

/** Reads server-sent events from `path` until `done` says so (or 120 s pass: a render worker starts slowly on a busy machine); the stream is then closed. */
async function readEvents(
  path: string,
  done: (events: Event[]) => boolean,
  during?: (events: Event[]) => Promise<void>,
): Promise<{ events: Event[]; ended: boolean; type: string | null }> {
  const abort = new AbortController();
  const res = await fetch(`${h.catalog.url}${path}`, { signal: abort.signal });
  const events: Event[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const timer = setTimeout(() => abort.abort(), 120_000);
  let buffer = '';
  let ended = false;
  let acting: Promise<void> | undefined;
  try {
    for (;;) {
      const { value, done: finished } = await reader.read();
      if (finished) {
        ended = true;
        break;
      }
      buffer += value;
      for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
        const frame = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        const event = /^event: (.*)$/m.exec(frame)?.[1] ?? 'message';
        const data = JSON.parse(/^data: (.*)$/m.exec(frame)?.[1] ?? 'null') as Record<string, unknown>;
        events.push({ event, data });
      }
      if (during && !acting && events.length > 0) acting = during(events);
      if (done(events)) break;
    }
  } catch (e) {
    if (!abort.signal.aborted) throw e;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  await acting;
  return { events, ended, type: res.headers.get('content-type') };
}

beforeAll(async () => {
  h = await startHarness();
  await createForeignSchemas(h);
  tenant = unique('con');
  await h.api('POST', '/api/v1/tenants', { name: tenant });
  for (const [name, kind] of [
    ['mgmt', 'management'],
    ['dev', 'tenant'],
    ['lab', 'onprem'],
  ] as const) {
    ids.set(name, (await h.api<{ id: string }>('POST', `/api/v1/tenants/${tenant}/environments`, { name, kind, labels: { zone: 'west' } })).body.id);
    await h.api('PUT', `/api/v1/tenants/${tenant}/environments/${name}/values/project_id`, { value: `p-${name}` });
  }
  await h.api('PUT', `/api/v1/tenants/${tenant}/environments/dev/values/db_password`, { value: 'hunter2', secret: true });
  const chart = await pushChart('demo-feature', { name: unique('con'), version: '1.0.0' });
  feature = chart.name;
  assignmentId = (await h.api<{ id: string }>('POST', '/api/v1/assignments', { chart: chart.ref, version: '1.0.0', target: { tenant } })).body.id;
  await h.api('PUT', `/api/v1/tenants/${tenant}/environments/dev/features/${feature}/config/replicas`, { value: 3 });
  await h.api('PUT', `/api/v1/features/${feature}/config/auth.token`, { value: 'top-secret-token' });
});

afterAll(async () => {
  await h?.close();
});

describe('the template tester', () => {
  const test = (body: Record<string, unknown>) => h.api<Record<string, unknown>>('POST', '/api/v1/templates/test', { tenant, environment: 'dev', ...body });

  it("renders with the environment's data and the tenant's environments, and says what it read", async () => {
    const r = await test({ template: '{{ .Env.project_id }} in {{ .Tenant.Name }}: {{ eachOf .Envs "name" | join "," }}' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      ok: true,
      output: `p-dev in ${tenant}: dev,lab`,
      yamlError: null,
      references: { fields: ['.Env.project_id', '.Envs', '.Tenant.Name'] },
    });
    expect((r.body['data'] as { envKeys: string[] }).envKeys).toEqual(['db_password', 'kind', 'labels', 'name', 'project_id']);
  });

  it('shows secrets masked, never their value', async () => {
    const r = await test({ template: 'pw={{ .Env.db_password }} token={{ .Configs.auth.token }}', feature });
    expect(r.body).toMatchObject({ ok: true, output: 'pw=***** token=*****' });
    expect(JSON.stringify(r.body)).not.toContain('hunter2');
    expect(JSON.stringify(r.body)).not.toContain('top-secret-token');
  });

  it(".Configs is the feature's configuration in the environment, and the value is parsed as a computed value is", async () => {
    const r = await test({ template: '{{ .Configs.replicas }}', feature });
    expect(r.body).toMatchObject({
      ok: true,
      output: '3',
      value: 3,
      data: { featureVersion: '1.0.0', configKeys: ['auth.token', 'image.tag', 'logLevel', 'replicas'] },
    });
  });

  it.each([
    { template: 'line one\n{{ if }}', expected: { ok: false, stage: 'parse', line: 2, message: 'template: tpl:2: missing value for if' } },
    {
      template: '{{ .Env.name | nosuchfunction }}',
      expected: { ok: false, stage: 'parse', line: 1, message: 'template: tpl:1: function "nosuchfunction" not defined' },
    },
    { template: 'x\n  {{ index .Env.labels 3 }}', expected: { ok: false, stage: 'execute', line: 2, column: 5 } },
  ])('positions the error of $template', async ({ template, expected }) => {
    const r = await test({ template });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject(expected);
  });

  it('stops a template that would run forever', async () => {
    const r = await test({ template: '{{ range $i := until 100000000 }}{{ $i }}{{ end }}' });
    expect(r.body).toMatchObject({ ok: false, stage: 'execute' });
    // whichever limit acts first on this machine: the time limit, or `until`'s item limit (10 million)
    expect(String(r.body['message'])).toMatch(/limit|longer than|exceed|untilStep: too many items/);
  });

  it('refuses bad input naming the field, and an unknown environment', async () => {
    expect((await h.api('POST', '/api/v1/templates/test', { tenant, environment: 'dev' })).body).toMatchObject({ code: 'INVALID_INPUT', field: 'template' });
    expect((await test({ template: 'x', extra: 1 })).body).toMatchObject({ code: 'INVALID_INPUT' });
    expect((await h.api('POST', '/api/v1/templates/test', { tenant, environment: 'nope', template: 'x' })).status).toBe(404);
    expect((await test({ template: 'x', feature: 'no-such-feature' })).body).toMatchObject({
      code: 'NOT_FOUND',
      message: 'feature "no-such-feature" not found',
    });
  });

  it('lists every template function with its signature and an example', async () => {
    const r = await h.api<{ name: string; signature: string; example: string; output: string }[]>('GET', '/api/v1/templates/functions');
    expect(r.body.find((f) => f.name === 'trunc')).toMatchObject({ signature: 'trunc(c int, s string) string' });
    expect(r.body.some((f) => f.name === 'environmentsAsMap')).toBe(true);
  });
});

describe('live streams', () => {
  it("streams a deploy's helm log as the lines arrive, its status, and ends when it settles", async () => {
    const envId = ids.get('dev')!;
    const diid = randomUUID();
    const insert = (status: string) =>
      h.sql.query(
        `INSERT INTO dispatcher.deploy_statuses (diid, environment_id, feature, assignment_id, feature_version, status, hash) VALUES ($1, $2, $3, gen_random_uuid(), '1.0.0', $4, 'h')`,
        [diid, envId, feature, status],
      );
    const line = (msg: string) =>
      h.sql.query(`INSERT INTO dispatcher.deploy_log_lines (diid, time, msg, kind) VALUES ($1, clock_timestamp(), $2, 'helm')`, [diid, msg]);
    await insert('sent');
    await insert('installing');
    await line('Pulled: chart');
    const r = await readEvents(
      `/api/v1/tenants/${tenant}/environments/dev/features/${feature}/deploys/${diid}/log`,
      (events) => events.some((e) => e.event === 'end'),
      async () => {
        await new Promise((res) => setTimeout(res, 700));
        await line('Release "x" has been upgraded.');
        await line('STATUS: deployed');
        await insert('deployed');
      },
    );
    expect(r.type).toBe('text/event-stream; charset=utf-8');
    expect(r.events.filter((e) => e.event === 'line').map((e) => e.data['msg'])).toEqual([
      'Pulled: chart',
      'Release "x" has been upgraded.',
      'STATUS: deployed',
    ]);
    expect(r.events.filter((e) => e.event === 'status').map((e) => e.data['status'])).toEqual(['installing', 'deployed']);
    expect(r.events.at(-1)).toEqual({ event: 'end', data: { status: 'deployed', error: null } });
  });

  it('a deploy of another environment or feature is a 404, not a stream', async () => {
    const r = await h.api('GET', `/api/v1/tenants/${tenant}/environments/dev/features/${feature}/deploys/${randomUUID()}/log`);
    expect(r.status).toBe(404);
  });

  it("streams an assignment's status now and when it changes", async () => {
    const r = await readEvents(
      `/api/v1/assignments/${assignmentId}/status/stream`,
      (events) => events.length >= 2,
      async () => {
        await h.sql.query(
          `INSERT INTO reconciler.decisions (environment_id, feature, assignment_id, feature_version, action, message, hash) VALUES ($1, $2, $3, '1.0.0', 'render-error', 'boom', NULL)`,
          [ids.get('dev'), feature, assignmentId],
        );
      },
    );
    const [first, second] = r.events as [Event, Event];
    expect(first.event).toBe('status');
    expect(first.data).toMatchObject({ id: assignmentId, feature, version: '1.0.0' });
    expect(second.data).toMatchObject({ state: 'FAILED' });
    expect((second.data['environments'] as { environment: string; message: string }[]).find((e) => e.environment === 'dev')?.message).toBe('boom');
  });
});

describe('the reconciler dry run', () => {
  it('decides every pair with the reconciler rules, writes nothing, and sums up', async () => {
    await h.sql.query(
      `INSERT INTO dispatcher.agent_health (environment_id, tenant, environment, agent_version, reported_at) VALUES ($1, $2, 'mgmt', 't', now())`,
      [ids.get('mgmt'), tenant],
    );
    const before = (await h.sql.query(`SELECT count(*)::int AS n FROM reconciler.decisions`)).rows[0] as { n: number };
    const r = await readEvents('/api/v1/reconciler/dry-run', (events) => events.some((e) => e.event === 'summary'));
    const decisions = r.events
      .filter((e) => e.event === 'decision')
      .map((e) => e.data)
      .filter((d) => d['tenant'] === tenant);
    expect(decisions.map((d) => [d['environment'], d['action']]).sort()).toEqual([
      ['dev', 'unhealthy'],
      ['lab', 'kind-mismatch'],
      // the management environment's agent is there; the secret token is configured: it would deploy
      ['mgmt', 'deploy'],
    ]);
    expect(decisions.find((d) => d['environment'] === 'dev')).toMatchObject({ feature, version: '1.0.0', message: 'naisd has not reported yet' });
    const summary = r.events.find((e) => e.event === 'summary')!.data;
    expect(summary).toMatchObject({ pairs: 3, byAction: { unhealthy: 1, 'kind-mismatch': 1, deploy: 1 } });
    expect((await h.sql.query(`SELECT count(*)::int AS n FROM reconciler.decisions`)).rows[0]).toEqual(before);
  });
});

describe('the assignment status across replicas', () => {
  // A second catalog-api instance on the same database, its own cache; the rows written as the reconciler and the
  // dispatcher write them, into their real tables.
  let h2: Harness;
  beforeAll(async () => {
    h2 = await startHarness({}, { db: h.db });
  });
  afterAll(async () => {
    await h2?.close();
  });

  const get = async (on: Harness, ifNoneMatch?: string) => {
    const res = await fetch(`${on.catalog.url}/api/v1/assignments/${assignmentId}/status`, { headers: ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {} });
    const text = await res.text();
    return { status: res.status, etag: res.headers.get('etag'), text };
  };
  const environment = (text: string, name: string) =>
    (JSON.parse(text) as { environments: { environment: string; state: string; message: string }[] }).environments.find((e) => e.environment === name);
  const decide = (c: Pick<pg.Pool, 'query'>, env: string, message: string) =>
    c.query(
      `INSERT INTO reconciler.decisions (environment_id, feature, assignment_id, feature_version, action, message, hash) VALUES ($1, $2, $3, '1.0.0', 'render-error', $4, NULL)`,
      [ids.get(env), feature, assignmentId, message],
    );
  const deploy = (c: Pick<pg.Pool, 'query'>, env: string, status: string) =>
    c.query(
      `INSERT INTO dispatcher.deploy_statuses (diid, environment_id, feature, assignment_id, feature_version, status, hash, created_at) VALUES (gen_random_uuid(), $1, $2, $3, '1.0.0', $4, 'h', clock_timestamp() + interval '1 hour')`,
      [ids.get(env), feature, assignmentId, status],
    );

  it("a decision and a deploy status written after one instance's answer show in the other's next answer, under a new ETag", async () => {
    const first = await get(h);
    expect(first.status).toBe(200);
    expect(await get(h2)).toEqual(first);
    expect((await get(h2, first.etag!)).status).toBe(304);
    await decide(h.sql, 'dev', 'a new decision');
    const decided = await get(h2, first.etag!);
    expect(decided.status).toBe(200);
    expect(decided.etag).not.toBe(first.etag);
    expect(environment(decided.text, 'dev')).toMatchObject({ state: 'FAILED', message: 'a new decision' });
    await deploy(h.sql, 'dev', 'installing');
    const installing = await get(h2, decided.etag!);
    expect(installing.status).toBe(200);
    expect(installing.etag).not.toBe(decided.etag);
    expect(environment(installing.text, 'dev')).toMatchObject({ state: 'PENDING', message: 'the agent is installing' });
    expect(await get(h)).toEqual(installing);
  });

  it('a row committed after one with a higher id, in another environment, still changes the answer (ids are not commit order)', async () => {
    for (const [write, check] of [
      [(c: Pick<pg.Pool, 'query'>, env: string) => decide(c, env, `late in ${env}`), (text: string) => environment(text, 'mgmt')?.message === 'late in mgmt'],
      [(c: Pick<pg.Pool, 'query'>, env: string) => deploy(c, env, 'deployed'), (text: string) => environment(text, 'mgmt')?.state === 'DEPLOYED'],
    ] as const) {
      const late = await h.sql.connect();
      try {
        await late.query('BEGIN');
        await write(late, 'mgmt'); // takes the lower id, commits last
        await write(h.sql, 'dev');
        const before = await get(h2);
        expect(check(before.text)).toBe(false);
        await late.query('COMMIT');
        const after = await get(h2, before.etag!);
        expect(after.status).toBe(200);
        expect(after.etag).not.toBe(before.etag);
        expect(check(after.text)).toBe(true);
      } finally {
        late.release();
      }
    }
  });
});
