// The attack suite, authorization: every route of the running app and every gRPC method × callers (no token, no
// grant, viewer, operator, admin of tenant OWN, and the three global roles) × where the thing lives (OWN, OTHER, or
// no tenant). The expected answer comes from this file's own table of who may do what (what docs/security.md
// states), not from the app's policies: 401 without a token, 404 for what the caller cannot see, 403 for a role
// it lacks, 2xx otherwise (each allowed request is prepared so that it succeeds), and nothing written when refused.
// A route the app serves that this table does not list fails the suite.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as grpc from '@grpc/grpc-js';
import { pushChart, type PushedChart } from '@fasit/testing';
import type { FasitClient } from '../../src/grpc/generated/fasit/management/v1/Fasit.js';
import { GRPC_POLICIES, loadManagementProto } from '../../src/grpc/grpc.server.js';
import { createForeignSchemas, startHarness, unique, type Harness, type Obj } from '../harness.js';
import { startIssuer, type LocalIssuer } from '../oidc-issuer.js';
import { declaredRoutes, servedRoutes } from './routes.js';

type Role = 'viewer' | 'operator' | 'admin';
type Where = 'own' | 'other' | 'global';
/** Who may call a route: the role, and where the tenant that counts comes from. */
type Rule =
  | { public: true }
  /** Any authenticated caller (the answer shows only what it sees). */
  | { caller: true }
  /** The role globally. */
  | { global: Role }
  /** The role globally or on any tenant. */
  | { any: Role }
  /** The role on the tenant the thing lives in; a thing without a tenant needs the global role (or is not seen). */
  | { tenant: Role; unseenGlobal?: 403 | 404 };

interface Ctx {
  tenant: string | null;
  where: Where;
  root: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: Obj }>;
}
interface Case {
  rule: Rule;
  /** Builds the request for one cell (with the root token to prepare what it needs); `where` is ignored by rules without a tenant. */
  request: (ctx: Ctx) => Promise<{ path: string; body?: unknown }> | { path: string; body?: unknown };
  /** Where the thing may live, when not every place applies (a body that must name a tenant has no "global" place). */
  places?: Where[];
  /** The answer is an event stream that does not end by itself: an allowed call is judged by its status line, then cut. */
  stream?: true;
}

let h: Harness;
let idp: LocalIssuer;
let chart: PushedChart;
let grpcClient: FasitClient;
const OWN = unique('own');
const OTHER = unique('other');
const ROOT = 'root@example.org';
const tokens: Record<string, string> = {};
const assignments: Record<Where, string> = { own: '', other: '', global: '' };
const envIds: Record<string, string> = {};
const tenantIds: Record<string, string> = {};

const T = (c: Ctx) => `/api/v1/tenants/${c.tenant}`;
const E = (c: Ctx) => `${T(c)}/environments/dev`;
const targetOf = (c: Ctx): Record<string, string> => (c.tenant ? { tenant: c.tenant } : { kind: 'tenant' });
const ensure = async (p: Promise<{ status: number; body: Obj }>, ok: number[] = [200, 201, 204]) => {
  const r = await p;
  if (!ok.includes(r.status)) throw new Error(`preparing the request failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r;
};

/** Every route the app serves, with who may call it and a request that succeeds when allowed. */
const ROUTES: Record<string, Case> = {
  'get /healthz': { rule: { public: true }, request: () => ({ path: '/healthz' }) },
  'get /readyz': { rule: { public: true }, request: () => ({ path: '/readyz' }) },
  'get /metrics': { rule: { public: true }, request: () => ({ path: '/metrics' }) },
  'get /schema/feature.json': { rule: { public: true }, request: () => ({ path: '/schema/feature.json' }) },
  'get /api/v1/openapi.json': { rule: { public: true }, request: () => ({ path: '/api/v1/openapi.json' }) },
  'get /api/v1/docs': { rule: { public: true }, request: () => ({ path: '/api/v1/docs' }) },
  'get /api/v1/whoami': { rule: { caller: true }, request: () => ({ path: '/api/v1/whoami' }) },
  'get /api/v1/console-config': { rule: { public: true }, request: () => ({ path: '/api/v1/console-config' }) },
  'get /api/v1/templates/functions': { rule: { any: 'viewer' }, request: () => ({ path: '/api/v1/templates/functions' }) },
  'get /api/v1/reconciler/dry-run': { rule: { caller: true }, request: () => ({ path: '/api/v1/reconciler/dry-run' }) },
  'post /api/v1/templates/test': {
    rule: { tenant: 'viewer' },
    places: ['own', 'other'],
    request: (c) => ({ path: '/api/v1/templates/test', body: { tenant: c.tenant!, environment: 'dev', template: '{{ .Env.project_id }}' } }),
  },
  'post /api/v1/tokens': {
    rule: { tenant: 'admin', unseenGlobal: 403 },
    request: (c) => ({ path: '/api/v1/tokens', body: { name: unique('t'), role: 'viewer', ...(c.tenant ? { tenant: c.tenant } : {}) } }),
  },
  'get /api/v1/tokens': { rule: { any: 'admin' }, request: () => ({ path: '/api/v1/tokens' }) },
  'delete /api/v1/tokens/{id}': {
    rule: { tenant: 'admin', unseenGlobal: 404 },
    request: async (c) => ({
      path: `/api/v1/tokens/${(await ensure(c.root('POST', '/api/v1/tokens', { name: unique('t'), role: 'viewer', ...(c.tenant ? { tenant: c.tenant } : {}) }))).body['id'] as string}`,
    }),
  },
  'post /api/v1/role-bindings': {
    rule: { tenant: 'admin', unseenGlobal: 403 },
    request: (c) => ({
      path: '/api/v1/role-bindings',
      body: { subject: `${unique('s')}@example.org`, role: 'viewer', ...(c.tenant ? { tenant: c.tenant } : {}) },
    }),
  },
  'get /api/v1/role-bindings': { rule: { any: 'admin' }, request: () => ({ path: '/api/v1/role-bindings' }) },
  'delete /api/v1/role-bindings/{id}': {
    rule: { tenant: 'admin', unseenGlobal: 404 },
    request: async (c) => ({
      path: `/api/v1/role-bindings/${(await ensure(c.root('POST', '/api/v1/role-bindings', { subject: `${unique('s')}@example.org`, role: 'viewer', ...(c.tenant ? { tenant: c.tenant } : {}) }))).body['id'] as string}`,
    }),
  },
  'post /api/v1/tenants': { rule: { global: 'admin' }, request: () => ({ path: '/api/v1/tenants', body: { name: unique('n') } }) },
  'get /api/v1/tenants': { rule: { caller: true }, request: () => ({ path: '/api/v1/tenants' }) },
  'get /api/v1/tenants/{tenant}': { rule: { tenant: 'viewer' }, request: (c) => ({ path: T(c) }) },
  'patch /api/v1/tenants/{tenant}': { rule: { tenant: 'admin' }, request: (c) => ({ path: T(c), body: { description: 'changed' } }) },
  'delete /api/v1/tenants/{tenant}': {
    rule: { global: 'admin' },
    request: async (c) => ({ path: `/api/v1/tenants/${(await ensure(c.root('POST', '/api/v1/tenants', { name: unique('gone') }))).body['name'] as string}` }),
  },
  'post /api/v1/tenants/{tenant}/environments': {
    rule: { tenant: 'admin' },
    request: (c) => ({ path: `${T(c)}/environments`, body: { name: unique('e'), kind: 'tenant' } }),
  },
  'get /api/v1/tenants/{tenant}/environments': { rule: { tenant: 'viewer' }, request: (c) => ({ path: `${T(c)}/environments` }) },
  'get /api/v1/tenants/{tenant}/environments/{env}': { rule: { tenant: 'viewer' }, request: (c) => ({ path: E(c) }) },
  'patch /api/v1/tenants/{tenant}/environments/{env}': { rule: { tenant: 'operator' }, request: (c) => ({ path: E(c), body: { description: unique('d') } }) },
  'delete /api/v1/tenants/{tenant}/environments/{env}': {
    rule: { tenant: 'admin' },
    request: async (c) => {
      const name = unique('e');
      await ensure(c.root('POST', `${T(c)}/environments`, { name, kind: 'tenant' }));
      return { path: `${T(c)}/environments/${name}` };
    },
  },
  'get /api/v1/tenants/{tenant}/environments/{env}/values': { rule: { tenant: 'viewer' }, request: (c) => ({ path: `${E(c)}/values` }) },
  'get /api/v1/tenants/{tenant}/environments/{env}/values/{key}': { rule: { tenant: 'viewer' }, request: (c) => ({ path: `${E(c)}/values/project_id` }) },
  'put /api/v1/tenants/{tenant}/environments/{env}/values/{key}': {
    rule: { tenant: 'operator' },
    request: (c) => ({ path: `${E(c)}/values/${unique('k')}`, body: { value: 1 } }),
  },
  'delete /api/v1/tenants/{tenant}/environments/{env}/values/{key}': {
    rule: { tenant: 'operator' },
    request: async (c) => {
      const key = unique('k');
      await ensure(c.root('PUT', `${E(c)}/values/${key}`, { value: 1 }));
      return { path: `${E(c)}/values/${key}` };
    },
  },
  'get /api/v1/values': { rule: { any: 'viewer' }, request: () => ({ path: '/api/v1/values?key=project_id' }) },
  'post /api/v1/features': { rule: { any: 'operator' }, request: () => ({ path: '/api/v1/features', body: { chart: chart.ref, version: '1.0.0' } }) },
  'get /api/v1/features': { rule: { any: 'viewer' }, request: () => ({ path: '/api/v1/features' }) },
  'get /api/v1/features/{name}': { rule: { any: 'viewer' }, request: () => ({ path: `/api/v1/features/${chart.name}` }) },
  'get /api/v1/features/{name}/versions': { rule: { any: 'viewer' }, request: () => ({ path: `/api/v1/features/${chart.name}/versions` }) },
  'get /api/v1/features/{name}/versions/{version}': { rule: { any: 'viewer' }, request: () => ({ path: `/api/v1/features/${chart.name}/versions/1.0.0` }) },
  'get /api/v1/features/{feature}/config': { rule: { global: 'viewer' }, request: () => ({ path: `/api/v1/features/${chart.name}/config` }) },
  'get /api/v1/features/{feature}/config/{key}': { rule: { global: 'viewer' }, request: () => ({ path: `/api/v1/features/${chart.name}/config/replicas` }) },
  'get /api/v1/features/{feature}/config/{key}/environments': {
    rule: { any: 'viewer' },
    request: () => ({ path: `/api/v1/features/${chart.name}/config/replicas/environments` }),
  },
  'put /api/v1/features/{feature}/config/{key}': {
    rule: { global: 'operator' },
    request: () => ({ path: `/api/v1/features/${chart.name}/config/replicas`, body: { value: 2 } }),
  },
  'delete /api/v1/features/{feature}/config/{key}': {
    rule: { global: 'operator' },
    request: async (c) => {
      await ensure(c.root('PUT', `/api/v1/features/${chart.name}/config/logLevel`, { value: 'debug' }));
      return { path: `/api/v1/features/${chart.name}/config/logLevel` };
    },
  },
  'get /api/v1/tenants/{tenant}/environments/{env}/features/{feature}/config': {
    rule: { tenant: 'viewer' },
    request: (c) => ({ path: `${E(c)}/features/${chart.name}/config` }),
  },
  'get /api/v1/tenants/{tenant}/environments/{env}/features/{feature}/config/{key}': {
    rule: { tenant: 'viewer' },
    request: (c) => ({ path: `${E(c)}/features/${chart.name}/config/replicas` }),
  },
  'put /api/v1/tenants/{tenant}/environments/{env}/features/{feature}/config/{key}': {
    rule: { tenant: 'operator' },
    request: (c) => ({ path: `${E(c)}/features/${chart.name}/config/replicas`, body: { value: 3 } }),
  },
  'delete /api/v1/tenants/{tenant}/environments/{env}/features/{feature}/config/{key}': {
    rule: { tenant: 'operator' },
    request: async (c) => {
      await ensure(c.root('PUT', `${E(c)}/features/${chart.name}/config/logLevel`, { value: 'debug' }));
      return { path: `${E(c)}/features/${chart.name}/config/logLevel` };
    },
  },
  'get /api/v1/tenants/{tenant}/environments/{env}/features': { rule: { tenant: 'viewer' }, request: (c) => ({ path: `${E(c)}/features` }) },
  'get /api/v1/tenants/{tenant}/environments/{env}/features/{feature}': {
    rule: { tenant: 'viewer' },
    request: (c) => ({ path: `${E(c)}/features/${chart.name}` }),
  },
  'get /api/v1/tenants/{tenant}/environments/{env}/features/{feature}/explain': {
    rule: { tenant: 'viewer' },
    request: (c) => ({ path: `${E(c)}/features/${chart.name}/explain` }),
  },
  'get /api/v1/tenants/{tenant}/environments/{env}/features/{feature}/deploys/{diid}/log': {
    rule: { tenant: 'viewer' },
    request: async (c) => {
      // A settled deploy (its stream ends at once), as the dispatcher records it.
      const diid = (
        await h.sql.query<{ diid: string }>(
          `INSERT INTO dispatcher.deploy_statuses (diid, environment_id, feature, assignment_id, feature_version, status, hash) VALUES (gen_random_uuid(), $1, $2, gen_random_uuid(), '1.0.0', 'deployed', 'h') RETURNING diid::text AS diid`,
          [envIds[c.tenant!], chart.name],
        )
      ).rows[0]!.diid;
      return { path: `${E(c)}/features/${chart.name}/deploys/${diid}/log` };
    },
  },
  'post /api/v1/tenants/{tenant}/environments/{env}/features/{feature}/disable': {
    rule: { tenant: 'operator' },
    request: (c) => ({ path: `${E(c)}/features/${chart.name}/disable`, body: { reason: 'matrix' } }),
  },
  'post /api/v1/tenants/{tenant}/environments/{env}/features/{feature}/enable': {
    rule: { tenant: 'operator' },
    request: (c) => ({ path: `${E(c)}/features/${chart.name}/enable` }),
  },
  'post /api/v1/tenants/{tenant}/environments/{env}/features/{feature}/redeploy': {
    rule: { tenant: 'operator' },
    request: async (c) => {
      await ensure(c.root('POST', `${E(c)}/features/${chart.name}/enable`));
      await ensure(c.root('POST', '/api/v1/assignments', { feature: chart.name, version: '1.0.0', target: { tenant: c.tenant!, name: 'dev' } }));
      return { path: `${E(c)}/features/${chart.name}/redeploy` };
    },
  },
  'get /api/v1/tenants/{tenant}/environments/{env}/releases': { rule: { tenant: 'viewer' }, request: (c) => ({ path: `${E(c)}/releases` }) },
  'post /api/v1/tenants/{tenant}/environments/{env}/releases/{name}/uninstall': {
    rule: { tenant: 'operator' },
    request: (c) => ({ path: `${E(c)}/releases/some-release/uninstall` }),
  },
  'post /api/v1/assignments': {
    rule: { tenant: 'operator', unseenGlobal: 403 },
    request: (c) => ({ path: '/api/v1/assignments', body: { feature: chart.name, version: '1.0.0', target: { ...targetOf(c), team: unique('x') } } }),
  },
  'get /api/v1/assignments': { rule: { caller: true }, request: () => ({ path: '/api/v1/assignments' }) },
  'post /api/v1/assignments/preview': {
    rule: { tenant: 'viewer', unseenGlobal: 403 },
    request: (c) => ({ path: '/api/v1/assignments/preview', body: { feature: chart.name, version: '1.0.0', target: targetOf(c) } }),
  },
  'get /api/v1/assignments/{id}': { rule: { tenant: 'viewer', unseenGlobal: 404 }, request: (c) => ({ path: `/api/v1/assignments/${assignments[c.where]}` }) },
  'get /api/v1/assignments/{id}/status': {
    rule: { tenant: 'viewer', unseenGlobal: 404 },
    request: (c) => ({ path: `/api/v1/assignments/${assignments[c.where]}/status` }),
  },
  'get /api/v1/assignments/{id}/status/stream': {
    rule: { tenant: 'viewer', unseenGlobal: 404 },
    stream: true,
    request: (c) => ({ path: `/api/v1/assignments/${assignments[c.where]}/status/stream` }),
  },
  'post /api/v1/assignments/{id}/deactivate': {
    rule: { tenant: 'operator', unseenGlobal: 404 },
    request: async (c) => {
      const made = await ensure(
        c.root('POST', '/api/v1/assignments', { feature: chart.name, version: '1.0.0', target: { ...targetOf(c), team: unique('d') } }),
      );
      return { path: `/api/v1/assignments/${made.body['id'] as string}/deactivate` };
    },
  },
  'post /github/assignment': {
    rule: { tenant: 'operator', unseenGlobal: 403 },
    request: (c) => ({ path: '/github/assignment', body: { chart: chart.ref, version: '1.0.0', target: targetOf(c) } }),
  },
  'post /github/deployment': {
    rule: { tenant: 'operator', unseenGlobal: 403 },
    request: (c) => ({ path: '/github/deployment', body: { chart: chart.ref, version: '1.0.0', target: targetOf(c) } }),
  },
  'get /github/assignment/{id}': { rule: { tenant: 'viewer', unseenGlobal: 404 }, request: (c) => ({ path: `/github/assignment/${assignments[c.where]}` }) },
  'get /github/deployment/{id}': { rule: { tenant: 'viewer', unseenGlobal: 404 }, request: (c) => ({ path: `/github/deployment/${assignments[c.where]}` }) },
  'get /api/v1/audit': { rule: { any: 'viewer' }, request: () => ({ path: '/api/v1/audit' }) },
  'get /api/tenants': { rule: { any: 'viewer' }, request: () => ({ path: '/api/tenants' }) },
  'post /api/v1/admin/secrets/rotate': { rule: { global: 'admin' }, request: () => ({ path: '/api/v1/admin/secrets/rotate' }) },
};

/** The callers: a role on tenant OWN, or globally. */
const CALLERS: { name: string; role: Role | null; global: boolean }[] = [
  { name: 'no grant', role: null, global: false },
  { name: 'viewer of OWN', role: 'viewer', global: false },
  { name: 'operator of OWN', role: 'operator', global: false },
  { name: 'admin of OWN', role: 'admin', global: false },
  { name: 'global viewer', role: 'viewer', global: true },
  { name: 'global operator', role: 'operator', global: true },
  { name: 'global admin', role: 'admin', global: true },
];
const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };
const atLeast = (have: Role | null, need: Role) => have !== null && RANK[have] >= RANK[need];

/** The answer a caller should get for a thing that lives `where` (the specification, written out). */
function expected(rule: Rule, caller: (typeof CALLERS)[number] | null, where: Where): number | '2xx' {
  if ('public' in rule) return '2xx';
  if (caller === null) return 401;
  if ('caller' in rule) return '2xx';
  if ('global' in rule) return caller.global && atLeast(caller.role, rule.global) ? '2xx' : 403;
  if ('any' in rule) return atLeast(caller.role, rule.any) ? '2xx' : 403;
  if (caller.global) return atLeast(caller.role, rule.tenant) ? '2xx' : 403;
  // a tenant-scoped caller of OWN
  if (where === 'other' || caller.role === null) return where === 'global' ? (rule.unseenGlobal ?? 404) : 404;
  if (where === 'global') return rule.unseenGlobal ?? 404;
  return atLeast(caller.role, rule.tenant) ? '2xx' : 403;
}

const methodOf = (route: string) => route.split(' ')[0]!.toUpperCase();
const tenantRule = (rule: Rule) => 'tenant' in rule;
/** Rules without a tenant are checked once; tenant rules in each place (a path tenant has no "global" place). */
function placesOf(route: string, { rule, places }: Case): Where[] {
  if (places) return places;
  if (!tenantRule(rule)) return ['own'];
  return route.includes('{tenant}') ? ['own', 'other'] : ['own', 'other', 'global'];
}

beforeAll(async () => {
  idp = await startIssuer();
  h = await startHarness({
    FASIT_AUTH_MODE: 'oidc',
    FASIT_SECRET_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    FASIT_OIDC_ISSUERS: JSON.stringify([{ issuer: idp.url, audience: 'fasit' }]),
    FASIT_BOOTSTRAP_ADMINS: ROOT,
  });
  await createForeignSchemas(h);
  grpcClient = new (loadManagementProto().fasit.management.v1.Fasit)(h.catalog.grpcAddress!, grpc.credentials.createInsecure());
  chart = await pushChart('demo-feature', { name: unique('matrix'), version: '1.0.0' });
  // Valid for the whole suite: on a busy machine it runs longer than the issuer's default five minutes.
  const exp = Math.floor(Date.now() / 1000) + 3 * 3600;
  tokens['root'] = idp.token({ aud: 'fasit', email: ROOT, exp });
  const root = (method: string, path: string, body?: unknown) => h.api<Obj>(method, path, body, tokens['root']);
  await ensure(root('POST', '/api/v1/features', { chart: chart.ref, version: '1.0.0' }));
  for (const t of [OWN, OTHER]) {
    tenantIds[t] = (await ensure(root('POST', '/api/v1/tenants', { name: t }))).body['id'] as string;
    envIds[t] = (await ensure(root('POST', `/api/v1/tenants/${t}/environments`, { name: 'dev', kind: 'tenant' }))).body['id'] as string;
    await ensure(root('PUT', `/api/v1/tenants/${t}/environments/dev/values/project_id`, { value: `p-${t}` }));
    await ensure(root('PUT', `/api/v1/tenants/${t}/environments/dev/features/${chart.name}/config/replicas`, { value: 1 }));
  }
  await ensure(root('PUT', `/api/v1/features/${chart.name}/config/replicas`, { value: 1 }));
  for (const [where, target] of [
    ['own', { tenant: OWN }],
    ['other', { tenant: OTHER }],
    ['global', { kind: 'tenant' }],
  ] as const) {
    assignments[where] = (await ensure(root('POST', '/api/v1/assignments', { feature: chart.name, version: '1.0.0', target }))).body['id'] as string;
  }
  for (const c of CALLERS) {
    const subject = `${c.name.replace(/\W+/g, '-')}@example.org`;
    if (c.role) await ensure(root('POST', '/api/v1/role-bindings', { subject, role: c.role, ...(c.global ? {} : { tenant: OWN }) }));
    tokens[c.name] = idp.token({ aud: 'fasit', email: subject, exp }, {});
  }
});

afterAll(async () => {
  grpcClient?.close();
  await h?.close();
  await idp?.close();
});

/** GET of an endless event stream: the status, the problem body of a refusal, or the first event of an allowed call (then cut). */
async function openStream(path: string, token: string | undefined): Promise<{ status: number; body: Obj }> {
  const abort = new AbortController();
  const res = await fetch(`${h.catalog.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: abort.signal });
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) return { status: res.status, body: (await res.json()) as Obj };
  const reader = res.body!.getReader();
  const first: unknown = (await reader.read()).value;
  abort.abort();
  await reader.cancel().catch(() => undefined);
  return { status: res.status, body: { firstEvent: new TextDecoder().decode(first as Uint8Array).split('\n')[0] } };
}

const auditCount = async () => (await h.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM catalog.audit`)).rows[0]!.n;

describe('the route table', () => {
  it('lists every route the running app serves, and nothing else', () => {
    expect(Object.keys(ROUTES).sort()).toEqual(servedRoutes(h.catalog.app));
  });

  it('every route the app serves has a declared policy; the public ones say so explicitly', () => {
    const declared = declaredRoutes(h.catalog.app);
    expect([...new Set(declared.map((d) => d.route))].sort()).toEqual(servedRoutes(h.catalog.app));
    expect(declared.filter((d) => d.policy === undefined).map((d) => d.handler)).toEqual([]);
    expect(declared.filter((d) => d.policy?.public).map((d) => d.route)).toEqual(
      Object.keys(ROUTES)
        .filter((r) => 'public' in ROUTES[r]!.rule)
        .sort(),
    );
  });

  it('every gRPC method has a policy', () => {
    expect(Object.keys(GRPC_POLICIES).sort()).toEqual(Object.keys(loadManagementProto().fasit.management.v1.Fasit.service).sort());
  });
});

describe('every route × caller × place, over REST', () => {
  const cells = Object.entries(ROUTES).flatMap(([route, c]) => placesOf(route, c).map((where): [string, Where] => [route, where]));

  it.each(cells)('%s (thing in %s)', async (route, where) => {
    const c = ROUTES[route]!;
    const tenant = where === 'own' ? OWN : where === 'other' ? OTHER : null;
    const ctx: Ctx = { tenant, where, root: (m, p, b) => h.api<Obj>(m, p, b, tokens['root']) };
    const outcomes: string[] = [];
    const wanted: string[] = [];
    for (const caller of [null, ...CALLERS]) {
      const want = expected(c.rule, caller, where);
      const { path, body } = await c.request(ctx);
      const before = await auditCount();
      const token = caller ? tokens[caller.name] : undefined;
      const r = c.stream ? await openStream(path, token) : await h.api<Obj>(methodOf(route), path, body, token);
      const got = r.status >= 200 && r.status < 300 ? '2xx' : r.status;
      const who = caller?.name ?? 'no token';
      outcomes.push(`${who}: ${got}${got === '2xx' || got === want ? '' : ` ${JSON.stringify(r.body).slice(0, 160)}`}`);
      wanted.push(`${who}: ${want}`);
      if (typeof want === 'number') {
        expect([who, r.body]).toMatchObject([who, { code: want === 401 ? 'UNAUTHENTICATED' : want === 403 ? 'FORBIDDEN' : 'NOT_FOUND' }]);
        expect([who, await auditCount()]).toEqual([who, before]);
      }
    }
    expect(outcomes.map((o) => o.split(' {')[0])).toEqual(wanted);
  });
});

describe('every gRPC method × caller × place', () => {
  const call = (method: string, request: object, m: grpc.Metadata) =>
    new Promise<grpc.status>((resolve) => {
      const fn = (grpcClient as unknown as Record<string, (r: object, m: grpc.Metadata, cb: (e: grpc.ServiceError | null) => void) => void>)[method]!;
      fn.call(grpcClient, request, m, (e) => resolve(e ? e.code : grpc.status.OK));
    });
  const env = (w: Where) => envIds[w === 'own' ? OWN : OTHER]!;
  const tid = (w: Where) => tenantIds[w === 'own' ? OWN : OTHER]!;
  const tname = (w: Where) => (w === 'own' ? OWN : OTHER);
  /** The message's optional `tenant`: none for a global token or binding. */
  const scoped = (w: Where) => (w === 'global' ? {} : { tenant: tname(w) });
  const ALL: Where[] = ['own', 'other', 'global'];
  /** A record made by root in that place, for the calls that revoke or delete one. */
  const made = async (path: string, body: Obj) => (await ensure(h.api<Obj>('POST', path, body, tokens['root']))).body['id'] as string;
  const METHODS: Record<string, { rule: Rule; request: (w: Where) => object | Promise<object>; places?: Where[] }> = {
    CreateTenant: { rule: { global: 'admin' }, request: () => ({ name: unique('g') }) },
    GetTenant: { rule: { tenant: 'viewer' }, request: (w) => ({ name: tname(w) }) },
    CreateEnvironment: { rule: { tenant: 'admin' }, request: (w) => ({ tenant_id: tid(w), name: unique('ge'), kind: 'TENANT' }) },
    GetEnvironment: { rule: { tenant: 'viewer' }, request: (w) => ({ tenant_id: tid(w), name: 'dev' }) },
    UpdateEnvironment: { rule: { tenant: 'operator' }, request: (w) => ({ environment_id: env(w), labels: [{ key: 'zone', value: unique('z') }] }) },
    SetEnvironmentValue: { rule: { tenant: 'operator' }, request: (w) => ({ environment_id: env(w), key: unique('gk'), value: Buffer.from('1') }) },
    GetEnvironmentValue: { rule: { tenant: 'viewer' }, request: (w) => ({ environment_id: env(w), key: 'project_id' }) },
    ListEnvironmentValues: { rule: { any: 'viewer' }, request: () => ({ key: 'project_id' }) },
    DeleteEnvironmentValue: { rule: { tenant: 'operator' }, request: (w) => ({ environment_id: env(w), key: 'to-delete' }) },
    IssueApiToken: { rule: { tenant: 'admin', unseenGlobal: 403 }, places: ALL, request: (w) => ({ name: unique('gt'), role: 'VIEWER', ...scoped(w) }) },
    ListApiTokens: { rule: { any: 'admin' }, request: () => ({}) },
    RevokeApiToken: {
      rule: { tenant: 'admin', unseenGlobal: 404 },
      places: ALL,
      request: async (w) => ({ id: await made('/api/v1/tokens', { name: unique('t'), role: 'viewer', ...scoped(w) }) }),
    },
    CreateRoleBinding: {
      rule: { tenant: 'admin', unseenGlobal: 403 },
      places: ALL,
      request: (w) => ({ subject: `${unique('gs')}@example.org`, role: 'VIEWER', ...scoped(w) }),
    },
    ListRoleBindings: { rule: { any: 'admin' }, request: () => ({}) },
    DeleteRoleBinding: {
      rule: { tenant: 'admin', unseenGlobal: 404 },
      places: ALL,
      request: async (w) => ({ id: await made('/api/v1/role-bindings', { subject: `${unique('s')}@example.org`, role: 'viewer', ...scoped(w) }) }),
    },
  };
  const STATUS: Record<number, grpc.status> = { 401: grpc.status.UNAUTHENTICATED, 403: grpc.status.PERMISSION_DENIED, 404: grpc.status.NOT_FOUND };

  it('the table lists every method of the service', () => {
    expect(Object.keys(METHODS).sort()).toEqual(Object.keys(loadManagementProto().fasit.management.v1.Fasit.service).sort());
  });

  const cells = Object.entries(METHODS).flatMap(([method, m]) =>
    ('tenant' in m.rule ? (m.places ?? (['own', 'other'] as Where[])) : (['own'] as Where[])).map((w): [string, Where] => [method, w]),
  );
  it.each(cells)('%s (thing in %s)', async (method, where) => {
    const m = METHODS[method]!;
    const outcomes: string[] = [];
    const wanted: string[] = [];
    for (const caller of [null, ...CALLERS]) {
      if (method === 'DeleteEnvironmentValue')
        await ensure(h.api<Obj>('PUT', `/api/v1/tenants/${tname(where)}/environments/dev/values/to-delete`, { value: 1 }, tokens['root']));
      const want = expected(m.rule, caller, where);
      const meta = new grpc.Metadata();
      if (caller) meta.set('authorization', `Bearer ${tokens[caller.name]}`);
      const got = await call(method, await m.request(where), meta);
      outcomes.push(`${caller?.name ?? 'no token'}: ${got}`);
      wanted.push(`${caller?.name ?? 'no token'}: ${want === '2xx' ? grpc.status.OK : STATUS[want]}`);
    }
    expect(outcomes).toEqual(wanted);
  });
});
