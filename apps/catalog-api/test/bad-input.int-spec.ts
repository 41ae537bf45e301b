// Bad input changes nothing and gets problem JSON {code, message, field?} with a fitting status.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pushChart, type PushedChart } from '@fasit/testing';
import { startHarness, unique, type Harness, type Obj } from './harness.js';

let h: Harness;
let chart: PushedChart;
let failing: Server;
let failingPort = 0;
const tenant = unique('bad');

beforeAll(async () => {
  h = await startHarness({ FASIT_MAX_BODY_BYTES: '4096' });
  chart = await pushChart('demo-feature', { name: unique('demo'), version: '1.0.0' });
  await h.api('POST', '/api/v1/tenants', { name: tenant });
  await h.api('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'dev', kind: 'tenant' });
  failing = createServer((_, res) => {
    res.statusCode = 500;
    res.end('registry on fire');
  });
  await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
  failingPort = (failing.address() as { port: number }).port;
});

afterAll(async () => {
  await h?.close();
  await new Promise((r) => failing?.close(r));
});

const auditCount = async () => (await h.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM catalog.audit`)).rows[0]!.n;

describe('request bodies', () => {
  it('unknown fields', async () => {
    const r = await h.api('POST', '/api/v1/tenants', { name: unique('t'), colour: 'blue' });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ code: 'INVALID_INPUT', message: 'colour: unknown field', field: 'colour' });
  });

  it('wrong types', async () => {
    expect((await h.api('POST', '/api/v1/tenants', { name: 5 })).body).toMatchObject({ code: 'INVALID_INPUT', field: 'name', message: 'name: must be string' });
    expect((await h.api('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'x1', kind: 'legacy' })).body).toMatchObject({ field: 'kind' });
    expect((await h.api('POST', '/api/v1/assignments', { feature: chart.name, version: '1.0.0', target: { a: 1 } })).body).toMatchObject({ field: 'target.a' });
  });

  it('missing fields', async () => {
    expect((await h.api('POST', '/api/v1/assignments', { version: '1.0.0' })).body).toMatchObject({ code: 'INVALID_INPUT', field: 'target' });
  });

  it('bodies over the limit get a 413', async () => {
    const r = await h.api('POST', '/api/v1/tenants', { name: unique('t'), description: 'x'.repeat(8000) });
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('bodies that are not JSON', async () => {
    const r = await h.api('POST', '/api/v1/tenants', '{"name": ');
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('names and labels', () => {
  it('names that are not DNS labels', async () => {
    for (const name of ['Bad_Name', 'x', 'a'.repeat(64), '-dash', 'dash-', 'ünïcode']) {
      const r = await h.api('POST', '/api/v1/tenants', { name });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'INVALID_INPUT', field: 'name' });
    }
    expect((await h.api('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'Prod', kind: 'tenant' })).body).toMatchObject({ field: 'name' });
  });

  it('label keys and values that break the Kubernetes syntax', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ 'has space': 'x' }, 'labels.has space'],
      [{ '-lead': 'x' }, 'labels.-lead'],
      [{ 'UPPER.example.com/x': 'y' }, 'labels.UPPER.example.com/x'],
      [{ [`${'k'.repeat(64)}`]: 'x' }, `labels.${'k'.repeat(64)}`],
      [{ ok: 'white space' }, 'labels.ok'],
      [{ ok: 'x'.repeat(64) }, 'labels.ok'],
    ];
    for (const [labels, field] of cases) {
      const r = await h.api('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'lbl', kind: 'tenant', labels });
      expect(r.status).toBe(400);
      expect(r.body['field']).toBe(field);
    }
    expect((await h.api('GET', `/api/v1/tenants/${tenant}/environments/lbl`)).status).toBe(404);
    expect((await h.api('POST', '/api/v1/assignments', { chart: chart.ref, version: '1.0.0', target: { 'bad key': 'x' } })).body).toMatchObject({
      field: 'target.bad key',
    });
    expect((await h.api('GET', `/api/v1/tenants/${tenant}/environments?labels=novalue`)).body).toMatchObject({ field: 'labels' });
  });
});

describe('duplicates and conflicts', () => {
  it('duplicate creation is a 409 and writes nothing', async () => {
    const before = await auditCount();
    expect((await h.api('POST', '/api/v1/tenants', { name: tenant })).body).toMatchObject({ code: 'ALREADY_EXISTS', field: 'name' });
    expect((await h.api('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'dev', kind: 'tenant' })).status).toBe(409);
    expect(await auditCount()).toBe(before);
  });

  it('concurrent creations of one name: exactly one succeeds, the others get a 409 naming the field', async () => {
    const name = unique('race');
    const results = await Promise.all(Array.from({ length: 6 }, () => h.api('POST', '/api/v1/tenants', { name })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body).toMatchObject({ code: 'ALREADY_EXISTS', field: 'name' });
    const envs = await Promise.all(Array.from({ length: 6 }, () => h.api('POST', `/api/v1/tenants/${name}/environments`, { name: 'same', kind: 'tenant' })));
    expect(envs.filter((r) => r.status === 201)).toHaveLength(1);
    expect(envs.filter((r) => r.status === 409)).toHaveLength(5);
  });

  it('concurrent creations for one target: exactly one stays active, the others are replaced or refused', async () => {
    await h.api('POST', '/api/v1/assignments', { chart: chart.ref, version: '1.0.0', target: { team: 'x' } });
    const target = { team: 'race' };
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(
        Array.from({ length: 6 }, () => h.api('POST', '/api/v1/assignments', { feature: chart.name, version: '1.0.0', target })),
      );
      for (const r of results) {
        expect([201, 409]).toContain(r.status);
        if (r.status === 409) expect(r.body).toMatchObject({ code: 'CONFLICT', field: 'target' });
      }
      const rows = await h.sql.query<{ active: boolean; replaced_by: string | null }>(
        `SELECT active, replaced_by FROM catalog.assignments WHERE feature = $1 AND target = $2::jsonb`,
        [chart.name, JSON.stringify(target)],
      );
      expect(rows.rows.filter((r) => r.active)).toHaveLength(1);
      expect(rows.rows.filter((r) => !r.active).every((r) => r.replaced_by !== null)).toBe(true);
    }
  });

  it('a re-pushed version with different content is refused', async () => {
    const name = unique('immut');
    const first = await pushChart('demo-feature', { name, version: '2.0.0' });
    expect((await h.api('POST', '/api/v1/assignments', { chart: first.ref, version: '2.0.0', target: { team: 'imm' } })).status).toBe(201);
    const second = await pushChart('demo-feature', {
      name,
      version: '2.0.0',
      files: { 'templates/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n' },
    });
    const r = await h.api('POST', '/api/v1/assignments', { chart: first.ref, version: '2.0.0', target: { team: 'imm2' } });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'CONFLICT', field: 'version' });
    expect(r.body['message']).toBe(
      `${name}:2.0.0 was ingested before with digest ${first.digest}, the registry now has ${second.digest}; a version is immutable, push the change as a new version`,
    );
  });

  it('the same version from another repository with other content is refused, naming both repositories', async () => {
    const name = unique('otherrepo');
    const first = await pushChart('demo-feature', { name, version: '2.0.0', repoPath: unique('one') });
    expect((await h.api('POST', '/api/v1/features', { chart: first.ref, version: '2.0.0' })).status).toBe(201);
    const other = await pushChart('demo-feature', {
      name,
      version: '2.0.0',
      repoPath: unique('two'),
      files: { 'templates/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n' },
    });
    const r = await h.api('POST', '/api/v1/features', { chart: other.ref, version: '2.0.0' });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({
      code: 'CONFLICT',
      field: 'version',
      message: `${name}:2.0.0 was ingested before from ${first.ref} (digest ${first.digest}); ${other.ref}:2.0.0 is another chart (digest ${other.digest}); a feature version is immutable, whichever repository it comes from: publish this one as a new version`,
    });
  });
});

describe('charts and registries', () => {
  it('a chart reference that does not exist', async () => {
    const r = await h.api('POST', '/api/v1/assignments', { chart: `${chart.ref}-missing`, version: '1.0.0', target: {} });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'INVALID_INPUT', field: 'version' });
    expect(r.body['message']).toMatch(/does not exist/);
    expect((await h.api('POST', '/api/v1/assignments', { chart: chart.ref, version: '9.9.9', target: {} })).status).toBe(400);
    expect((await h.api('POST', '/api/v1/assignments', { chart: 'https://example.org/chart', version: '1.0.0', target: {} })).body).toMatchObject({
      field: 'chart',
    });
  });

  it('an unreachable registry is a clear 502', async () => {
    const r = await h.api('POST', '/api/v1/assignments', { chart: 'oci://127.0.0.1:1/charts/demo', version: '1.0.0', target: {} });
    expect(r.status).toBe(502);
    expect(r.body).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', field: 'chart' });
    expect(r.body['message']).toMatch(/unreachable/);
  });

  it('a registry that answers an error is a 502 saying so, in its status, not in its words', async () => {
    const r = await h.api('POST', '/api/v1/assignments', { chart: `oci://127.0.0.1:${failingPort}/charts/demo`, version: '1.0.0', target: {} });
    expect(r.status).toBe(502);
    expect(r.body['message']).toMatch(/answered an error .*\(HTTP 500\)/);
    expect(JSON.stringify(r.body)).not.toContain('registry on fire');
  });

  it('charts with an invalid or missing Feature.yaml', async () => {
    const invalid = await pushChart('invalid-feature-yaml', { name: unique('inv'), version: '1.0.0' });
    const r = await h.api<Obj & { details: { errors: unknown[] } }>('POST', '/api/v1/assignments', { chart: invalid.ref, version: '1.0.0', target: {} });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'INVALID_FEATURE' });
    expect(r.body.details.errors.length).toBeGreaterThan(0);
    const none = await pushChart('no-feature-yaml', { name: unique('none'), version: '1.0.0' });
    const n = await h.api('POST', '/api/v1/assignments', { chart: none.ref, version: '1.0.0', target: {} });
    expect(n.body).toMatchObject({ code: 'INVALID_FEATURE' });
    expect(n.body['message']).toMatch(/no Feature.yaml/);
  });

  it('a chart without sources is stored but cannot be assigned', async () => {
    const name = unique('nosrc');
    const chartYaml = `apiVersion: v2\nname: ${name}\ndescription: no sources\ntype: application\nversion: 0.1.0\n`;
    const bare = await pushChart('demo-feature', { name, version: '0.1.0', files: { 'Chart.yaml': chartYaml } });
    const r = await h.api('POST', '/api/v1/assignments', { chart: bare.ref, version: '0.1.0', target: {} });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'INVALID_FEATURE', field: 'chart' });
    expect(r.body['message']).toMatch(/sources/);
    expect((await h.api('POST', '/api/v1/features', { chart: bare.ref, version: '0.1.0' })).status).toBe(201);
  });

  it('unknown ids and query flags', async () => {
    expect((await h.api('GET', '/api/v1/assignments/not-a-uuid')).status).toBe(404);
    expect((await h.api('GET', '/api/v1/assignments/00000000-0000-0000-0000-000000000000/status')).status).toBe(404);
    expect((await h.api('GET', '/api/v1/assignments?active=maybe')).body).toMatchObject({ field: 'active' });
    expect((await h.api('GET', '/api/v1/no-such-route')).body).toMatchObject({ code: 'NOT_FOUND' });
  });
});
