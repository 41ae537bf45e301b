// Configuration (global and per environment) and environment values against the real PostgreSQL and registry.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chartFixturePath, pushChart, type PushedChart } from '@fasit/testing';
import { startHarness, unique, type Harness, type Rows } from './harness.js';

let h: Harness;
let chart: PushedChart;
const tenant = unique('cfg');
let envId: string;

beforeAll(async () => {
  h = await startHarness();
  chart = await pushChart('demo-feature', { name: unique('demo'), version: '1.0.0' });
  expect((await h.api('POST', '/api/v1/tenants', { name: tenant })).status).toBe(201);
  const env = await h.api<{ id: string }>('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'dev', kind: 'tenant', labels: { team: 'a' } });
  expect(env.status).toBe(201);
  envId = env.body.id;
  const a = await h.api('POST', '/api/v1/assignments', { chart: chart.ref, version: '1.0.0', target: { tenant } });
  expect(a.status).toBe(201);
});

afterAll(async () => {
  await h?.close();
});

const E = () => `/api/v1/tenants/${tenant}/environments/dev`;

describe('global configuration', () => {
  it('stores a value of the declared type and emits config.changed', async () => {
    const put = await h.api('PUT', `/api/v1/features/${chart.name}/config/replicas`, { value: 3, description: 'three' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      feature: chart.name,
      environmentId: null,
      key: 'replicas',
      type: 'int',
      value: 3,
      secret: false,
      description: 'three',
      updatedBy: 'local-dev',
    });
    await h.waitForEvent('catalog.config.changed.v1', (p) => p['key'] === 'replicas' && p['environmentId'] === null);
    expect((await h.api('GET', `/api/v1/features/${chart.name}/config/replicas`)).body.value).toBe(3);
    const list = await h.api<Rows>('GET', `/api/v1/features/${chart.name}/config`);
    expect(list.body.map((c) => c['key'])).toEqual(['replicas']);
  });

  it('refuses a value of the wrong type, naming the field', async () => {
    const put = await h.api('PUT', `/api/v1/features/${chart.name}/config/replicas`, { value: 'three' });
    expect(put.status).toBe(400);
    expect(put.body).toMatchObject({ code: 'INVALID_INPUT', field: 'value' });
    expect(put.body.message).toMatch(/int/);
    expect((await h.api('GET', `/api/v1/features/${chart.name}/config/replicas`)).body.value).toBe(3);
  });

  it('refuses keys the Feature.yaml does not declare as config, listing the ones it does', async () => {
    for (const key of ['nope', 'clusterName']) {
      const put = await h.api('PUT', `/api/v1/features/${chart.name}/config/${key}`, { value: 'x' });
      expect(put.status).toBe(400);
      expect(put.body.field).toBe('key');
      expect(put.body.message).toContain('auth.token');
    }
  });

  it('404s for an unknown feature', async () => {
    const put = await h.api('PUT', `/api/v1/features/no-such-feature/config/replicas`, { value: 1 });
    expect(put.status).toBe(404);
  });

  it('deletes, and a second delete is a 404', async () => {
    await h.api('PUT', `/api/v1/features/${chart.name}/config/image.tag`, { value: '2.0.0' });
    expect((await h.api('DELETE', `/api/v1/features/${chart.name}/config/image.tag`)).status).toBe(204);
    expect((await h.api('DELETE', `/api/v1/features/${chart.name}/config/image.tag`)).status).toBe(404);
    expect((await h.api('GET', `/api/v1/features/${chart.name}/config/image.tag`)).status).toBe(404);
  });
});

describe('environment configuration and secrets', () => {
  it('seals a secret config at rest, masks it, and reveals it only on request, audited', async () => {
    const put = await h.api('PUT', `${E()}/features/${chart.name}/config/auth.token`, { value: 's3cr3t-token' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ secret: true, masked: true, value: '*****', environmentId: envId, tenant, environment: 'dev' });
    const row = await h.sql.query<{ value: unknown; encrypted_value: string }>(`SELECT value, encrypted_value FROM catalog.configs WHERE key = 'auth.token'`);
    expect(row.rows[0]!.value).toBeNull();
    expect(row.rows[0]!.encrypted_value).toMatch(/^v1\.dev\./);
    expect(row.rows[0]!.encrypted_value).not.toContain('s3cr3t');

    expect((await h.api('GET', `${E()}/features/${chart.name}/config/auth.token`)).body.value).toBe('*****');
    const revealed = await h.api('GET', `${E()}/features/${chart.name}/config/auth.token?reveal=true`);
    expect(revealed.body).toMatchObject({ value: 's3cr3t-token', masked: false });
    const audit = await h.api<Rows>('GET', `/api/v1/audit?feature=${chart.name}&q=revealed`);
    expect(audit.body[0]).toMatchObject({ action: 'revealed', objectType: 'configuration', actor: 'local-dev' });
  });

  it('keeps secrets out of audit entries, events and logs', async () => {
    const audits = await h.sql.query(`SELECT before, after FROM catalog.audit`);
    expect(JSON.stringify(audits.rows)).not.toContain('s3cr3t');
    expect(JSON.stringify(h.events)).not.toContain('s3cr3t');
    expect(h.logs.join('\n')).not.toContain('s3cr3t');
    const requests = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['msg'] === 'request');
    const reveal = requests.find((l) => l['method'] === 'GET' && String(l['path']).endsWith('/config/auth.token'));
    expect(reveal).toMatchObject({ status: 200, actor: 'local-dev', requestId: expect.any(String) });
  });

  it("echoes the caller's request id", async () => {
    const res = await fetch(`${h.catalog.url}/api/v1/tenants`, { headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-123');
  });

  it('overrides per environment without touching the global value', async () => {
    await h.api('PUT', `${E()}/features/${chart.name}/config/replicas`, { value: 5 });
    await h.waitForEvent('catalog.config.changed.v1', (p) => p['key'] === 'replicas' && p['environmentId'] === envId);
    expect((await h.api('GET', `${E()}/features/${chart.name}/config/replicas`)).body.value).toBe(5);
    expect((await h.api('GET', `/api/v1/features/${chart.name}/config/replicas`)).body.value).toBe(3);
    const list = await h.api<Rows>('GET', `${E()}/features/${chart.name}/config`);
    expect(list.body.map((c) => c['key'])).toEqual(['auth.token', 'replicas']);
    expect((await h.api('DELETE', `${E()}/features/${chart.name}/config/replicas`)).status).toBe(204);
    expect((await h.api('GET', `/api/v1/features/${chart.name}/config/replicas`)).body.value).toBe(3);
  });

  it('compares one key across environments: the global value first, then each environment that overrides it', async () => {
    expect((await h.api('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'stage', kind: 'tenant' })).status).toBe(201);
    await h.api('PUT', `/api/v1/features/${chart.name}/config/replicas`, { value: 3 });
    await h.api('PUT', `/api/v1/tenants/${tenant}/environments/stage/features/${chart.name}/config/replicas`, { value: 7 });
    await h.api('PUT', `${E()}/features/${chart.name}/config/replicas`, { value: 5 });
    const across = await h.api<Rows>('GET', `/api/v1/features/${chart.name}/config/replicas/environments`);
    expect(across.status).toBe(200);
    expect(across.body.map((c) => [c['tenant'], c['environment'], c['value']])).toEqual([
      [null, null, 3],
      [tenant, 'dev', 5],
      [tenant, 'stage', 7],
    ]);

    await h.api('PUT', `${E()}/features/${chart.name}/config/auth.token`, { value: 'tok-DEV' });
    const masked = await h.api<Rows>('GET', `/api/v1/features/${chart.name}/config/auth.token/environments`);
    expect(masked.body.map((c) => [c['environment'], c['value'], c['masked']])).toEqual([['dev', '*****', true]]);
    const revealed = await h.api<Rows>('GET', `/api/v1/features/${chart.name}/config/auth.token/environments?reveal=true`);
    expect(revealed.body.map((c) => c['value'])).toEqual(['tok-DEV']);

    const undeclared = await h.api('GET', `/api/v1/features/${chart.name}/config/nope/environments`);
    expect(undeclared.status).toBe(400);
    expect(undeclared.body).toMatchObject({ code: 'INVALID_INPUT', field: 'key', message: expect.stringContaining('declares no config key "nope"') });
    expect((await h.api('GET', `/api/v1/features/${unique('ghost')}/config/replicas/environments`)).status).toBe(404);
    await h.api('DELETE', `/api/v1/tenants/${tenant}/environments/stage/features/${chart.name}/config/replicas`);
    await h.api('DELETE', `${E()}/features/${chart.name}/config/replicas`);
    await h.api('DELETE', `${E()}/features/${chart.name}/config/auth.token`);
  });

  it('masks a stored value whose key a newer version declares secret', async () => {
    await h.api('PUT', `/api/v1/features/${chart.name}/config/image.tag`, { value: 'tag-PLAIN-1' });
    const featureYaml = await readFile(join(chartFixturePath('demo-feature'), 'Feature.yaml'), 'utf8');
    const secretTag = featureYaml.replace(
      '  image.tag:\n    displayName: Image tag\n    description: Tag of the demo image\n    config:\n      type: string\n',
      '  image.tag:\n    config:\n      type: string\n      secret: true\n',
    );
    expect(secretTag).not.toBe(featureYaml);
    const v2 = await pushChart('demo-feature', { name: chart.name, version: '2.0.0', files: { 'Feature.yaml': secretTag } });
    expect((await h.api('POST', '/api/v1/features', { chart: v2.ref, version: '2.0.0' })).status).toBe(201);
    expect((await h.api('GET', `/api/v1/features/${chart.name}/config/image.tag`)).body).toMatchObject({ value: '*****', secret: true, masked: true });
    expect((await h.api('GET', `/api/v1/features/${chart.name}/config/image.tag?reveal=true`)).body).toMatchObject({ value: 'tag-PLAIN-1' });
    const put = await h.api('PUT', `/api/v1/features/${chart.name}/config/image.tag`, { value: 'tag-PLAIN-2' });
    expect(put.body).toMatchObject({ value: '*****', secret: true });
    const row = await h.sql.query<{ value: unknown; encrypted_value: string | null }>(
      `SELECT value, encrypted_value FROM catalog.configs WHERE key = 'image.tag' AND environment_id IS NULL`,
    );
    expect(row.rows[0]!.value).toBeNull();
    expect(row.rows[0]!.encrypted_value).not.toContain('PLAIN');
  });

  it('rejects a bad reveal flag', async () => {
    const r = await h.api('GET', `${E()}/features/${chart.name}/config?reveal=yes`);
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('reveal');
  });
});

describe('environment values', () => {
  it('puts, gets, lists and deletes any JSON, emitting environment-value.changed', async () => {
    const put = await h.api('PUT', `${E()}/values/project_id`, { value: 'proj-123' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ key: 'project_id', value: 'proj-123', secret: false, tenant, environment: 'dev' });
    await h.waitForEvent('catalog.environment-value.changed.v1', (p) => p['key'] === 'project_id');
    await h.api('PUT', `${E()}/values/nested`, { value: { a: [1, 2, { b: null }] } });
    expect((await h.api('GET', `${E()}/values/nested`)).body.value).toEqual({ a: [1, 2, { b: null }] });
    expect((await h.api<Rows>('GET', `${E()}/values`)).body.map((v) => v['key'])).toEqual(['nested', 'project_id']);
    expect((await h.api('DELETE', `${E()}/values/nested`)).status).toBe(204);
    expect((await h.api('GET', `${E()}/values/nested`)).status).toBe(404);
  });

  it('seals secret values and masks them unless revealed', async () => {
    const put = await h.api('PUT', `${E()}/values/naisd_key`, { value: { privateKey: 'PRIVATE-abc' }, secret: true });
    expect(put.body).toMatchObject({ value: '*****', masked: true, secret: true });
    const row = await h.sql.query<{ value: unknown; encrypted_value: string }>(
      `SELECT value, encrypted_value FROM catalog.environment_values WHERE key = 'naisd_key'`,
    );
    expect(row.rows[0]!.value).toBeNull();
    expect(row.rows[0]!.encrypted_value).not.toContain('PRIVATE');
    expect((await h.api<Rows>('GET', `${E()}/values`)).body.find((v) => v['key'] === 'naisd_key')?.['value']).toBe('*****');
    expect((await h.api('GET', `${E()}/values/naisd_key?reveal=true`)).body.value).toEqual({ privateKey: 'PRIVATE-abc' });
    expect(JSON.stringify((await h.sql.query(`SELECT before, after, description FROM catalog.audit`)).rows)).not.toContain('PRIVATE');
  });

  it('lists the same key across environments', async () => {
    await h.api('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'prod', kind: 'tenant' });
    await h.api('PUT', `/api/v1/tenants/${tenant}/environments/prod/values/project_id`, { value: 'proj-999' });
    const across = await h.api<Rows>('GET', '/api/v1/values?key=project_id');
    expect(across.status).toBe(200);
    expect(across.body.map((v) => [v['environment'], v['value']])).toEqual([
      ['dev', 'proj-123'],
      ['prod', 'proj-999'],
    ]);
    expect((await h.api('GET', '/api/v1/values')).status).toBe(400);
  });

  it('refuses bad keys, missing values, unknown fields and values over 64 KiB', async () => {
    expect((await h.api('PUT', `${E()}/values/.hidden`, { value: 1 })).body).toMatchObject({ code: 'INVALID_INPUT', field: 'key' });
    expect((await h.api('PUT', `${E()}/values/k`, { secret: true })).body).toMatchObject({ code: 'INVALID_INPUT', field: 'value' });
    expect((await h.api('PUT', `${E()}/values/k`, { value: 1, sekret: true })).body).toMatchObject({ code: 'INVALID_INPUT', field: 'sekret' });
    expect((await h.api('PUT', `${E()}/values/k`, { value: 1, secret: 'yes' })).body).toMatchObject({ code: 'INVALID_INPUT', field: 'secret' });
    const big = await h.api('PUT', `${E()}/values/k`, { value: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
    expect(big.body.field).toBe('value');
    expect((await h.api('GET', `${E()}/values/k`)).status).toBe(404);
  });

  it('404s for an environment that does not exist', async () => {
    expect((await h.api('PUT', `/api/v1/tenants/${tenant}/environments/nope/values/k`, { value: 1 })).status).toBe(404);
  });
});
