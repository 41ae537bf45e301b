// GET …/environments/{e}/features/{f}/explain on a real catalog (fresh PostgreSQL database, charts in the real
// local registry). The reconciler's and the dispatcher's rows are written here the way those services write them,
// one situation per environment, and explain must name it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pushChart } from '@fasit/testing';
import { createForeignSchemas, startHarness, unique, type Harness } from './harness.js';

interface Explanation {
  next: { action: string; message: string };
  state: string;
  winner: { id: string; version: string } | null;
  assignments: { id: string; outcome: string; reason: string; conflict: boolean }[];
  kind: { ok: boolean } | null;
  dependencies: { feature: string; rule: string; assigned: boolean; deployed: boolean; status: string | null }[];
  missingDependencies: string[];
  disabled: { reason: string } | null;
  agent: { health: string };
  desired: { hash: string | null };
  lastDeploy: { status: string; sameHash: boolean; error: string | null; log: { msg: string }[] } | null;
  retry: { failures: number; nextAt: string | null; exhausted: boolean };
  /** Drift as the reconciler recorded it: apps/cli/test/explain.int-spec.ts (the reconciler's own migrations) and apps/reconciler/test/drift.int-spec.ts. */
  drift: unknown;
}

let h: Harness;
let tenant: string;
let feature: string;
let chartRef: string;
let dependent: string;
const envIds = new Map<string, string>();

const T = () => `/api/v1/tenants/${tenant}/environments`;
const explain = (env: string, f = feature) => h.api<Explanation>('GET', `${T()}/${env}/features/${f}/explain`);

async function env(name: string, kind = 'tenant'): Promise<string> {
  const r = await h.api<{ id: string }>('POST', T(), { name, kind });
  expect(r.status).toBe(201);
  envIds.set(name, r.body.id);
  return r.body.id;
}
const heartbeat = (envId: string, ageMs = 0) =>
  h.sql.query(
    `INSERT INTO dispatcher.agent_health (environment_id, tenant, environment, agent_version, reported_at) VALUES ($1, $2, 'x', 'test', now() - ($3 || ' milliseconds')::interval)
               ON CONFLICT (environment_id) DO UPDATE SET reported_at = EXCLUDED.reported_at`,
    [envId, tenant, String(ageMs)],
  );
/** A decision as the reconciler appends it; a `deploy` gets the diid its deploy then carries (returned). */
async function decision(envId: string, action: string, message: string, hash: string | null, f = feature): Promise<string> {
  const diid = randomUUID();
  await h.sql.query(
    `INSERT INTO reconciler.decisions (environment_id, feature, feature_version, action, message, hash, diid) VALUES ($1, $2, '1.0.0', $3, $4, $5, $6)`,
    [envId, f, action, message, hash, action === 'deploy' ? diid : null],
  );
  return diid;
}
async function deploy(
  envId: string,
  status: string,
  hash: string,
  options: { diid?: string; error?: string; f?: string; agoMs?: number; lines?: string[] } = {},
): Promise<string> {
  const diid = options.diid ?? randomUUID();
  await h.sql.query(
    `INSERT INTO dispatcher.deploy_statuses (diid, environment_id, feature, assignment_id, feature_version, status, hash, error, created_at) VALUES ($1, $2, $3, gen_random_uuid(), '1.0.0', $4, $5, $6, now() - ($7 || ' milliseconds')::interval)`,
    [diid, envId, options.f ?? feature, status, hash, options.error ?? null, String(options.agoMs ?? 0)],
  );
  for (const [i, msg] of (options.lines ?? []).entries())
    await h.sql.query(`INSERT INTO dispatcher.deploy_log_lines (diid, time, msg, kind) VALUES ($1, now() + ($2 || ' milliseconds')::interval, $3, 'helm')`, [
      diid,
      String(i),
      msg,
    ]);
  return diid;
}

beforeAll(async () => {
  h = await startHarness();
  await createForeignSchemas(h);
  tenant = unique('xp');
  expect((await h.api('POST', '/api/v1/tenants', { name: tenant })).status).toBe(201);
  const chart = await pushChart('demo-feature', { name: unique('xp'), version: '1.0.0' });
  feature = chart.name;
  chartRef = chart.ref;
  const dep = await pushChart('demo-feature', {
    name: unique('xpdep'),
    version: '1.0.0',
    files: {
      'Feature.yaml': `environmentKinds: [tenant]\ndependencies:\n  - allOf: [${unique('missing')}]\nvalues:\n  replicas:\n    config:\n      type: int\n`,
    },
  });
  dependent = dep.name;
  expect((await h.api('POST', '/api/v1/assignments', { chart: chartRef, version: '1.0.0', target: { tenant } })).status).toBe(201);
  expect((await h.api('POST', '/api/v1/assignments', { chart: dep.ref, version: '1.0.0', target: { tenant, deps: 'yes' } })).status).toBe(201);
});

afterAll(async () => {
  await h?.close();
});

describe('explain: why a feature is or is not in an environment, and what happens next', () => {
  it('names the winning assignment and why each other matching one lost', async () => {
    await env('ranked');
    const specific = (await h.api<{ id: string }>('POST', '/api/v1/assignments', { feature, version: '1.0.0', target: { tenant, name: 'ranked' } })).body.id;
    const x = (await explain('ranked')).body;
    expect(x.winner?.id).toBe(specific);
    expect(x.assignments.map((a) => [a.outcome, a.reason])).toEqual([
      ['winner', 'the most specific match (2 target labels)'],
      ['fewer-labels', "less specific: 1 target label against the winner's 2"],
    ]);
    expect(x.next).toEqual({ action: 'undecided', message: 'the reconciler has not decided this pair yet' });
    expect(x.drift).toBeNull();
  });

  it.each([
    {
      situation: 'the agent never reported',
      setup: async (id: string) => decision(id, 'unhealthy', 'naisd has not reported yet', 'h1'),
      expected: { next: { action: 'unhealthy', message: 'naisd has not reported yet' }, agent: { health: 'never-seen' } },
    },
    {
      situation: 'the agent went silent',
      setup: async (id: string) => {
        await heartbeat(id, 600_000);
        await decision(id, 'unhealthy', 'x', 'h1');
      },
      expected: { next: { action: 'unhealthy' }, agent: { health: 'unhealthy' } },
    },
    {
      situation: 'deployed, and the desired state is what was deployed',
      setup: async (id: string) => {
        await heartbeat(id);
        const diid = await decision(id, 'deploy', 'first deploy', 'h1');
        await deploy(id, 'deployed', 'h1', { diid, lines: ['Release "x" has been upgraded.', 'STATUS: deployed'] });
      },
      expected: {
        next: { action: 'unchanged', message: 'desired state is deployed' },
        state: 'DEPLOYED',
        lastDeploy: { status: 'deployed', sameHash: true, log: [{ msg: 'Release "x" has been upgraded.' }, { msg: 'STATUS: deployed' }] },
      },
    },
    {
      situation: 'the desired state changed since the last deploy: the new deploy is on its way',
      setup: async (id: string) => {
        await heartbeat(id);
        await deploy(id, 'deployed', 'h1', { diid: await decision(id, 'deploy', 'first deploy', 'h1'), agoMs: 5000 });
        await decision(id, 'deploy', 'desired state changed', 'h2');
      },
      expected: { next: { action: 'in-progress' }, desired: { hash: 'h2' }, lastDeploy: { status: 'deployed', sameHash: false } },
    },
    {
      situation: 'a deploy is running',
      setup: async (id: string) => {
        await heartbeat(id);
        await deploy(id, 'installing', 'h1', { diid: await decision(id, 'deploy', 'first deploy', 'h1') });
      },
      expected: { next: { action: 'in-progress' }, state: 'PENDING' },
    },
    {
      situation: 'the values do not render',
      setup: async (id: string) => {
        await heartbeat(id);
        await decision(id, 'render-error', 'clusterName: template: tpl:1:3: function "nope" not defined', null);
      },
      expected: { next: { action: 'render-error', message: 'clusterName: template: tpl:1:3: function "nope" not defined' }, state: 'FAILED' },
    },
    {
      situation: 'a deploy failed once: the next retry is due after the base delay',
      setup: async (id: string) => {
        await heartbeat(id);
        await deploy(id, 'failed', 'h1', { diid: await decision(id, 'deploy', 'first deploy', 'h1'), error: 'helm: timed out waiting for the condition' });
      },
      expected: {
        next: { action: 'unchanged' },
        state: 'FAILED',
        retry: { failures: 1, exhausted: false },
        lastDeploy: { status: 'failed', error: 'helm: timed out waiting for the condition' },
      },
    },
    {
      situation: 'every retry failed',
      setup: async (id: string) => {
        await heartbeat(id);
        for (const ago of [4000, 3000, 2000]) await deploy(id, 'failed', 'h1', { error: 'boom', agoMs: ago });
        await deploy(id, 'failed', 'h1', { diid: await decision(id, 'deploy', 'retry 3 of 3 after a failed deploy', 'h1'), error: 'boom', agoMs: 1000 });
      },
      expected: {
        next: { action: 'retry-exhausted', message: 'failed 4 times with this desired state; change it or request a redeploy' },
        retry: { failures: 4, nextAt: null, exhausted: true },
      },
    },
  ])('$situation', async ({ setup, expected }) => {
    const name = unique('e').slice(0, 20);
    const id = await env(name);
    await setup(id);
    const x = (await explain(name)).body;
    expect(x).toMatchObject(expected);
  });

  it('names the time of the next retry: base delay × 2^(n-1) after the last failure', async () => {
    const id = await env('retrying');
    await heartbeat(id);
    await deploy(id, 'failed', 'h1', { agoMs: 2000 });
    await deploy(id, 'failed', 'h1', { diid: await decision(id, 'deploy', 'retry 1 of 3 after a failed deploy', 'h1') });
    const x = (await explain('retrying')).body;
    const [{ created_at }] = (
      await h.sql.query<{ created_at: Date }>(`SELECT created_at FROM dispatcher.deploy_statuses WHERE environment_id = $1 ORDER BY id DESC LIMIT 1`, [id])
    ).rows as [{ created_at: Date }];
    expect(x.retry).toEqual({ failures: 2, maxAttempts: 3, nextAt: new Date(created_at.getTime() + 2 * 60_000).toISOString(), exhausted: false });
    expect(x.next.message).toBe(`deploy failed; retry 2 of 3 at ${x.retry.nextAt}`);
  });

  it('a feature of another kind: the kind check fails', async () => {
    const id = await env('onprem-1', 'onprem');
    await heartbeat(id);
    await decision(id, 'kind-mismatch', 'x', null);
    const x = (await explain('onprem-1')).body;
    expect(x.kind).toEqual({ environment: 'onprem', feature: ['management', 'tenant'], ok: false });
    expect(x.next).toEqual({ action: 'kind-mismatch', message: 'the feature runs in management, tenant environments, not onprem' });
  });

  it('disabled with a reason', async () => {
    const id = await env('disabled-1');
    await heartbeat(id);
    await decision(id, 'unchanged', 'desired state is deployed', 'h1');
    expect((await h.api('POST', `${T()}/disabled-1/features/${feature}/disable`, { reason: 'INC-7 freeze' })).status).toBe(200);
    const x = (await explain('disabled-1')).body;
    expect(x).toMatchObject({
      next: { action: 'disabled', message: 'the feature is disabled in this environment' },
      disabled: { reason: 'INC-7 freeze' },
      state: 'DISABLED',
    });
  });

  it('waiting for a dependency: names it, its state here, and goes ahead once it is deployed', async () => {
    const r = await h.api<{ id: string }>('POST', T(), { name: 'with-deps', kind: 'tenant', labels: { deps: 'yes' } });
    const id = r.body.id;
    await heartbeat(id);
    await decision(id, 'missing-deps', 'x', 'h1', dependent);
    const x = (await explain('with-deps', dependent)).body;
    const missing = x.dependencies[0]!.feature;
    expect(x.dependencies).toEqual([{ feature: missing, rule: 'allOf', assigned: false, status: null, version: null, deployed: false }]);
    expect(x.missingDependencies).toEqual([missing]);
    expect(x.next).toEqual({ action: 'missing-deps', message: `missing dependencies: ${missing}` });
    await deploy(id, 'deployed', 'other', { f: missing });
    const after = (await explain('with-deps', dependent)).body;
    expect(after.dependencies[0]).toMatchObject({ status: 'deployed', deployed: true });
    expect(after.next.action).toBe('deploy');
  });

  it('no assignment reaches the environment', async () => {
    const other = unique('xpo');
    await h.api('POST', '/api/v1/tenants', { name: other });
    await h.api('POST', `/api/v1/tenants/${other}/environments`, { name: 'lonely', kind: 'tenant' });
    const x = (await h.api<Explanation>('GET', `/api/v1/tenants/${other}/environments/lonely/features/${feature}/explain`)).body;
    expect(x).toMatchObject({
      winner: null,
      assignments: [],
      next: { action: 'no-assignment', message: 'no active assignment of the feature targets this environment' },
    });
  });

  it('an unknown feature or environment is a 404 naming it', async () => {
    await env('known');
    expect((await explain('known', 'no-such-feature')).body).toMatchObject({ code: 'NOT_FOUND', message: 'feature "no-such-feature" not found' });
    const r = await h.api('GET', `${T()}/no-such-env/features/${feature}/explain`);
    expect(r.status).toBe(404);
  });
});
