// API tokens and role bindings over the gRPC management API (Terraform), against a real catalog-api: the REST
// routes' policies, service, audit and errors. What gRPC grants or revokes takes effect over REST and gRPC alike; a
// caller without the role is refused with nothing written; bad input is INVALID_ARGUMENT naming the message's field.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as grpc from '@grpc/grpc-js';
import { loadManagementProto } from '../src/grpc/grpc.server.js';
import type { FasitClient } from '../src/grpc/generated/fasit/management/v1/Fasit.js';
import type { ApiToken__Output } from '../src/grpc/generated/fasit/management/v1/ApiToken.js';
import type { RoleBinding__Output } from '../src/grpc/generated/fasit/management/v1/RoleBinding.js';
import { startHarness, unique, type Harness, type Obj, type Rows } from './harness.js';
import { startIssuer, type LocalIssuer } from './oidc-issuer.js';

let h: Harness;
let idp: LocalIssuer;
let client: FasitClient;
const ROOT = 'root@example.org';
const A = unique('acc-a');
const B = unique('acc-b');
const user = (email: string) => idp.token({ aud: 'fasit', email, exp: Math.floor(Date.now() / 1000) + 3600 });

/** One unary call with a bearer token: the answer, or the error's code and details. */
function call<Res>(method: string, req: object, token?: string): Promise<{ ok: Res } | { code: grpc.status; details: string }> {
  const meta = new grpc.Metadata();
  if (token) meta.set('authorization', `Bearer ${token}`);
  return new Promise((resolve) => {
    const fn = (client as unknown as Record<string, (r: object, m: grpc.Metadata, cb: (e: grpc.ServiceError | null, r?: Res) => void) => void>)[method]!;
    fn.call(client, req, meta, (e, r) => resolve(e ? { code: e.code, details: e.details } : { ok: r! }));
  });
}
async function ok<Res>(method: string, req: object, token?: string): Promise<Res> {
  const r = await call<Res>(method, req, token);
  if (!('ok' in r)) throw new Error(`${method} failed: ${grpc.status[r.code]} ${r.details}`);
  return r.ok;
}

/** Rows that a refused call must leave as they were. */
const written = async () =>
  (
    await h.sql.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM catalog.api_tokens) || '/' || (SELECT count(*) FROM catalog.role_bindings) || '/' || (SELECT count(*) FROM catalog.audit) AS n`,
    )
  ).rows[0]!.n;

beforeAll(async () => {
  idp = await startIssuer();
  h = await startHarness({
    FASIT_AUTH_MODE: 'oidc',
    FASIT_SECRET_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    FASIT_OIDC_ISSUERS: JSON.stringify([{ issuer: idp.url, audience: 'fasit' }]),
    FASIT_BOOTSTRAP_ADMINS: ROOT,
  });
  client = new (loadManagementProto().fasit.management.v1.Fasit)(h.catalog.grpcAddress!, grpc.credentials.createInsecure());
  for (const t of [A, B]) expect((await h.api('POST', '/api/v1/tenants', { name: t }, user(ROOT))).status).toBe(201);
});

afterAll(async () => {
  client?.close();
  await h?.close();
  await idp?.close();
});

describe('API tokens over gRPC', () => {
  it('a token issued over gRPC is shown once, hashed at rest, works over REST and gRPC, and is listed and audited like a REST one', async () => {
    const issued = await ok<{ api_token: ApiToken__Output; token: string }>(
      'IssueApiToken',
      { name: 'terraform-a', role: 'OPERATOR', tenant: A, expires_in_days: 30 },
      user(ROOT),
    );
    expect(issued.api_token).toMatchObject({ name: 'terraform-a', role: 'OPERATOR', tenant: A, created_by: ROOT, revoked_at: '', last_used_at: '' });
    expect(issued.token).toMatch(/^fasit_/);
    const days = (Date.parse(issued.api_token.expires_at) - Date.parse(issued.api_token.created_at)) / 86_400_000;
    expect(Math.round(days)).toBe(30);
    // Only the SHA-256 is stored.
    const stored = await h.sql.query<{ token_hash: string }>(`SELECT token_hash FROM catalog.api_tokens WHERE id = $1`, [issued.api_token.id]);
    expect(JSON.stringify(stored.rows)).not.toContain(issued.token);

    // The token is an operator of A: over REST ...
    expect((await h.api<Obj>('GET', '/api/v1/whoami', undefined, issued.token)).body).toMatchObject({
      name: 'token:terraform-a',
      grants: [{ role: 'operator', tenant: A }],
    });
    expect((await h.api('POST', `/api/v1/tenants/${A}/environments`, { name: 'dev', kind: 'tenant' }, user(ROOT))).status).toBe(201);
    expect((await h.api('PUT', `/api/v1/tenants/${A}/environments/dev/values/project_id`, { value: 'p-a' }, issued.token)).status).toBe(200);
    // ... and over gRPC, where it is not an admin.
    expect((await ok<{ tenant: { name: string } }>('GetTenant', { name: A }, issued.token)).tenant.name).toBe(A);
    expect(await call('IssueApiToken', { name: 'escalate', role: 'ADMIN', tenant: A }, issued.token)).toEqual({
      code: grpc.status.PERMISSION_DENIED,
      details: `token:terraform-a may not do this: it needs admin on tenant "${A}"`,
    });

    // A global token without a tenant; the list (newest first) is the REST list.
    const global = await ok<{ api_token: ApiToken__Output }>('IssueApiToken', { name: 'terraform-global', role: 'VIEWER' }, user(ROOT));
    expect(global.api_token).toMatchObject({ tenant: '', role: 'VIEWER' });
    const listed = await ok<{ api_tokens: ApiToken__Output[] }>('ListApiTokens', {}, user(ROOT));
    expect(listed.api_tokens.map((t) => t.name)).toEqual(['terraform-global', 'terraform-a']);
    expect(listed.api_tokens[1]!.last_used_at).not.toBe('');
    const rest = await h.api<Rows>('GET', '/api/v1/tokens', undefined, user(ROOT));
    expect(rest.body.map((t) => t['id'])).toEqual(listed.api_tokens.map((t) => t.id));
    expect(JSON.stringify(listed)).not.toContain(issued.token);

    const audit = await h.api<Rows>('GET', '/api/v1/audit?limit=1000', undefined, user(ROOT));
    expect(audit.body.filter((e) => e['objectType'] === 'api_token').map((e) => [e['actor'], e['description']])).toEqual(
      expect.arrayContaining([
        [ROOT, `issued API token terraform-a (operator on ${A})`],
        [ROOT, 'issued API token terraform-global (viewer, global)'],
      ]),
    );
    expect(JSON.stringify(audit.body)).not.toContain(issued.token);
  });

  it('a token revoked over gRPC is refused at once over REST and gRPC; revoking it again keeps its first revocation time', async () => {
    const issued = await ok<{ api_token: ApiToken__Output; token: string }>('IssueApiToken', { name: 'short-lived', role: 'VIEWER', tenant: A }, user(ROOT));
    expect((await h.api('GET', `/api/v1/tenants/${A}`, undefined, issued.token)).status).toBe(200);
    const revoked = await ok<{ api_token: ApiToken__Output }>('RevokeApiToken', { id: issued.api_token.id }, user(ROOT));
    expect(revoked.api_token).toMatchObject({ id: issued.api_token.id, name: 'short-lived' });
    expect(revoked.api_token.revoked_at).not.toBe('');
    expect((await h.api('GET', `/api/v1/tenants/${A}`, undefined, issued.token)).status).toBe(401);
    expect(await call('GetTenant', { name: A }, issued.token)).toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    const again = await ok<{ api_token: ApiToken__Output }>('RevokeApiToken', { id: issued.api_token.id }, user(ROOT));
    expect(again.api_token.revoked_at).toBe(revoked.api_token.revoked_at);
  });
});

describe('role bindings over gRPC', () => {
  it('a binding made over gRPC gives the OIDC subject its role; a tenant admin manages only its tenant; deleting it takes the role away', async () => {
    const alice = `alice-${randomBytes(3).toString('hex')}@example.org`;
    const bob = `bob-${randomBytes(3).toString('hex')}@example.org`;
    expect(await call('GetTenant', { name: A }, user(alice))).toMatchObject({ code: grpc.status.NOT_FOUND });
    const made = await ok<{ role_binding: RoleBinding__Output }>('CreateRoleBinding', { subject: alice, role: 'ADMIN', tenant: A }, user(ROOT));
    expect(made.role_binding).toMatchObject({ subject: alice, role: 'ADMIN', tenant: A, created_by: ROOT });
    expect((await h.api<Obj>('GET', '/api/v1/whoami', undefined, user(alice))).body).toMatchObject({ grants: [{ role: 'admin', tenant: A }] });

    // Alice, admin of A, binds bob as a viewer of A and issues A's tokens, over gRPC.
    const bobBinding = await ok<{ role_binding: RoleBinding__Output }>('CreateRoleBinding', { subject: bob, role: 'VIEWER', tenant: A }, user(alice));
    expect(bobBinding.role_binding).toMatchObject({ subject: bob, role: 'VIEWER', tenant: A, created_by: alice });
    await ok('IssueApiToken', { name: 'alice-ci', role: 'VIEWER', tenant: A }, user(alice));
    expect((await ok<{ tenant: { name: string } }>('GetTenant', { name: A }, user(bob))).tenant.name).toBe(A);
    // Nothing global, and another tenant is not there for her.
    expect(await call('CreateRoleBinding', { subject: bob, role: 'ADMIN' }, user(alice))).toEqual({
      code: grpc.status.PERMISSION_DENIED,
      details: `${alice} may not do this: it needs a global admin role`,
    });
    expect(await call('IssueApiToken', { name: 'elsewhere', role: 'VIEWER', tenant: B }, user(alice))).toEqual({
      code: grpc.status.NOT_FOUND,
      details: `tenant "${B}" not found`,
    });
    // Her lists hold A's only; root's hold everything.
    const hers = await ok<{ role_bindings: RoleBinding__Output[] }>('ListRoleBindings', {}, user(alice));
    expect(hers.role_bindings.map((b) => [b.subject, b.tenant]).sort()).toEqual(
      [
        [alice, A],
        [bob, A],
      ].sort(),
    );
    expect((await ok<{ api_tokens: ApiToken__Output[] }>('ListApiTokens', {}, user(alice))).api_tokens.every((t) => t.tenant === A)).toBe(true);
    expect((await ok<{ role_bindings: RoleBinding__Output[] }>('ListRoleBindings', {}, user(ROOT))).role_bindings.map((b) => b.id)).toEqual(
      (await h.api<Rows>('GET', '/api/v1/role-bindings', undefined, user(ROOT))).body.map((b) => b['id']),
    );

    // A second binding for bob on A is ALREADY_EXISTS; deleting his takes the role away at once.
    expect(await call('CreateRoleBinding', { subject: bob, role: 'OPERATOR', tenant: A }, user(alice))).toEqual({
      code: grpc.status.ALREADY_EXISTS,
      details: `subject: ${bob} already has a role on tenant "${A}"; delete it first`,
    });
    expect((await ok<{ success: boolean }>('DeleteRoleBinding', { id: bobBinding.role_binding.id }, user(alice))).success).toBe(true);
    expect(await call('GetTenant', { name: A }, user(bob))).toMatchObject({ code: grpc.status.NOT_FOUND });
    expect(await call('DeleteRoleBinding', { id: bobBinding.role_binding.id }, user(alice))).toEqual({
      code: grpc.status.NOT_FOUND,
      details: `role binding "${bobBinding.role_binding.id}" not found`,
    });
    const audit = await h.api<Rows>('GET', '/api/v1/audit?limit=1000', undefined, user(ROOT));
    expect(audit.body.filter((e) => e['objectType'] === 'role_binding' && e['actor'] === alice).map((e) => e['description'])).toEqual(
      expect.arrayContaining([`granted viewer to ${bob} on ${A}`, `removed viewer of ${bob}`]),
    );
  });
});

describe('refused over gRPC, nothing written', () => {
  const viewer = `viewer-${randomBytes(3).toString('hex')}@example.org`;
  let globalToken = '';
  let bindingOfB = '';
  beforeAll(async () => {
    await ok('CreateRoleBinding', { subject: viewer, role: 'VIEWER', tenant: A }, user(ROOT));
    globalToken = (await ok<{ api_token: ApiToken__Output }>('IssueApiToken', { name: 'global-one', role: 'ADMIN' }, user(ROOT))).api_token.id;
    bindingOfB = (
      await ok<{ role_binding: RoleBinding__Output }>(
        'CreateRoleBinding',
        { subject: `b-${randomBytes(3).toString('hex')}@example.org`, role: 'VIEWER', tenant: B },
        user(ROOT),
      )
    ).role_binding.id;
  });

  const denied = (who: string, needs: string) => ({ code: grpc.status.PERMISSION_DENIED, details: `${who} may not do this: it needs ${needs}` });
  it.each([
    [
      'a viewer of A issuing a token on A',
      'IssueApiToken',
      () => ({ name: 'mine', role: 'VIEWER', tenant: A }),
      () => denied(viewer, `admin on tenant "${A}"`),
    ],
    ['a viewer of A issuing a global token', 'IssueApiToken', () => ({ name: 'mine', role: 'VIEWER' }), () => denied(viewer, 'a global admin role')],
    ['a viewer of A listing tokens', 'ListApiTokens', () => ({}), () => denied(viewer, 'an admin role on some tenant or globally')],
    [
      'a viewer of A revoking a global token',
      'RevokeApiToken',
      () => ({ id: globalToken }),
      () => ({ code: grpc.status.NOT_FOUND, details: `API token "${globalToken}" not found` }),
    ],
    [
      'a viewer of A binding itself as admin of A',
      'CreateRoleBinding',
      () => ({ subject: viewer, role: 'ADMIN', tenant: A }),
      () => denied(viewer, `admin on tenant "${A}"`),
    ],
    ['a viewer of A listing role bindings', 'ListRoleBindings', () => ({}), () => denied(viewer, 'an admin role on some tenant or globally')],
    [
      'a viewer of A deleting a binding of B',
      'DeleteRoleBinding',
      () => ({ id: bindingOfB }),
      () => ({ code: grpc.status.NOT_FOUND, details: `role binding "${bindingOfB}" not found` }),
    ],
  ])('%s', async (_, method, req, want) => {
    const before = await written();
    expect(await call(method, req(), user(viewer))).toEqual(want());
    expect(await written()).toBe(before);
  });

  it.each([
    ['a token without a role', 'IssueApiToken', () => ({ name: 'x', tenant: A }), 'role: must be VIEWER, OPERATOR or ADMIN (got ROLE_UNSPECIFIED)'],
    ['a role the enum does not have', 'IssueApiToken', () => ({ name: 'x', role: 9, tenant: A }), 'role: must be VIEWER, OPERATOR or ADMIN (got 9)'],
    [
      'a token name with capitals and spaces',
      'IssueApiToken',
      () => ({ name: 'My Token', role: 'VIEWER', tenant: A }),
      'name: token name "My Token": 1-63 lowercase letters, digits, ".", "_" or "-"',
    ],
    [
      'a token for longer than a year',
      'IssueApiToken',
      () => ({ name: 'x', role: 'VIEWER', tenant: A, expires_in_days: 400 }),
      'expires_in_days: 1 to 366, or 0 for 90',
    ],
    ['a negative lifetime', 'IssueApiToken', () => ({ name: 'x', role: 'VIEWER', tenant: A, expires_in_days: -1 }), 'expires_in_days: 1 to 366, or 0 for 90'],
    [
      'an empty tenant (global is no tenant at all)',
      'IssueApiToken',
      () => ({ name: 'x', role: 'VIEWER', tenant: '' }),
      'tenant: empty; leave it out for a global one',
    ],
    ['a binding without a subject', 'CreateRoleBinding', () => ({ role: 'VIEWER', tenant: A }), 'subject: 1 to 320 characters'],
    ['an oversized subject', 'CreateRoleBinding', () => ({ subject: `${'s'.repeat(321)}`, role: 'VIEWER', tenant: A }), 'subject: 1 to 320 characters'],
    [
      'a binding without a role',
      'CreateRoleBinding',
      () => ({ subject: 'x@example.org', tenant: A }),
      'role: must be VIEWER, OPERATOR or ADMIN (got ROLE_UNSPECIFIED)',
    ],
    [
      'NUL in a subject',
      'CreateRoleBinding',
      () => ({ subject: 'x\u0000@example.org', role: 'VIEWER', tenant: A }),
      'subject: contains a NUL character (\\u0000), which cannot be stored',
    ],
  ])('%s: INVALID_ARGUMENT naming the field', async (_, method, req, details) => {
    const before = await written();
    expect(await call(method, req(), user(ROOT))).toEqual({ code: grpc.status.INVALID_ARGUMENT, details });
    expect(await written()).toBe(before);
  });

  it('an unknown tenant, token or binding is NOT_FOUND', async () => {
    const before = await written();
    expect(await call('IssueApiToken', { name: 'x', role: 'VIEWER', tenant: 'no-such-tenant' }, user(ROOT))).toEqual({
      code: grpc.status.NOT_FOUND,
      details: 'tenant "no-such-tenant" not found',
    });
    expect(await call('RevokeApiToken', { id: '00000000-0000-0000-0000-000000000000' }, user(ROOT))).toEqual({
      code: grpc.status.NOT_FOUND,
      details: 'API token "00000000-0000-0000-0000-000000000000" not found',
    });
    expect(await call('DeleteRoleBinding', { id: 'not-a-uuid' }, user(ROOT))).toEqual({
      code: grpc.status.NOT_FOUND,
      details: 'role binding "not-a-uuid" not found',
    });
    expect(await call('ListApiTokens', {})).toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    expect(await written()).toBe(before);
  });
});
