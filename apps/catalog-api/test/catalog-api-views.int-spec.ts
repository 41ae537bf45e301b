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
    const views = await h.sql.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.views WHERE table_schema = 'catalog_api' ORDER BY table_name`,
    );
    expect(views.rows.map((r) => r.table_name)).toEqual([
      'active_assignments',
      'assignments',
      'configs',
      'disabled_features',
      'environment_values',
      'environments',
      'feature_versions',
      'tenants',
    ]);
    expect(await columns('environments')).toEqual(['id', 'tenant_id', 'tenant', 'name', 'kind', 'labels', 'reconcile', 'drift_policy']);
    expect(await columns('active_assignments')).toEqual(['id', 'feature', 'version', 'target', 'created_at', 'kinds']);
    expect(await columns('tenants')).toEqual(['id', 'name', 'data_version']);
    expect(await columns('assignments')).toEqual(['id', 'feature', 'version', 'target', 'active', 'created_at']);
    expect(await columns('feature_versions')).toEqual(['feature', 'version', 'chart', 'chart_digest', 'kinds', 'spec', 'dependencies', 'timeout_ms']);
    expect(await columns('environment_values')).toEqual(['environment_id', 'key', 'value', 'secret', 'sealed']);
    expect(await columns('configs')).toEqual(['feature', 'environment_id', 'key', 'value', 'secret', 'sealed']);
    expect(await columns('disabled_features')).toEqual(['environment_id', 'feature']);
  });

  it('shows what the API wrote', async () => {
    const env = await h.sql.query(`SELECT tenant, name, kind, labels, reconcile, drift_policy FROM catalog_api.environments WHERE id = $1`, [envId]);
    expect(env.rows).toEqual([
      { tenant, name: 'dev', kind: 'tenant', labels: { team: 'a', tenant, name: 'dev', kind: 'tenant' }, reconcile: true, drift_policy: 'report' },
    ]);
    const matching = await h.sql.query(`SELECT id FROM catalog_api.environments WHERE labels @> $1::jsonb`, [JSON.stringify({ tenant, team: 'a' })]);
    expect(matching.rows).toEqual([{ id: envId }]);
    const active = await h.sql.query(`SELECT feature, version, target, kinds FROM catalog_api.active_assignments WHERE id = $1`, [assignmentId]);
    expect(active.rows).toEqual([{ feature: chart.name, version: '1.0.0', target: { tenant }, kinds: expect.any(Array) as unknown }]);
    expect((active.rows[0] as { kinds: string[] }).kinds.length).toBeGreaterThan(0);
  });

  it("shows what the reconciler renders from: the tenant's data version, values and configuration (secrets sealed only), disabled features", async () => {
    const before = await h.sql.query<{ data_version: string }>(`SELECT t.data_version::text FROM catalog_api.tenants t WHERE t.name = $1`, [tenant]);
    expect((await h.api('PUT', `/api/v1/tenants/${tenant}/environments/dev/values/project_id`, { value: 'p-1' })).status).toBeLessThan(300);
    expect((await h.api('PUT', `/api/v1/tenants/${tenant}/environments/dev/values/db_password`, { value: 'hunter2', secret: true })).status).toBeLessThan(300);
    const after = await h.sql.query<{ data_version: string }>(`SELECT data_version::text FROM catalog_api.tenants WHERE name = $1`, [tenant]);
    expect(BigInt(after.rows[0]!.data_version)).toBeGreaterThan(BigInt(before.rows[0]!.data_version));
    const values = await h.sql.query<{ key: string; value: unknown; secret: boolean; sealed: string | null }>(
      `SELECT key, value, secret, sealed FROM catalog_api.environment_values WHERE environment_id = $1 ORDER BY key`,
      [envId],
    );
    expect(values.rows.map(({ key, value, secret }) => ({ key, value, secret }))).toEqual([
      { key: 'db_password', value: null, secret: true },
      { key: 'project_id', value: 'p-1', secret: false },
    ]);
    expect(values.rows[0]!.sealed).toEqual(expect.any(String));
    expect(values.rows[0]!.sealed).not.toContain('hunter2');
    expect((await h.api('PUT', `/api/v1/features/${chart.name}/config/replicas`, { value: 3 })).status).toBeLessThan(300);
    expect((await h.sql.query(`SELECT environment_id, key, value, secret, sealed FROM catalog_api.configs WHERE feature = $1`, [chart.name])).rows).toEqual([
      { environment_id: null, key: 'replicas', value: 3, secret: false, sealed: null },
    ]);
    expect((await h.api('POST', `/api/v1/tenants/${tenant}/environments/dev/features/${chart.name}/disable`, { reason: 'views test' })).status).toBeLessThan(
      300,
    );
    expect((await h.sql.query(`SELECT feature FROM catalog_api.disabled_features WHERE environment_id = $1`, [envId])).rows).toEqual([{ feature: chart.name }]);
    const version = await h.sql.query(
      `SELECT a.version, fv.chart, fv.chart_digest AS digest FROM catalog_api.assignments a JOIN catalog_api.feature_versions fv ON fv.feature = a.feature AND fv.version = a.version WHERE a.id = $1`,
      [assignmentId],
    );
    expect(version.rows).toEqual([{ version: '1.0.0', chart: chart.ref, digest: chart.digest }]);
  });

  it('leaves a deactivated assignment out of active_assignments, and keeps it in assignments', async () => {
    expect((await h.api('POST', `/api/v1/assignments/${assignmentId}/deactivate?confirm=true`)).status).toBeLessThan(300);
    expect((await h.sql.query(`SELECT id FROM catalog_api.active_assignments WHERE id = $1`, [assignmentId])).rows).toEqual([]);
    expect((await h.sql.query(`SELECT active FROM catalog_api.assignments WHERE id = $1`, [assignmentId])).rows).toEqual([{ active: false }]);
  });

  it.each<[string, string, (id: string) => unknown[]]>([
    ['environments', 'UPDATE catalog_api.environments SET name = $1 WHERE id = $2', (id) => ['renamed', id]],
    ['environments', 'DELETE FROM catalog_api.environments WHERE id = $1', (id) => [id]],
    ['environments', 'INSERT INTO catalog_api.environments (id, name) VALUES ($1, $2)', (id) => [id, 'copy']],
    ['environment_values', `UPDATE catalog_api.environment_values SET value = '"forged"' WHERE environment_id = $1`, (id) => [id]],
    ['disabled_features', 'DELETE FROM catalog_api.disabled_features WHERE environment_id = $1', (id) => [id]],
    ['tenants', 'UPDATE catalog_api.tenants SET data_version = 0 WHERE id = (SELECT tenant_id FROM catalog.environments WHERE id = $1)', (id) => [id]],
  ])('refuses a write through %s, changing nothing: %s', async (view, statement, params) => {
    const state = async (): Promise<Record<string, unknown>[]> =>
      (
        await h.sql.query<Record<string, unknown>>(
          `SELECT e.name, t.data_version, (SELECT jsonb_agg(v.value ORDER BY v.key) FROM catalog.environment_values v WHERE v.environment_id = e.id) AS values,
                  (SELECT count(*)::int FROM catalog.disabled_features d WHERE d.environment_id = e.id) AS disabled
           FROM catalog.environments e JOIN catalog.tenants t ON t.id = e.tenant_id WHERE t.id = (SELECT tenant_id FROM catalog.environments WHERE id = $1)`,
          [envId],
        )
      ).rows;
    const before = await state();
    await expect(h.sql.query(statement, params(envId))).rejects.toThrow(
      `catalog_api.${view} is a read-only view of the catalog: change the catalog through its API`,
    );
    expect(await state()).toEqual(before);
    expect(before).toEqual([expect.objectContaining({ name: 'dev', disabled: 1 })]);
  });
});
