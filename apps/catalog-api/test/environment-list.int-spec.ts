// A tenant's environment list is kept per catalog data version (`common/answer-cache.ts`): every
// change shows in the next list, also one made by another catalog-api replica on the same database, or by SQL behind
// the API's back; and a listed environment reads exactly as the environment itself does. Two catalog-api processes'
// worth of services (two harnesses, one real PostgreSQL database).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, unique, type Harness } from './harness.js';

let a: Harness;
let b: Harness;
const tenant = unique('listed');
const other = unique('other');

interface Listed {
  id: string;
  name: string;
  labels: Record<string, string>;
  description: string;
}

const list = async (h: Harness, t = tenant, query = '') => {
  const r = await h.api<Listed[]>('GET', `/api/v1/tenants/${t}/environments${query}`);
  expect(r.status).toBe(200);
  return r.body;
};
const names = async (h: Harness, t = tenant, query = '') => (await list(h, t, query)).map((e) => e.name);

beforeAll(async () => {
  a = await startHarness();
  b = await startHarness({}, { db: a.db });
  for (const t of [tenant, other]) expect((await a.api('POST', '/api/v1/tenants', { name: t })).status).toBe(201);
  for (const name of ['prod', 'dev']) expect((await a.api('POST', `/api/v1/tenants/${tenant}/environments`, { name, kind: 'tenant' })).status).toBe(201);
  expect((await a.api('POST', `/api/v1/tenants/${other}/environments`, { name: 'elsewhere', kind: 'tenant' })).status).toBe(201);
});

afterAll(async () => {
  await b?.close();
  await a?.close();
});

describe("a tenant's environment list", () => {
  it('lists each environment exactly as reading it alone answers, by name, and only the tenant’s own', async () => {
    const listed = await list(a);
    expect(listed.map((e) => e.name)).toEqual(['dev', 'prod']);
    for (const e of listed) expect(e).toEqual((await a.api('GET', `/api/v1/tenants/${tenant}/environments/${e.name}`)).body);
    expect(await names(a, other)).toEqual(['elsewhere']);
  });

  it('shows a change made through another replica at once: created, relabelled, deleted', async () => {
    expect(await names(a)).toEqual(['dev', 'prod']);
    expect((await b.api('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'stage', kind: 'tenant' })).status).toBe(201);
    expect(await names(a)).toEqual(['dev', 'prod', 'stage']);
    expect((await b.api('PATCH', `/api/v1/tenants/${tenant}/environments/stage`, { labels: { tier: 'gold' } })).status).toBe(200);
    expect((await list(a)).find((e) => e.name === 'stage')?.labels).toMatchObject({ tier: 'gold' });
    expect(await names(a, tenant, '?labels=tier=gold')).toEqual(['stage']);
    expect((await b.api('DELETE', `/api/v1/tenants/${tenant}/environments/stage`)).status).toBe(204);
    expect(await names(a)).toEqual(['dev', 'prod']);
    expect(await names(a, tenant, '?labels=tier=gold')).toEqual([]);
  });

  it('shows a change written by SQL behind the API (the data version moves with every write to the table)', async () => {
    await list(a);
    await a.sql.query(
      `UPDATE catalog.environments e SET description = 'changed behind the API' FROM catalog.tenants t WHERE t.id = e.tenant_id AND t.name = $1 AND e.name = 'dev'`,
      [tenant],
    );
    expect((await list(a)).find((e) => e.name === 'dev')?.description).toBe('changed behind the API');
  });

  it('under concurrent changes and lists, the list after the last change shows every change', async () => {
    const labels = Array.from({ length: 12 }, (_, i) => `v${i}`);
    await Promise.all([
      ...labels.map((v, i) =>
        (i % 2 === 0 ? a : b).api('PATCH', `/api/v1/tenants/${tenant}/environments/${i % 4 < 2 ? 'dev' : 'prod'}`, { labels: { [v]: 'x' } }),
      ),
      ...labels.map(() => list(a)),
      ...labels.map(() => list(b)),
    ]);
    for (const h of [a, b]) {
      const listed = await list(h);
      expect(Object.keys(listed.find((e) => e.name === 'dev')!.labels).filter((k) => /^v\d+$/.test(k))).toEqual(
        expect.arrayContaining(labels.filter((_, i) => i % 4 < 2)),
      );
      expect(Object.keys(listed.find((e) => e.name === 'prod')!.labels).filter((k) => /^v\d+$/.test(k))).toEqual(
        expect.arrayContaining(labels.filter((_, i) => i % 4 >= 2)),
      );
      for (const e of listed) expect(e).toEqual((await h.api('GET', `/api/v1/tenants/${tenant}/environments/${e.name}`)).body);
    }
  });
});
