// The catalog's published read contract: the `catalog_api` views other services read (real PostgreSQL, charts
// from the local OCI registry). Their columns are the contract; the views refuse writes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pushChart, type PushedChart } from '@fasit/testing';
import { startHarness, unique, type Harness } from './harness.js';

let h: Harness;
let chart: PushedChart;
const tenant = unique('views');
let envId: string;
let assignmentId: string;

beforeAll(async () => {
  h = await startHarness();
  chart = await pushChart('demo-feature', { name: unique('demo'), version: '1.0.0' });
  expect((await h.api('POST', '/api/v1/tenants', { name: tenant })).status).toBe(201);
  const env = await h.api<{ id: string }>('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'dev', kind: 'tenant', labels: { team: 'a' } });
  expect(env.status).toBe(201);
  envId = env.body.id;
  const a = await h.api<{ id: string }>('POST', '/api/v1/assignments', { chart: chart.ref, version: '1.0.0', target: { tenant } });
  expect(a.status).toBe(201);
  assignmentId = a.body.id;
});

afterAll(async () => {
  await h?.close();
});

const columns = async (view: string): Promise<string[]> =>
  (
    await h.sql.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'catalog_api' AND table_name = $1 ORDER BY ordinal_position`,
      [view],
    )
  ).rows.map((r) => r.column_name);

describe('catalog_api, the views other services read', () => {
  it('publishes exactly the documented views and columns', async () => {
    const views = await h.sql.query<{ table_name: string }>(`SELECT table_name FROM information_schema.views WHERE table_schema = 'catalog_api' ORDER BY table_name`);
    expect(views.rows.map((r) => r.table_name)).toEqual(['active_assignments', 'environments']);
    expect(await columns('environments')).toEqual(['id', 'tenant_id', 'tenant', 'name', 'kind', 'labels', 'reconcile']);
    expect(await columns('active_assignments')).toEqual(['id', 'feature', 'version', 'target', 'created_at', 'kinds']);
  });

  it('shows what the API wrote', async () => {
    const env = await h.sql.query(`SELECT tenant, name, kind, labels, reconcile FROM catalog_api.environments WHERE id = $1`, [envId]);
    expect(env.rows).toEqual([{ tenant, name: 'dev', kind: 'tenant', labels: { team: 'a', tenant, name: 'dev', kind: 'tenant' }, reconcile: true }]);
    const matching = await h.sql.query(`SELECT id FROM catalog_api.environments WHERE labels @> $1::jsonb`, [JSON.stringify({ tenant, team: 'a' })]);
    expect(matching.rows).toEqual([{ id: envId }]);
    const active = await h.sql.query(`SELECT feature, version, target, kinds FROM catalog_api.active_assignments WHERE id = $1`, [assignmentId]);
    expect(active.rows).toEqual([{ feature: chart.name, version: '1.0.0', target: { tenant }, kinds: expect.any(Array) as unknown }]);
    expect((active.rows[0] as { kinds: string[] }).kinds.length).toBeGreaterThan(0);
  });

  it('leaves a deactivated assignment out', async () => {
    expect((await h.api('POST', `/api/v1/assignments/${assignmentId}/deactivate?confirm=true`)).status).toBeLessThan(300);
    expect((await h.sql.query(`SELECT id FROM catalog_api.active_assignments WHERE id = $1`, [assignmentId])).rows).toEqual([]);
  });

  it.each<[string, (id: string) => unknown[]]>([
    ['UPDATE catalog_api.environments SET name = $1 WHERE id = $2', (id) => ['renamed', id]],
    ['DELETE FROM catalog_api.environments WHERE id = $1', (id) => [id]],
    ['INSERT INTO catalog_api.environments (id, name) VALUES ($1, $2)', (id) => [id, 'copy']],
  ])('refuses a write through a view, changing nothing: %s', async (statement, params) => {
    await expect(h.sql.query(statement, params(envId))).rejects.toThrow('catalog_api.environments is a read-only view of the catalog: change the catalog through its API');
    expect((await h.sql.query(`SELECT name FROM catalog.environments WHERE tenant_id = (SELECT tenant_id FROM catalog.environments WHERE id = $1)`, [envId])).rows).toEqual([{ name: 'dev' }]);
  });
});
