// Each environment's drift policy (`report` or `correct`) over REST: stored with the environment, audited, published
// to the reconciler through catalog_api.environments; bad input names the field and changes nothing. (Real
// PostgreSQL; what the reconciler does with the policy: apps/reconciler/test/drift.int-spec.ts.)
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, unique, type Harness } from './harness.js';

let h: Harness;
const tenant = unique('drift');

beforeAll(async () => {
  h = await startHarness();
  expect((await h.api('POST', '/api/v1/tenants', { name: tenant })).status).toBe(201);
});

afterAll(async () => {
  await h?.close();
});

const published = async (id: string) =>
  (await h.sql.query<{ drift_policy: string }>(`SELECT drift_policy FROM catalog_api.environments WHERE id = $1`, [id])).rows[0]?.drift_policy;
const audits = async (id: string) =>
  (
    await h.sql.query<{ action: string; before: { driftPolicy?: string } | null; after: { driftPolicy?: string } | null }>(
      `SELECT action, before, after FROM catalog.audit WHERE object_id = $1 ORDER BY id`,
      [id],
    )
  ).rows;

describe('drift policy of an environment', () => {
  it('is report unless said otherwise, and is published to the reconciler', async () => {
    const env = await h.api<{ id: string; driftPolicy: string }>('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'dev', kind: 'tenant' });
    expect(env.status).toBe(201);
    expect(env.body.driftPolicy).toBe('report');
    expect(await published(env.body.id)).toBe('report');
  });

  it('is set at creation and changed by an update, each change audited with before and after', async () => {
    const env = await h.api<{ id: string; driftPolicy: string }>('POST', `/api/v1/tenants/${tenant}/environments`, {
      name: 'prod',
      kind: 'tenant',
      driftPolicy: 'correct',
    });
    expect(env.body.driftPolicy).toBe('correct');
    expect(await published(env.body.id)).toBe('correct');
    const updated = await h.api<{ driftPolicy: string }>('PATCH', `/api/v1/tenants/${tenant}/environments/prod`, { driftPolicy: 'report' });
    expect(updated.status).toBe(200);
    expect(updated.body.driftPolicy).toBe('report');
    expect((await h.api<{ driftPolicy: string }>('GET', `/api/v1/tenants/${tenant}/environments/prod`)).body.driftPolicy).toBe('report');
    expect(await published(env.body.id)).toBe('report');
    expect((await audits(env.body.id)).map((a) => [a.action, a.before?.driftPolicy ?? null, a.after?.driftPolicy ?? null])).toEqual([
      ['created', null, 'correct'],
      ['updated', 'correct', 'report'],
    ]);
  });

  it('refuses a policy it does not know, naming the field, and changes nothing', async () => {
    const env = await h.api<{ id: string }>('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'stage', kind: 'tenant', driftPolicy: 'correct' });
    const before = (await audits(env.body.id)).length;
    for (const bad of ['fix', 'Correct', '', null, 1, ['correct']]) {
      const r = await h.api('PATCH', `/api/v1/tenants/${tenant}/environments/stage`, { driftPolicy: bad });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ code: 'INVALID_INPUT', message: 'driftPolicy: must be one of report, correct', field: 'driftPolicy' });
    }
    const created = await h.api('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'qa', kind: 'tenant', driftPolicy: 'ignore' });
    expect(created.status).toBe(400);
    expect(created.body).toEqual({ code: 'INVALID_INPUT', message: 'driftPolicy: must be one of report, correct', field: 'driftPolicy' });
    expect((await h.api('GET', `/api/v1/tenants/${tenant}/environments/qa`)).status).toBe(404);
    expect(await published(env.body.id)).toBe('correct');
    expect((await audits(env.body.id)).length).toBe(before);
  });
});
