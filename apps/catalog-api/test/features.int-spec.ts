// Features and versions (stored and in the registry), assignment listing and preview, and the GitHub-compatible
// endpoints, in local development mode.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chartFixturePath, pushChart, type PushedChart } from '@fasit/testing';
import { createForeignSchemas, startHarness, unique, type Harness, type Obj, type Rows } from './harness.js';

let h: Harness;
let chart: PushedChart;
const tenant = unique('feat');

beforeAll(async () => {
  h = await startHarness();
  chart = await pushChart('demo-feature', { name: unique('demo'), version: '1.0.0' });
  const featureYaml = await readFile(join(chartFixturePath('demo-feature'), 'Feature.yaml'), 'utf8');
  const extra = `  greeting:\n    computed:\n      template: '"hello {{ .Env.name }}"'\n`;
  await pushChart('demo-feature', { name: chart.name, version: '1.1.0', files: { 'Feature.yaml': featureYaml.replace('values:\n', `values:\n${extra}`) } });
  await h.api('POST', '/api/v1/tenants', { name: tenant });
  for (const [name, kind, labels] of [
    ['dev', 'tenant', { stage: 'dev' }],
    ['prod', 'tenant', { stage: 'prod' }],
    ['mgmt', 'management', {}],
    ['site', 'onprem', { stage: 'dev' }],
  ] as const) {
    await h.api('POST', `/api/v1/tenants/${tenant}/environments`, { name, kind, labels });
  }
});

afterAll(async () => {
  await h?.close();
});

describe('features', () => {
  let first: string;

  it('ingests a version through an assignment and lists it', async () => {
    const a = await h.api<{ id: string }>('POST', '/api/v1/assignments', { chart: chart.ref, version: '1.0.0', target: { tenant } });
    expect(a.status).toBe(201);
    first = a.body.id;
    const list = await h.api<Rows>('GET', '/api/v1/features');
    expect(list.body.find((f) => f['name'] === chart.name)).toMatchObject({ latestVersion: '1.0.0', versions: 1, activeAssignments: 1, chart: chart.ref });
  });

  it('describes a feature with its config keys, types, secrecy and chart defaults', async () => {
    const f = await h.api<Obj & { configKeys: Rows }>('GET', `/api/v1/features/${chart.name}`);
    expect(f.body).toMatchObject({ name: chart.name, kinds: ['management', 'tenant'], computedKeys: ['allClusters', 'clusterName', 'logLevel'] });
    expect(f.body.configKeys.map((k) => [k['key'], k['type'], k['secret'], k['default']])).toEqual([
      ['auth.token', 'string', true, ''],
      ['image.tag', 'string', false, '1.0.0'],
      ['logLevel', 'string', false, 'info'],
      ['replicas', 'int', false, 1],
    ]);
    expect((await h.api('GET', '/api/v1/features/nope')).status).toBe(404);
  });

  it('ingests a version without assigning it, idempotently', async () => {
    const other = await pushChart('demo-feature', { name: unique('ingest'), version: '0.3.0' });
    const first = await h.api('POST', '/api/v1/features', { chart: other.ref, version: '0.3.0' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ feature: other.name, version: '0.3.0', chartDigest: other.digest, created: true });
    const again = await h.api('POST', '/api/v1/features', { chart: other.ref, version: '0.3.0' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false });
    expect((await h.api<Rows>('GET', `/api/v1/assignments?feature=${other.name}`)).body).toEqual([]);
    expect((await h.api<Rows>('GET', `/api/v1/audit?feature=${other.name}`)).body).toHaveLength(1);
    expect((await h.api('POST', '/api/v1/features', { chart: other.ref })).body).toMatchObject({ field: 'version' });
  });

  it('lists stored versions next to the tags the registry has', async () => {
    const v = await h.api<{ stored: Rows; registry: Obj }>('GET', `/api/v1/features/${chart.name}/versions`);
    expect(v.body.stored.map((s) => [s['version'], s['chartDigest']])).toEqual([['1.0.0', chart.digest]]);
    expect(v.body.registry).toMatchObject({ chart: chart.ref, notStored: ['1.1.0'], error: null });
    expect((v.body.registry['tags'] as string[]).sort()).toEqual(['1.0.0', '1.1.0']);
    const one = await h.api('GET', `/api/v1/features/${chart.name}/versions/1.0.0`);
    expect(one.body['featureYaml']).toContain('environmentKinds');
    expect((await h.api('GET', `/api/v1/features/${chart.name}/versions/3.0.0`)).status).toBe(404);
  });

  it('previews without saving: reach, replacement, a more specific winner, and kinds', async () => {
    await h.api('POST', '/api/v1/assignments', { feature: chart.name, version: '1.0.0', target: { tenant, stage: 'prod' } });
    const before = await h.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM catalog.assignments`);
    await h.api('POST', '/api/v1/assignments', { chart: chart.ref, version: '1.1.0', target: { team: 'ingest-only' } });
    const p = await h.api<Obj & { environments: Rows; replaces: Obj }>('POST', '/api/v1/assignments/preview', {
      feature: chart.name,
      version: '1.1.0',
      target: { tenant },
    });
    expect(p.status).toBe(200);
    expect(p.body.replaces).toMatchObject({ id: first, version: '1.0.0' });
    expect(p.body.environments.map((e) => [e['environment'], e['outcome'], e['currentVersion']])).toEqual([
      ['dev', 'reach', '1.0.0'],
      ['mgmt', 'reach', '1.0.0'],
      ['prod', 'kept', '1.0.0'],
      ['site', 'kind-mismatch', null],
    ]);
    const dev = p.body.environments.find((e) => e['environment'] === 'dev')!;
    expect(dev['valueDiff']).toEqual({ ok: false, action: 'missing-config', message: expect.stringContaining('auth.token') });
    expect(p.body.environments.find((e) => e['environment'] === 'prod')!['valueDiff']).toBeNull();
    await h.api('PUT', `/api/v1/features/${chart.name}/config/auth.token`, { value: 'TOKEN-XYZ' });
    await h.api('PUT', `/api/v1/tenants/${tenant}/environments/dev/features/${chart.name}/config/replicas`, { value: 4 });
    const again = await h.api<{ environments: Rows }>('POST', '/api/v1/assignments/preview', { feature: chart.name, version: '1.1.0', target: { tenant } });
    expect(again.body.environments.find((e) => e['environment'] === 'dev')!['valueDiff']).toEqual({
      ok: true,
      changes: [{ key: 'greeting', change: 'added', after: 'hello dev', secret: false }],
    });
    const fresh = await h.api<{ environments: Rows }>('POST', '/api/v1/assignments/preview', {
      feature: chart.name,
      version: '1.1.0',
      target: { team: 'new' },
    });
    expect(fresh.body.environments).toEqual([]);
    const other = unique('other');
    await h.api('POST', '/api/v1/tenants', { name: other });
    await h.api('POST', `/api/v1/tenants/${other}/environments`, { name: 'fresh', kind: 'tenant', labels: { team: 'new' } });
    const reach = await h.api<{ environments: (Obj & { valueDiff: { changes: Rows } })[] }>('POST', '/api/v1/assignments/preview', {
      feature: chart.name,
      version: '1.1.0',
      target: { team: 'new' },
    });
    const changes = reach.body.environments[0]!.valueDiff.changes;
    expect(reach.body.environments[0]).toMatchObject({ environment: 'fresh', outcome: 'reach', current: null });
    expect(changes.find((c) => c['key'] === 'auth.token')).toEqual({ key: 'auth.token', change: 'added', after: '*****', secret: true });
    expect(changes.find((c) => c['key'] === 'clusterName')).toEqual({ key: 'clusterName', change: 'added', after: 'fresh', secret: false });
    expect(JSON.stringify(reach.body)).not.toContain('TOKEN-XYZ');
    const after = await h.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM catalog.assignments`);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n + 1);
    expect((await h.api('POST', '/api/v1/assignments/preview', { feature: chart.name, version: '7.0.0', target: {} })).status).toBe(404);
  });
});

describe('assignments', () => {
  it('lists by feature, active flag and matching environment', async () => {
    const all = await h.api<Rows>('GET', `/api/v1/assignments?feature=${chart.name}`);
    expect(all.body.length).toBe(3);
    const prod = await h.api<Rows>('GET', `/api/v1/assignments?environment=${tenant}/prod&active=true`);
    expect(prod.body.map((a) => a['target'])).toEqual([{ tenant, stage: 'prod' }, { tenant }]);
    expect((await h.api('GET', `/api/v1/assignments?environment=${tenant}`)).body).toMatchObject({ field: 'environment' });
  });

  it('pages newest first, linking the next page until the last, and refuses a bad cursor', async () => {
    const feature = await pushChart('demo-feature', { name: unique('paged'), version: '1.0.0' });
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      created.push(
        (await h.api<{ id: string }>('POST', '/api/v1/assignments', { chart: feature.ref, version: '1.0.0', target: { tenant, shard: `s${i}` } })).body.id,
      );
    }
    const seen: string[] = [];
    let next: string | null = `/api/v1/assignments?feature=${feature.name}&limit=2`;
    const pages: number[] = [];
    while (next !== null) {
      const r: { status: number; body: Rows; headers: Headers } = await h.api<Rows>('GET', next);
      expect(r.status).toBe(200);
      pages.push(r.body.length);
      seen.push(...r.body.map((a) => String(a['id'])));
      next = /^<([^>]+)>; rel="next"$/.exec(r.headers.get('link') ?? '')?.[1] ?? null;
    }
    expect(pages).toEqual([2, 2, 1]);
    expect(seen).toEqual([...created].reverse());
    expect((await h.api<Rows>('GET', `/api/v1/assignments?feature=${feature.name}`)).headers.get('link')).toBeNull();
    for (const bad of ['limit=0', 'limit=1001', 'limit=two']) {
      expect((await h.api('GET', `/api/v1/assignments?${bad}`)).body).toMatchObject({ code: 'INVALID_INPUT', field: 'limit' });
    }
    for (const bad of ['not-an-id', '00000000-0000-4000-8000-000000000000']) {
      expect((await h.api('GET', `/api/v1/assignments?before=${bad}`)).body).toMatchObject({ code: 'INVALID_INPUT', field: 'before' });
    }
  });

  it('deactivates, after which the status has no targets', async () => {
    const a = await h.api<{ id: string }>('POST', '/api/v1/assignments', { feature: chart.name, version: '1.0.0', target: { team: 'gone' } });
    const d = await h.api('POST', `/api/v1/assignments/${a.body.id}/deactivate`);
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ active: false });
    await h.waitForEvent('catalog.assignment.changed.v1', (p) => p['assignmentId'] === a.body.id && p['active'] === false);
    expect((await h.api('GET', `/api/v1/assignments/${a.body.id}/status`)).body).toMatchObject({ state: 'NO_TARGETS', environments: [] });
  });
});

describe("the original's tenant list", () => {
  it('lists tenants with environments and their non-secret project ids', async () => {
    await h.api('PUT', `/api/v1/tenants/${tenant}/environments/dev/values/project_id`, { value: 'acme-dev' });
    await h.api('PUT', `/api/v1/tenants/${tenant}/environments/prod/values/project_id`, { value: 'hidden', secret: true });
    const r = await h.api<{ name: string; environments: Rows }[]>('GET', '/api/tenants');
    const t = r.body.find((x) => x.name === tenant)!;
    expect(t.environments.map((e) => [e['name'], e['gcpProjectID']])).toEqual([
      ['dev', 'acme-dev'],
      ['mgmt', undefined],
      ['prod', undefined],
      ['site', undefined],
    ]);
  });
});

describe('GitHub-compatible endpoints', () => {
  it('create with the original body and answer {id}; poll {id, state}', async () => {
    const r = await h.api<{ id: string }>('POST', '/github/assignment', {
      chart: chart.ref,
      version: '1.1.0',
      target: { tenant, stage: 'dev' },
      ref: { owner: 'nais', repo: 'demo', ref: 'abc123' },
      global: true,
    });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ id: expect.any(String) });
    const s = await h.api('GET', `/github/assignment/${r.body.id}`);
    expect(s.body).toEqual({ id: r.body.id, state: 'UNKNOWN' });
    expect((await h.api('GET', `/github/deployment/${r.body.id}`)).body).toEqual(s.body);
    expect((await h.api('GET', '/github/assignment/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });

  it('refuses a target that matches no environment (or only ones the feature does not run in), or a tenant that does not exist, saying so', async () => {
    const before = (await h.sql.query(`SELECT 1 FROM catalog.assignments`)).rowCount;
    for (const [target, message] of [
      [{ tenant, stage: 'nowhere' }, /matches no environment; nothing was assigned/],
      [{ tenant, stage: 'dev', kind: 'onprem' }, /matches only environments of kind onprem, where .* does not run/],
      [{ tenant: 'no-such-tenant' }, /tenant "no-such-tenant" does not exist/],
    ] as const) {
      const r = await h.api('POST', '/github/assignment', { chart: chart.ref, version: '1.1.0', target });
      expect([r.status, r.body]).toEqual([400, { code: 'INVALID_INPUT', field: 'target', message: expect.stringMatching(message) }]);
    }
    expect((await h.sql.query(`SELECT 1 FROM catalog.assignments`)).rowCount).toBe(before);
  });

  it('a FAILED state says why, in the answer the Action polls', async () => {
    const r = await h.api<{ id: string }>('POST', '/github/assignment', { chart: chart.ref, version: '1.1.0', target: { tenant, name: 'prod' } });
    expect(r.status).toBe(201);
    await createForeignSchemas(h);
    const env = await h.api<Obj>('GET', `/api/v1/tenants/${tenant}/environments/prod`);
    await h.sql.query(
      `INSERT INTO dispatcher.deploy_statuses (diid, environment_id, feature, assignment_id, feature_version, status, hash, error) VALUES (gen_random_uuid(), $1, $2, $3, '1.1.0', 'failed', 'h', 'UPGRADE FAILED: timed out waiting for the condition')`,
      [env.body['id'], chart.name, r.body.id],
    );
    const s = await h.api('GET', `/github/assignment/${r.body.id}`);
    expect(s.body).toEqual({
      id: r.body.id,
      state: 'FAILED',
      message: expect.stringMatching(new RegExp(`^${tenant}/prod: .*UPGRADE FAILED: timed out waiting for the condition`)),
    });
  });

  it('require all of owner, repo and ref when ref is given', async () => {
    const r = await h.api('POST', '/github/deployment', { chart: chart.ref, version: '1.1.0', target: {}, ref: { owner: 'nais' } });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ field: 'ref.repo' });
  });
});
