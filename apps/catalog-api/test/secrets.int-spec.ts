// Secrets at rest: sealed with the configured key, re-sealed by a rotation, unreadable once their key is gone.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@fasit/testing';
import { startHarness, type Harness } from './harness.js';

const k1 = `k1:${randomBytes(32).toString('base64')}`;
const k2 = `k2:${randomBytes(32).toString('base64')}`;
const k3 = `k3:${randomBytes(32).toString('base64')}`;
let db: TestDatabase;
const V = '/api/v1/tenants/sec/environments/dev/values/api_key';

async function withCatalog<T>(keys: string, work: (h: Harness) => Promise<T>): Promise<T> {
  const h = await startHarness({ FASIT_SECRET_KEYS: keys }, { db });
  try {
    return await work(h);
  } finally {
    await h.close();
  }
}

const sealedWith = async (h: Harness) =>
  (
    await h.sql.query<{ encrypted_value: string }>(`SELECT encrypted_value FROM catalog.environment_values WHERE key = 'api_key'`)
  ).rows[0]!.encrypted_value.split('.')[1];

beforeAll(async () => {
  db = await createTestDatabase('catalog');
});

afterAll(async () => {
  await db?.drop();
});

describe('key rotation', () => {
  it('seals with the first key, opens with any configured key, re-seals on rotate', async () => {
    await withCatalog(k1, async (h) => {
      await h.api('POST', '/api/v1/tenants', { name: 'sec' });
      await h.api('POST', '/api/v1/tenants/sec/environments', { name: 'dev', kind: 'tenant' });
      await h.api('PUT', V, { value: 'AKIA-SECRET', secret: true });
      expect(await sealedWith(h)).toBe('k1');
    });
    await withCatalog(`${k2},${k1}`, async (h) => {
      expect((await h.api('GET', `${V}?reveal=true`)).body['value']).toBe('AKIA-SECRET');
      const r = await h.api('POST', '/api/v1/admin/secrets/rotate');
      expect(r.body).toEqual({ activeKey: 'k2', environmentValues: 1, configs: 0 });
      expect(await sealedWith(h)).toBe('k2');
      expect((await h.api('POST', '/api/v1/admin/secrets/rotate')).body).toEqual({ activeKey: 'k2', environmentValues: 0, configs: 0 });
    });
    await withCatalog(k2, async (h) => {
      expect((await h.api('GET', `${V}?reveal=true`)).body['value']).toBe('AKIA-SECRET');
    });
  });

  it('says which key is missing instead of showing garbage', async () => {
    await withCatalog(k3, async (h) => {
      const r = await h.api('GET', `${V}?reveal=true`);
      expect(r.status).toBe(500);
      expect(r.body['message']).toMatch(/"k2"/);
      expect((await h.api('GET', V)).body['value']).toBe('*****');
    });
  });
});
