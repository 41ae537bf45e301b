// The serialized answers kept per data version (`common/answer-cache.ts`): a tenant's environment list and an
// assignment's status are sent as kept bytes with a strong ETag, `If-None-Match` gets a 304, and a change made
// through one catalog-api instance shows in the other's next answer under a new ETag — two instances at once on one
// real PostgreSQL database (each its own HTTP server and cache), with OIDC authentication, so that a caller who may
// not read an answer another caller had kept gets a 404, never the kept body. The decisions and deploy statuses the
// other services write: console-api.int-spec.ts ("the assignment status across replicas").
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pushChart, type PushedChart } from '@fasit/testing';
import { createForeignSchemas, startHarness, unique, type Harness } from './harness.js';
import { startIssuer, type LocalIssuer } from './oidc-issuer.js';

let a: Harness;
let b: Harness;
let idp: LocalIssuer;
let chart: PushedChart;
const A = unique('ca');
const B = unique('cb');
const tokens: Record<string, string> = {};

interface Got {
  status: number;
  etag: string | null;
  text: string;
  cacheControl: string | null;
}

/** A GET as `who`, with an If-None-Match when given; the body as text (the bytes as sent). */
async function get(h: Harness, path: string, who: string, ifNoneMatch?: string): Promise<Got> {
  const res = await fetch(`${h.catalog.url}${path}`, {
    headers: { authorization: `Bearer ${tokens[who]}`, ...(ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {}) },
  });
  return { status: res.status, etag: res.headers.get('etag'), text: await res.text(), cacheControl: res.headers.get('cache-control') };
}
const as = (who: string) => (h: Harness, method: string, path: string, body?: unknown) => h.api(method, path, body, tokens[who]);
const root = as('root');
const list = (t: string) => `/api/v1/tenants/${t}/environments`;
const status = (id: string) => `/api/v1/assignments/${id}/status`;
const environmentsOf = (g: Got) => (JSON.parse(g.text) as { environments: { tenant: string; environment: string; state: string }[] }).environments;
const sample = async (h: Harness, name: string): Promise<number> => {
  const text = await (await fetch(`${h.catalog.url}/metrics`)).text();
  return Number(
    text
      .split('\n')
      .find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
      ?.split(' ')[1] ?? 0,
  );
};
const counted = async (h: Harness, answer: string, result: string) =>
  sample(h, `fasit_api_cache_requests_total{answer="${answer}",result="${result}",service="catalog-api"}`);

const SECRET_KEYS = `k1:${randomBytes(32).toString('base64')}`;
const oidc = () => ({
  FASIT_AUTH_MODE: 'oidc',
  FASIT_HTTP_HOST: '127.0.0.1',
  FASIT_SECRET_KEYS: SECRET_KEYS,
  FASIT_OIDC_ISSUERS: JSON.stringify([{ issuer: idp.url, audience: 'fasit' }]),
  FASIT_BOOTSTRAP_ADMINS: 'root@example.org',
});

beforeAll(async () => {
  idp = await startIssuer();
  a = await startHarness(oidc());
  b = await startHarness(oidc(), { db: a.db });
  // The reconciler's and the dispatcher's views (empty): the status's version reads them.
  await createForeignSchemas(a);
  const user = (email: string) => idp.token({ aud: 'fasit', sub: email.split('@')[0], email });
  tokens['root'] = user('root@example.org');
  for (const t of [A, B]) {
    expect((await root(a, 'POST', '/api/v1/tenants', { name: t })).status).toBe(201);
    for (const name of ['dev', 'prod']) expect((await root(a, 'POST', `${list(t)}`, { name, kind: 'tenant' })).status).toBe(201);
  }
  expect((await root(a, 'POST', '/api/v1/role-bindings', { subject: 'alice@example.org', role: 'operator', tenant: A })).status).toBe(201);
  tokens['alice'] = user('alice@example.org');
  chart = await pushChart('demo-feature', { name: unique('cached'), version: '1.0.0' });
});

afterAll(async () => {
  await b?.close();
  await a?.close();
  await idp?.close();
});

describe("a tenant's environment list", () => {
  it('is the same bytes under one strong ETag on both instances; If-None-Match with it gets a 304 with no body', async () => {
    const first = await get(a, list(A), 'root');
    expect(first.status).toBe(200);
    expect(first.etag).toMatch(/^"[\w-]+"$/);
    expect(first.cacheControl).toBe('private, no-cache');
    expect((JSON.parse(first.text) as { name: string }[]).map((e) => e.name)).toEqual(['dev', 'prod']);
    const hits = await counted(a, 'environment-list', 'hit');
    expect(await get(a, list(A), 'root')).toEqual(first);
    expect(await counted(a, 'environment-list', 'hit')).toBe(hits + 1);
    expect(await get(b, list(A), 'root')).toEqual(first);
    for (const h of [a, b]) expect(await get(h, list(A), 'root', first.etag!)).toMatchObject({ status: 304, etag: first.etag, text: '' });
    expect(await counted(b, 'environment-list', 'not-modified')).toBeGreaterThanOrEqual(1);
    // Another tenant's list, and a filtered list, are other answers.
    expect((await get(a, list(B), 'root')).etag).not.toBe(first.etag);
    expect((await get(a, `${list(A)}?labels=name=dev`, 'root')).etag).not.toBe(first.etag);
  });

  it('shows a change made through the other instance in its next answer, under a new ETag', async () => {
    const before = await get(b, list(A), 'root');
    expect((await root(a, 'PATCH', `${list(A)}/dev`, { labels: { tier: 'gold' } })).status).toBe(200);
    const after = await get(b, list(A), 'root', before.etag!);
    expect(after.status).toBe(200);
    expect(after.etag).not.toBe(before.etag);
    expect((JSON.parse(after.text) as { name: string; labels: Record<string, string> }[]).find((e) => e.name === 'dev')?.labels).toMatchObject({
      tier: 'gold',
    });
    expect((await get(b, `${list(A)}?labels=tier=gold`, 'root')).text).toContain('"name":"dev"');
    // Both instances agree on the new version at once.
    expect(await get(a, list(A), 'root')).toEqual(after);
  });

  it('under concurrent changes through both instances and lists from both, the lists after the last change show every change', async () => {
    const labels = Array.from({ length: 10 }, (_, i) => `c${i}`);
    await Promise.all([
      ...labels.map((l, i) => root(i % 2 === 0 ? a : b, 'PATCH', `${list(A)}/${i % 4 < 2 ? 'dev' : 'prod'}`, { labels: { [l]: 'x' } })),
      ...labels.flatMap(() => [get(a, list(A), 'root'), get(b, list(A), 'root')]),
    ]);
    const [fromA, fromB] = [await get(a, list(A), 'root'), await get(b, list(A), 'root')];
    expect(fromA).toEqual(fromB);
    const listed = JSON.parse(fromA.text) as { name: string; labels: Record<string, string> }[];
    for (const [env, mine] of [
      ['dev', labels.filter((_, i) => i % 4 < 2)],
      ['prod', labels.filter((_, i) => i % 4 >= 2)],
    ] as const)
      expect(Object.keys(listed.find((e) => e.name === env)!.labels)).toEqual(expect.arrayContaining(mine));
  });
});

describe("an assignment's status", () => {
  it('shows a change made through the other instance in its next answer, under a new ETag: disabled, a more specific assignment, deactivated', async () => {
    const x = await root(a, 'POST', '/api/v1/assignments', { chart: chart.ref, version: '1.0.0', target: { tenant: A } });
    expect(x.status).toBe(201);
    const id = (x.body as { id: string }).id;
    const first = await get(b, status(id), 'root');
    expect(first.status).toBe(200);
    expect(first.etag).toMatch(/^"[\w-]+"$/);
    expect(environmentsOf(first).map((e) => e.environment)).toEqual(['dev', 'prod']);
    expect(await get(a, status(id), 'root')).toEqual(first);
    expect(await get(b, status(id), 'root', first.etag!)).toMatchObject({ status: 304, text: '' });
    const seen = [first.etag];
    const next = async () => {
      const g = await get(b, status(id), 'root', seen.at(-1)!);
      expect(g.status).toBe(200);
      expect(g.etag).not.toBe(seen.at(-1));
      seen.push(g.etag);
      expect(await get(a, status(id), 'root')).toEqual(g);
      return environmentsOf(g);
    };

    expect((await root(a, 'POST', `${list(A)}/dev/features/${chart.name}/disable`, { reason: 'maintenance' })).status).toBeLessThan(300);
    expect((await next()).find((e) => e.environment === 'dev')?.state).toBe('DISABLED');
    expect((await root(a, 'POST', `${list(A)}/dev/features/${chart.name}/enable`)).status).toBeLessThan(300);
    // Enabled again: the same data as at first, so the same answer under the same ETag.
    expect((await next()).find((e) => e.environment === 'dev')?.state).not.toBe('DISABLED');
    expect(seen.at(-1)).toBe(first.etag);
    expect((await root(a, 'PATCH', `${list(A)}/prod`, { reconcile: false })).status).toBe(200);
    expect((await next()).find((e) => e.environment === 'prod')?.state).toBe('DISABLED');
    const specific = await root(a, 'POST', '/api/v1/assignments', { chart: chart.ref, version: '1.0.0', target: { tenant: A, name: 'prod' } });
    expect(specific.status).toBe(201);
    expect((await next()).map((e) => e.environment)).toEqual(['dev']);
    expect((await root(a, 'POST', `/api/v1/assignments/${id}/deactivate?confirm=true`)).status).toBe(200);
    expect(await next()).toEqual([]);
  });

  it('is never sent, kept or not, to a caller who may not read it: 404 for the assignment and the list of another tenant', async () => {
    const everywhere = await root(a, 'POST', '/api/v1/assignments', { chart: chart.ref, version: '1.0.0', target: { kind: 'tenant' } });
    expect(everywhere.status).toBe(201);
    const id = (everywhere.body as { id: string }).id;
    const kept = await get(a, status(id), 'root');
    expect(environmentsOf(kept).map((e) => e.tenant)).toEqual(expect.arrayContaining([A, B]));
    const theirs = await get(a, list(B), 'root');
    expect(theirs.status).toBe(200);
    for (const h of [a, b]) {
      // A target without a tenant reaches every tenant: a tenant operator does not see the assignment at all.
      for (const tag of [undefined, kept.etag!, '*']) {
        const r = await get(h, status(id), 'alice', tag);
        expect(r.status).toBe(404);
        expect([kept.etag, theirs.etag]).not.toContain(r.etag);
        expect(r.text).not.toContain(B);
        const l = await get(h, list(B), 'alice', tag === kept.etag ? theirs.etag! : tag);
        expect(l.status).toBe(404);
        expect([kept.etag, theirs.etag]).not.toContain(l.etag);
        expect(l.text).not.toContain('"kind"');
      }
      const anonymous = await fetch(`${h.catalog.url}${list(B)}`, { headers: { 'if-none-match': theirs.etag! } });
      expect(anonymous.status).toBe(401);
    }
    // What alice may read she gets, under an ETag of her own: the status is kept per what the caller sees.
    const own = await root(a, 'POST', '/api/v1/assignments', { chart: chart.ref, version: '1.0.0', target: { tenant: A, name: 'dev' } });
    const ownId = (own.body as { id: string }).id;
    const asRoot = await get(a, status(ownId), 'root');
    const asAlice = await get(a, status(ownId), 'alice');
    expect(asAlice.status).toBe(200);
    expect(asAlice.text).toBe(asRoot.text);
    expect(asAlice.etag).not.toBe(asRoot.etag);
    expect((await get(a, status(ownId), 'alice', asRoot.etag!)).status).toBe(200);
  });
});

describe('the cache', () => {
  it('is bounded by FASIT_API_CACHE_BYTES: the least recently sent answer goes first, counted', async () => {
    const small = await startHarness({ ...oidc(), FASIT_API_CACHE_BYTES: '1200' }, { db: a.db });
    try {
      // B's list and its dev alone, each with its key and bookkeeping (256 bytes an entry), do not fit in 1,200 bytes together.
      const full = await get(small, list(B), 'root');
      const dev = `${list(B)}?labels=name=dev`;
      const one = await get(small, dev, 'root');
      expect(full.text.length + one.text.length + 2 * 256).toBeGreaterThan(1200);
      expect(full.text.length + 400).toBeLessThan(1200);
      expect(await counted(small, 'environment-list', 'miss')).toBe(2);
      expect(await sample(small, 'fasit_api_cache_evictions_total{answer="environment-list",service="catalog-api"}')).toBe(1);
      expect(await sample(small, 'fasit_api_cache_bytes{service="catalog-api"}')).toBeLessThanOrEqual(1200);
      await get(small, dev, 'root'); // kept
      expect(await counted(small, 'environment-list', 'hit')).toBe(1);
      await get(small, list(B), 'root'); // dropped for the newer one: built again (and now dev goes)
      expect(await counted(small, 'environment-list', 'miss')).toBe(3);
      expect(await sample(small, 'fasit_api_cache_evictions_total{answer="environment-list",service="catalog-api"}')).toBe(2);
    } finally {
      await small.close();
    }
  });

  it('builds an answer once for concurrent requests of a new version: one miss, the rest hits', async () => {
    expect((await root(a, 'PATCH', `${list(B)}/prod`, { labels: { burst: 'yes' } })).status).toBe(200);
    const [misses, hits] = [await counted(a, 'environment-list', 'miss'), await counted(a, 'environment-list', 'hit')];
    const answers = await Promise.all(Array.from({ length: 8 }, () => get(a, list(B), 'root')));
    expect(new Set(answers.map((r) => r.text)).size).toBe(1);
    expect(answers[0]!.text).toContain('"burst":"yes"');
    expect(await counted(a, 'environment-list', 'miss')).toBe(misses + 1);
    expect(await counted(a, 'environment-list', 'hit')).toBe(hits + 7);
  });

  it('keeps and shares nothing with FASIT_API_CACHE_BYTES=0, and still answers with the ETag of the version', async () => {
    const none = await startHarness({ ...oidc(), FASIT_API_CACHE_BYTES: '0' }, { db: a.db });
    try {
      const first = await get(none, list(B), 'root');
      expect(await get(none, list(B), 'root')).toEqual(first);
      expect(await counted(none, 'environment-list', 'miss')).toBe(2);
      expect(await counted(none, 'environment-list', 'hit')).toBe(0);
      expect(first.etag).toBe((await get(a, list(B), 'root')).etag);
      expect((await get(none, list(B), 'root', first.etag!)).status).toBe(304);
      // Nor does it share a build between concurrent requests: each builds its own, as without the cache.
      await Promise.all(Array.from({ length: 5 }, () => get(none, list(B), 'root')));
      expect(await counted(none, 'environment-list', 'miss')).toBe(7);
    } finally {
      await none.close();
    }
  });
});
