// Who may do what: OIDC users with role bindings, API tokens, GitHub Actions tokens; tenant boundaries (403/404).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError } from '@fasit/config';
import { pushChart, type PushedChart } from '@fasit/testing';
import { loadCatalogConfig } from '../src/settings/catalog.settings.js';
import { startHarness, unique, type Harness, type Obj, type Rows } from './harness.js';
import { startIssuer, type LocalIssuer } from './oidc-issuer.js';

let h: Harness;
let idp: LocalIssuer;
let gh: LocalIssuer;
let open: PushedChart;
let restricted: PushedChart;
const A = unique('ta');
const B = unique('tb');
const restrictedName = unique('restricted');
const openName = unique('open');
const GHOST = unique('ghost');
const SHA = 'a'.repeat(40);
const tokens: Record<string, string> = {};
const user = (email: string) => idp.token({ aud: 'fasit', sub: email.split('@')[0], email });
const ghToken = (repository: string, extra: Obj = {}) =>
  gh.token({
    aud: 'fasit-ci',
    repository,
    repository_owner: repository.split('/')[0],
    actor: 'octocat',
    run_id: '42',
    sha: SHA,
    job_workflow_ref: `${repository}/.github/workflows/deploy.yml@refs/heads/main`,
    ...extra,
  });

beforeAll(async () => {
  idp = await startIssuer();
  gh = await startIssuer('/gh');
  h = await startHarness({
    FASIT_AUTH_MODE: 'oidc',
    FASIT_HTTP_HOST: '127.0.0.1',
    FASIT_SECRET_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    FASIT_OIDC_ISSUERS: JSON.stringify([{ issuer: idp.url, audience: 'fasit' }]),
    FASIT_BOOTSTRAP_ADMINS: 'root@example.org',
    FASIT_GITHUB_OIDC_ISSUER: gh.url,
    FASIT_GITHUB_OIDC_AUDIENCE: 'https://github.com/acme, fasit-ci',
    FASIT_GITHUB_REPOSITORIES: JSON.stringify([
      { repository: 'nais/some-repo', features: [openName], tenants: [B, GHOST] },
      { repository: 'nais/allowed-repo', features: [restrictedName], targets: [{ tenant: B, name: 'dev' }] },
    ]),
  });
  open = await pushChart('demo-feature', { name: openName, version: '1.0.0' });
  restricted = await pushChart('demo-feature', { name: restrictedName, version: '1.0.0' });
  tokens['root'] = user('root@example.org');
  for (const t of [A, B]) {
    expect((await h.api('POST', '/api/v1/tenants', { name: t }, tokens['root'])).status).toBe(201);
    expect((await h.api('POST', `/api/v1/tenants/${t}/environments`, { name: 'dev', kind: 'tenant' }, tokens['root'])).status).toBe(201);
    await h.api('PUT', `/api/v1/tenants/${t}/environments/dev/values/db_password`, { value: `pw-${t}`, secret: true }, tokens['root']);
  }
  for (const [subject, role, tenant] of [
    ['alice@example.org', 'operator', A],
    ['bob@example.org', 'viewer', undefined],
    ['carol@example.org', 'admin', A],
  ] as const) {
    expect((await h.api('POST', '/api/v1/role-bindings', { subject, role, ...(tenant ? { tenant } : {}) }, tokens['root'])).status).toBe(201);
    tokens[subject.split('@')[0]!] = user(subject);
  }
  tokens['nobody'] = user('nobody@example.org');
});

afterAll(async () => {
  await h?.close();
  await idp?.close();
  await gh?.close();
});

describe('authentication', () => {
  it('refuses calls without a token, but serves the public routes', async () => {
    const r = await h.api('GET', '/api/v1/tenants');
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await h.api('GET', '/healthz')).status).toBe(200);
    expect((await h.api('GET', '/api/v1/openapi.json')).status).toBe(200);
    expect((await h.api('GET', '/schema/feature.json')).status).toBe(200);
  });

  it('refuses forged, expired, foreign and mis-addressed tokens', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const cases: [string, RegExp][] = [
      [idp.token({ aud: 'fasit', email: 'root@example.org' }, { key: stranger }), /signature/],
      [idp.token({ aud: 'fasit', email: 'root@example.org', exp: Math.floor(Date.now() / 1000) - 3600 }), /expired/],
      [idp.token({ aud: 'someone-else', email: 'root@example.org' }), /audience/],
      [idp.token({ aud: 'fasit', email: 'root@example.org', iss: 'https://evil.example' }), /not trusted/],
      ['not-a-token', /neither/],
      ['fasit_unknown', /unknown API token/],
    ];
    for (const [token, message] of cases) {
      const r = await h.api('GET', '/api/v1/tenants', undefined, token);
      expect(r.status).toBe(401);
      expect(r.body.message).toMatch(message);
    }
  });

  it('accepts EC-signed tokens too and says who the caller is', async () => {
    const r = await h.api('GET', '/api/v1/whoami', undefined, idp.token({ aud: 'fasit', email: 'alice@example.org' }, { alg: 'ES256' }));
    expect(r.body).toMatchObject({ name: 'alice@example.org', kind: 'user', grants: [{ role: 'operator', tenant: A }] });
  });
});

describe('roles and tenant boundaries', () => {
  it('a tenant operator sees only its tenant; others do not exist for it', async () => {
    const list = await h.api<Rows>('GET', '/api/v1/tenants', undefined, tokens['alice']);
    expect(list.body.map((t) => t['name'])).toEqual([A]);
    expect((await h.api('GET', `/api/v1/tenants/${B}`, undefined, tokens['alice'])).status).toBe(404);
    expect((await h.api('GET', `/api/v1/tenants/${B}/environments/dev/values`, undefined, tokens['alice'])).status).toBe(404);
    expect((await h.api('PUT', `/api/v1/tenants/${B}/environments/dev/values/x`, { value: 1 }, tokens['alice'])).status).toBe(404);
    const across = await h.api<Rows>('GET', '/api/v1/values?key=db_password', undefined, tokens['alice']);
    expect(across.body.map((v) => v['tenant'])).toEqual([A]);
    // one config key compared across environments: its own tenant's override only, not the global value
    expect([200, 201]).toContain((await h.api('POST', '/api/v1/features', { chart: open.ref, version: '1.0.0' }, tokens['root'])).status);
    await h.api('PUT', `/api/v1/features/${openName}/config/replicas`, { value: 1 }, tokens['root']);
    for (const t of [A, B]) await h.api('PUT', `/api/v1/tenants/${t}/environments/dev/features/${openName}/config/replicas`, { value: 2 }, tokens['root']);
    const config = await h.api<Rows>('GET', `/api/v1/features/${openName}/config/replicas/environments`, undefined, tokens['alice']);
    expect(config.body.map((c) => [c['tenant'], c['environment']])).toEqual([[A, 'dev']]);
    const all = await h.api<Rows>('GET', `/api/v1/features/${openName}/config/replicas/environments`, undefined, tokens['root']);
    expect(all.body.map((c) => c['tenant'])).toEqual([null, ...[A, B].sort()]);
  });

  it('a tenant operator changes values and reveals secrets in its tenant, but may not create environments or tenants', async () => {
    expect((await h.api('PUT', `/api/v1/tenants/${A}/environments/dev/values/x`, { value: 1 }, tokens['alice'])).status).toBe(200);
    expect((await h.api('GET', `/api/v1/tenants/${A}/environments/dev/values/db_password?reveal=true`, undefined, tokens['alice'])).body).toMatchObject({
      value: `pw-${A}`,
    });
    const env = await h.api('POST', `/api/v1/tenants/${A}/environments`, { name: 'prod', kind: 'tenant' }, tokens['alice']);
    expect(env.status).toBe(403);
    expect(env.body).toMatchObject({ code: 'FORBIDDEN' });
    expect((await h.api('POST', '/api/v1/tenants', { name: unique('x') }, tokens['alice'])).status).toBe(403);
    expect((await h.api('DELETE', `/api/v1/tenants/${A}/environments/dev`, undefined, tokens['alice'])).status).toBe(403);
  });

  it('a tenant operator assigns only with a target pinned to its tenant (another tenant does not exist for it), and cannot set global config', async () => {
    const own = await h.api('POST', '/api/v1/assignments', { chart: open.ref, version: '1.0.0', target: { tenant: A } }, tokens['alice']);
    expect(own.status).toBe(201);
    expect((await h.api('POST', '/api/v1/assignments', { chart: open.ref, version: '1.0.0', target: {} }, tokens['alice'])).status).toBe(403);
    expect((await h.api('POST', '/api/v1/assignments', { chart: open.ref, version: '1.0.0', target: { tenant: B } }, tokens['alice'])).status).toBe(404);
    expect((await h.api('PUT', `/api/v1/features/${open.name}/config/replicas`, { value: 2 }, tokens['alice'])).status).toBe(403);
    expect((await h.api('PUT', `/api/v1/tenants/${A}/environments/dev/features/${open.name}/config/replicas`, { value: 2 }, tokens['alice'])).status).toBe(200);
  });

  it('a tenant operator reads only its tenant in the audit log and in assignments', async () => {
    const audit = await h.api<Rows>('GET', '/api/v1/audit?limit=1000', undefined, tokens['alice']);
    expect(audit.body.length).toBeGreaterThan(0);
    const envIds = new Set(audit.body.map((a) => a['environmentId']));
    const aEnv = (await h.api('GET', `/api/v1/tenants/${A}/environments/dev`, undefined, tokens['root'])).body['id'];
    expect([...envIds]).toEqual([aEnv]);
    const everywhere = await h.api<{ id: string }>(
      'POST',
      '/api/v1/assignments',
      { chart: open.ref, version: '1.0.0', target: { kind: 'tenant' } },
      tokens['root'],
    );
    const asRoot = await h.api<{ environments: Rows }>('GET', `/api/v1/assignments/${everywhere.body.id}/status`, undefined, tokens['root']);
    expect(asRoot.body.environments.map((e) => e['tenant']).sort()).toEqual([A, B].sort());
    // a target without a tenant label reaches every tenant: a tenant operator does not see it at all
    expect((await h.api('GET', `/api/v1/assignments/${everywhere.body.id}/status`, undefined, tokens['alice'])).status).toBe(404);
    expect((await h.api('GET', `/api/v1/assignments/${everywhere.body.id}`, undefined, tokens['alice'])).status).toBe(404);
    const listed = await h.api<Rows>('GET', '/api/v1/assignments?limit=1000', undefined, tokens['alice']);
    expect(listed.body.some((a) => a['id'] === everywhere.body.id)).toBe(false);
    expect(listed.body.every((a) => (a['target'] as Obj)['tenant'] === A)).toBe(true);
  });

  it('a global viewer reads everything, changes nothing and reveals nothing', async () => {
    expect((await h.api<Rows>('GET', '/api/v1/tenants', undefined, tokens['bob'])).body.map((t) => t['name']).sort()).toEqual([A, B].sort());
    expect((await h.api('GET', `/api/v1/tenants/${B}/environments/dev/values/db_password`, undefined, tokens['bob'])).body).toMatchObject({ value: '*****' });
    expect((await h.api('GET', `/api/v1/tenants/${B}/environments/dev/values/db_password?reveal=true`, undefined, tokens['bob'])).status).toBe(403);
    expect((await h.api('PUT', `/api/v1/tenants/${B}/environments/dev/values/x`, { value: 1 }, tokens['bob'])).status).toBe(403);
    expect((await h.api('PATCH', `/api/v1/tenants/${B}/environments/dev`, { reconcile: false }, tokens['bob'])).status).toBe(403);
    expect((await h.api('POST', '/api/v1/assignments', { chart: open.ref, version: '1.0.0', target: {} }, tokens['bob'])).status).toBe(403);
    expect((await h.api('POST', '/api/v1/features', { chart: open.ref, version: '1.0.0' }, tokens['bob'])).status).toBe(403);
    expect([200, 201]).toContain((await h.api('POST', '/api/v1/features', { chart: open.ref, version: '1.0.0' }, tokens['alice'])).status);
  });

  it('an authenticated caller without roles sees nothing', async () => {
    expect((await h.api<Rows>('GET', '/api/v1/tenants', undefined, tokens['nobody'])).body).toEqual([]);
    expect((await h.api('GET', '/api/v1/features', undefined, tokens['nobody'])).status).toBe(403);
    expect((await h.api('GET', `/api/v1/tenants/${A}`, undefined, tokens['nobody'])).status).toBe(404);
  });

  it('a tenant admin creates environments and grants roles in its tenant only', async () => {
    expect((await h.api('POST', `/api/v1/tenants/${A}/environments`, { name: 'prod', kind: 'tenant' }, tokens['carol'])).status).toBe(201);
    expect((await h.api('POST', '/api/v1/role-bindings', { subject: 'dave@example.org', role: 'viewer', tenant: A }, tokens['carol'])).status).toBe(201);
    expect((await h.api('POST', '/api/v1/role-bindings', { subject: 'dave@example.org', role: 'viewer', tenant: B }, tokens['carol'])).status).toBe(404);
    expect((await h.api('POST', '/api/v1/role-bindings', { subject: 'dave@example.org', role: 'admin' }, tokens['carol'])).status).toBe(403);
    expect((await h.api('POST', '/api/v1/role-bindings', { subject: 'dave@example.org', role: 'viewer', tenant: A }, tokens['carol'])).status).toBe(409);
    const bindings = await h.api<Rows>('GET', '/api/v1/role-bindings', undefined, tokens['carol']);
    expect(bindings.body.every((b) => b['tenant'] === A)).toBe(true);
  });
});

describe('API tokens', () => {
  it('are shown once, stored hashed, scoped, revocable', async () => {
    const issued = await h.api<{ id: string; token: string }>(
      'POST',
      '/api/v1/tokens',
      { name: 'terraform', role: 'viewer', tenant: A, expiresInDays: 30 },
      tokens['carol'],
    );
    expect(issued.status).toBe(201);
    expect(issued.body.token).toMatch(/^fasit_/);
    const stored = await h.sql.query<{ token_hash: string }>(`SELECT token_hash FROM catalog.api_tokens WHERE id = $1`, [issued.body.id]);
    expect(stored.rows[0]!.token_hash).not.toContain(issued.body.token);
    expect(JSON.stringify((await h.api('GET', '/api/v1/tokens', undefined, tokens['carol'])).body)).not.toContain(issued.body.token);
    expect(JSON.stringify((await h.sql.query(`SELECT before, after FROM catalog.audit`)).rows)).not.toContain(issued.body.token);

    const t = issued.body.token;
    expect((await h.api('GET', `/api/v1/tenants/${A}/environments/dev`, undefined, t)).status).toBe(200);
    expect((await h.api('GET', `/api/v1/tenants/${B}/environments/dev`, undefined, t)).status).toBe(404);
    expect((await h.api('PUT', `/api/v1/tenants/${A}/environments/dev/values/y`, { value: 1 }, t)).status).toBe(403);
    expect((await h.api('GET', '/api/v1/whoami', undefined, t)).body).toMatchObject({ name: 'token:terraform', kind: 'token' });
    const used = await h.api<Rows>('GET', '/api/v1/tokens', undefined, tokens['carol']);
    expect(used.body.find((x) => x['id'] === issued.body.id)!['lastUsedAt']).toEqual(expect.any(String));

    expect((await h.api('DELETE', `/api/v1/tokens/${issued.body.id}`, undefined, tokens['carol'])).body).toMatchObject({ revokedAt: expect.any(String) });
    const revoked = await h.api('GET', `/api/v1/tenants/${A}`, undefined, t);
    expect(revoked.status).toBe(401);
    expect(revoked.body.message).toMatch(/revoked/);
  });

  it('expire', async () => {
    const issued = await h.api<{ id: string; token: string }>('POST', '/api/v1/tokens', { name: 'short', role: 'admin' }, tokens['root']);
    expect((await h.api('GET', '/api/v1/tenants', undefined, issued.body.token)).status).toBe(200);
    await h.sql.query(`UPDATE catalog.api_tokens SET expires_at = now() - interval '1 minute' WHERE id = $1`, [issued.body.id]);
    const r = await h.api('GET', '/api/v1/tenants', undefined, issued.body.token);
    expect(r.status).toBe(401);
    expect(r.body.message).toMatch(/expired/);
  });

  it("cannot be issued beyond the issuer's own scope or with bad input", async () => {
    expect((await h.api('POST', '/api/v1/tokens', { name: 'x', role: 'admin' }, tokens['carol'])).status).toBe(403);
    expect((await h.api('POST', '/api/v1/tokens', { name: 'x', role: 'viewer', tenant: B }, tokens['carol'])).status).toBe(404);
    expect((await h.api('POST', '/api/v1/tokens', { name: 'x', role: 'superuser' }, tokens['root'])).body).toMatchObject({ field: 'role' });
    expect((await h.api('POST', '/api/v1/tokens', { name: 'Bad Name', role: 'viewer' }, tokens['root'])).body).toMatchObject({ field: 'name' });
    expect((await h.api('POST', '/api/v1/tokens', { name: 'x', role: 'viewer', expiresInDays: 1000 }, tokens['root'])).body).toMatchObject({
      field: 'expiresInDays',
    });
  });
});

describe('GitHub Actions', () => {
  const count = async () => (await h.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM catalog.assignments`)).rows[0]!.n;

  it('a repository with a policy assigns its feature within its targets and polls the state', async () => {
    const r = await h.api<{ id: string }>(
      'POST',
      '/github/assignment',
      { chart: open.ref, version: '1.0.0', target: { tenant: B } },
      ghToken('nais/some-repo'),
    );
    expect(r.status).toBe(201);
    expect(Object.keys(r.body)).toEqual(['id']);
    const state = await h.api('GET', `/github/assignment/${r.body.id}`, undefined, ghToken('nais/some-repo'));
    expect(state.body).toEqual({ id: r.body.id, state: expect.stringMatching(/^(UNKNOWN|PENDING)$/) });
  });

  it("records the source the verified token names (repository, commit, run, workflow), not the body's ref", async () => {
    const body = { chart: open.ref, version: '1.0.0', target: { tenant: B, kind: 'tenant' }, ref: { owner: 'evil', repo: 'forged', ref: 'refs/heads/nope' } };
    const r = await h.api<{ id: string }>('POST', '/github/assignment', body, ghToken('nais/some-repo'));
    expect(r.status).toBe(201);
    const a = await h.api('GET', `/api/v1/assignments/${r.body.id}`, undefined, tokens['root']);
    expect(a.body).toMatchObject({
      createdBy: 'octocat@nais/some-repo/42',
      sourceRef: { owner: 'nais', repo: 'some-repo', ref: SHA, runId: '42', workflow: 'nais/some-repo/.github/workflows/deploy.yml@refs/heads/main' },
    });
    const viaApi = await h.api<{ id: string; sourceRef: Obj }>(
      'POST',
      '/api/v1/assignments',
      { chart: open.ref, version: '1.0.0', target: { tenant: B, name: 'dev' }, sourceRef: { owner: 'evil' } },
      ghToken('nais/some-repo'),
    );
    expect(viaApi.status).toBe(201);
    expect(viaApi.body.sourceRef).toMatchObject({ owner: 'nais', repo: 'some-repo', ref: SHA });
  });

  it('a repository assigns only its own features, only within its targets; one without a policy nothing', async () => {
    const before = await count();
    const otherFeature = await h.api(
      'POST',
      '/github/assignment',
      { chart: restricted.ref, version: '1.0.0', target: { tenant: B } },
      ghToken('nais/some-repo'),
    );
    expect(otherFeature.status).toBe(403);
    expect(otherFeature.body).toMatchObject({ code: 'FORBIDDEN', field: 'chart', message: expect.stringMatching(/may not assign feature/) });
    for (const target of [{ tenant: A }, {}, { kind: 'tenant' }]) {
      const beyond = await h.api('POST', '/github/assignment', { chart: open.ref, version: '1.0.0', target }, ghToken('nais/some-repo'));
      expect([JSON.stringify(target), beyond.status, beyond.body['field']]).toEqual([JSON.stringify(target), 403, 'target']);
    }
    expect(
      (await h.api('POST', '/github/assignment', { chart: restricted.ref, version: '1.0.0', target: { tenant: B } }, ghToken('nais/allowed-repo'))).status,
    ).toBe(403);
    expect(
      (await h.api('POST', '/github/assignment', { chart: restricted.ref, version: '1.0.0', target: { tenant: B, name: 'dev' } }, ghToken('nais/allowed-repo')))
        .status,
    ).toBe(201);
    const noPolicy = await h.api('POST', '/github/assignment', { chart: open.ref, version: '1.0.0', target: { tenant: B } }, ghToken('nais/other-repo'));
    expect(noPolicy.status).toBe(403);
    expect(noPolicy.body.message).toMatch(/nais\/other-repo has no policy/);
    expect(await count()).toBe(before + 1);
  });

  it('refuses a target that matches no environment, and a tenant that does not exist, saying so (nothing assigned)', async () => {
    const before = await count();
    const none = await h.api(
      'POST',
      '/github/assignment',
      { chart: open.ref, version: '1.0.0', target: { tenant: B, name: 'nowhere' } },
      ghToken('nais/some-repo'),
    );
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ code: 'INVALID_INPUT', field: 'target', message: expect.stringMatching(/matches no environment; nothing was assigned/) });
    const ghost = await h.api('POST', '/github/assignment', { chart: open.ref, version: '1.0.0', target: { tenant: GHOST } }, ghToken('nais/some-repo'));
    expect(ghost.status).toBe(400);
    expect(ghost.body).toMatchObject({ field: 'target', message: expect.stringMatching(new RegExp(`tenant "${GHOST}" does not exist`)) });
    expect(await count()).toBe(before);
  });

  it('reads only assignments of its own features', async () => {
    const mine = await h.api<{ id: string }>(
      'POST',
      '/github/assignment',
      { chart: open.ref, version: '1.0.0', target: { tenant: B, name: 'dev', kind: 'tenant' } },
      ghToken('nais/some-repo'),
    );
    const theirs = await h.api<{ id: string }>(
      'POST',
      '/api/v1/assignments',
      { chart: restricted.ref, version: '1.0.0', target: { tenant: A } },
      tokens['root'],
    );
    expect((await h.api('GET', `/github/assignment/${theirs.body.id}`, undefined, ghToken('nais/some-repo'))).status).toBe(404);
    expect((await h.api('GET', `/github/deployment/${theirs.body.id}`, undefined, ghToken('nais/some-repo'))).status).toBe(404);
    expect((await h.api('GET', `/api/v1/assignments/${theirs.body.id}`, undefined, ghToken('nais/some-repo'))).status).toBe(404);
    expect((await h.api('GET', `/api/v1/assignments/${theirs.body.id}/status`, undefined, ghToken('nais/some-repo'))).status).toBe(404);
    expect((await h.api('GET', `/api/v1/assignments/${mine.body.id}`, undefined, ghToken('nais/some-repo'))).status).toBe(200);
    const list = await h.api<Rows>('GET', '/api/v1/assignments?limit=1000', undefined, ghToken('nais/some-repo'));
    expect(list.body.length).toBeGreaterThan(0);
    expect(new Set(list.body.map((a) => a['feature']))).toEqual(new Set([openName]));
  });

  it('refuses other audiences, tokens without one, and anything but assignments', async () => {
    expect(
      (await h.api('POST', '/github/assignment', { chart: open.ref, version: '1.0.0', target: { tenant: B } }, ghToken('nais/some-repo', { aud: 'other' })))
        .status,
    ).toBe(401);
    expect(
      (
        await h.api(
          'POST',
          '/github/assignment',
          { chart: open.ref, version: '1.0.0', target: { tenant: B } },
          ghToken('nais/some-repo', { aud: 'https://github.com/acme' }),
        )
      ).status,
    ).toBe(201);
    expect((await h.api('GET', `/api/v1/tenants/${B}/environments/dev/values`, undefined, ghToken('nais/some-repo'))).status).toBe(403);
    expect((await h.api('PUT', `/api/v1/features/${open.name}/config/replicas`, { value: 1 }, ghToken('nais/some-repo'))).status).toBe(403);
    expect(
      (await h.api('POST', '/api/v1/assignments/preview', { feature: open.name, version: '1.0.0', target: { tenant: B } }, ghToken('nais/some-repo'))).status,
    ).toBe(403);
    expect((await h.api('GET', '/api/v1/whoami', undefined, ghToken('nais/some-repo'))).body).toMatchObject({ kind: 'github', repository: 'nais/some-repo' });
  });

  it('the audience is required unless turned off, and turning it off is loud', async () => {
    const repositories = JSON.stringify([{ repository: 'nais/some-repo', features: [openName], tenants: [B] }]);
    expect(() => loadCatalogConfig({ FASIT_GITHUB_REPOSITORIES: repositories })).toThrow(/FASIT_GITHUB_OIDC_AUDIENCE: required/);
    const loose = await startHarness({
      FASIT_AUTH_MODE: 'oidc',
      FASIT_SECRET_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      FASIT_GITHUB_OIDC_ISSUER: gh.url,
      FASIT_GITHUB_AUDIENCE_CHECK: 'off',
      FASIT_GITHUB_REPOSITORIES: repositories,
    });
    try {
      expect(loose.logs.some((l) => l.includes('GitHub Actions tokens of ANY audience are accepted'))).toBe(true);
      expect((await loose.api('GET', '/api/v1/whoami', undefined, ghToken('nais/some-repo', { aud: 'anything' }))).status).toBe(200);
    } finally {
      await loose.close();
    }
  });
});

describe('local development mode', () => {
  it('refuses to listen beyond loopback, and oidc mode needs encryption keys', () => {
    expect(() => loadCatalogConfig({ FASIT_HTTP_HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => loadCatalogConfig({ FASIT_HTTP_HOST: '0.0.0.0' })).toThrow(/loopback/);
    expect(() => loadCatalogConfig({ FASIT_GRPC_HOST: '0.0.0.0' })).toThrow(/FASIT_GRPC_HOST/);
    expect(() => loadCatalogConfig({ FASIT_AUTH_MODE: 'oidc' })).toThrow(/FASIT_SECRET_KEYS/);
    expect(loadCatalogConfig({}).authMode).toBe('dev');
  });
});

describe('configuration problems stop the start, named', () => {
  it('collects every problem of the auth and secrets settings', () => {
    let problems: string[] = [];
    try {
      loadCatalogConfig({ FASIT_OIDC_ISSUERS: '{not json', FASIT_GITHUB_REPOSITORIES: '[{"repository": "nope"}]', FASIT_SECRET_KEYS: 'k:c2hvcnQ=' });
    } catch (e) {
      problems = (e as ConfigError).problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/^FASIT_OIDC_ISSUERS/),
      expect.stringMatching(/^FASIT_GITHUB_REPOSITORIES/),
      expect.stringMatching(/^FASIT_SECRET_KEYS: key "k" is 5 bytes/),
    ]);
  });
});
