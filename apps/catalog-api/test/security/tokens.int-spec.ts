// The attack suite, tokens: every forged, broken or mis-addressed bearer token is a 401 with problem JSON and a
// `WWW-Authenticate: Bearer` challenge, over REST and gRPC, and nothing is written. Every token claims to be a
// bootstrap admin (the most it could get). The issuer publishes its keys without `alg` (optional in RFC 7517),
// the case in which the hand-written verifier accepted `alg: "constructor"` with a garbage signature.
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as grpc from '@grpc/grpc-js';
import type { FasitClient } from '../../src/grpc/generated/fasit/management/v1/Fasit.js';
import { loadManagementProto } from '../../src/grpc/grpc.server.js';
import { startHarness, unique, type Harness } from '../harness.js';
import { startIssuer, type LocalIssuer } from '../oidc-issuer.js';

let h: Harness;
let idp: LocalIssuer;
let gh: LocalIssuer;
let stranger: LocalIssuer;
let client: FasitClient;
const ROOT = 'root@example.org';
const now = () => Math.floor(Date.now() / 1000);
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
/** A token with any header and claims and the signature given (garbage unless said otherwise). */
const raw = (header: object, claims: object, signature = randomBytes(256).toString('base64url')) => `${b64(header)}.${b64(claims)}.${signature}`;
const rootClaims = () => ({ iss: idp.url, aud: 'fasit', email: ROOT, sub: 'root', iat: now(), exp: now() + 300 });

beforeAll(async () => {
  idp = await startIssuer('', { kidPrefix: 'idp-', jwkAlg: false });
  gh = await startIssuer('/gh', { kidPrefix: 'gh-', jwkAlg: false });
  stranger = await startIssuer('', { kidPrefix: 'stranger-' });
  h = await startHarness({
    FASIT_AUTH_MODE: 'oidc',
    FASIT_SECRET_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    FASIT_OIDC_ISSUERS: JSON.stringify([{ issuer: idp.url, audience: 'fasit' }]),
    FASIT_BOOTSTRAP_ADMINS: ROOT,
    FASIT_GITHUB_OIDC_ISSUER: gh.url,
    FASIT_GITHUB_OIDC_AUDIENCE: 'fasit-ci',
    FASIT_GITHUB_REPOSITORIES: JSON.stringify([{ repository: 'nais/x', features: ['f'], tenants: ['t'] }]),
  });
  client = new (loadManagementProto().fasit.management.v1.Fasit)(h.catalog.grpcAddress!, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client?.close();
  await h?.close();
  await Promise.all([idp?.close(), gh?.close(), stranger?.close()]);
});

/** Every own and inherited property name of a plain object: a lookup table keyed by `alg` must know none of them. */
const objectPropertyNames = [...new Set([...Object.getOwnPropertyNames({}), ...Object.getOwnPropertyNames(Object.prototype)])];

const cases: [string, () => string | undefined][] = [
  ['no token', () => undefined],
  ['garbage', () => 'garbage'],
  ['garbage in three parts', () => 'a.b.c'],
  ['truncated signature', () => idp.token(rootClaims()).slice(0, -12)],
  ['no signature part', () => idp.token(rootClaims()).split('.').slice(0, 2).join('.')],
  ['empty signature', () => `${idp.token(rootClaims()).split('.').slice(0, 2).join('.')}.`],
  [
    'payload swapped under a valid signature',
    () => {
      const [hd, , sig] = idp.token({ ...rootClaims(), email: 'nobody@example.org' }).split('.');
      return `${hd}.${b64(rootClaims())}.${sig}`;
    },
  ],
  ['unknown issuer', () => stranger.token({ ...rootClaims(), iss: stranger.url })],
  ['an untrusted issuer claiming to be the trusted one', () => stranger.token(rootClaims())],
  ['wrong audience', () => idp.token({ ...rootClaims(), aud: 'someone-else' })],
  ['no audience', () => idp.token({ ...rootClaims(), aud: undefined })],
  ['expired', () => idp.token({ ...rootClaims(), iat: now() - 7200, exp: now() - 3600 })],
  ['no expiry', () => idp.token({ ...rootClaims(), exp: undefined })],
  ['not yet valid', () => idp.token({ ...rootClaims(), nbf: now() + 3600 })],
  ['issued in the future', () => idp.token({ ...rootClaims(), iat: now() + 3600 })],
  ['issued more than a day ago (though not expired)', () => idp.token({ ...rootClaims(), iat: now() - 25 * 3600 })],
  ['no issued-at', () => idp.token({ ...rootClaims(), iat: undefined })],
  ['alg: none', () => raw({ alg: 'none', typ: 'JWT' }, rootClaims(), '')],
  ['alg: None', () => raw({ alg: 'None' }, rootClaims(), '')],
  ['no alg', () => raw({ kid: idp.kids.rsa }, rootClaims())],
  [
    'HS256 signed with the RSA public key (PEM) as the secret',
    () => {
      const data = `${b64({ alg: 'HS256', typ: 'JWT', kid: idp.kids.rsa })}.${b64(rootClaims())}`;
      const secret = idp.publicKeys.rsa.export({ type: 'spki', format: 'pem' });
      return `${data}.${createHmac('sha256', secret).update(data).digest('base64url')}`;
    },
  ],
  [
    'HS256 signed with the RSA public key (JWK JSON) as the secret',
    () => {
      const data = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(rootClaims())}`;
      const secret = JSON.stringify(idp.publicKeys.rsa.export({ format: 'jwk' }));
      return `${data}.${createHmac('sha256', secret).update(data).digest('base64url')}`;
    },
  ],
  ...objectPropertyNames.map((name): [string, () => string] => [`alg: "${name}" with a garbage signature`, () => raw({ alg: name, typ: 'JWT' }, rootClaims())]),
  ...objectPropertyNames.map((name): [string, () => string] => [`alg: "${name}" naming an RSA key`, () => raw({ alg: name, kid: idp.kids.rsa }, rootClaims())]),
  ['an EC signature under alg RS256 naming the EC key', () => idp.token(rootClaims(), { alg: 'ES256', header: { alg: 'RS256' } })],
  ['alg ES256 naming the RSA key', () => idp.token(rootClaims(), { alg: 'ES256', kid: idp.kids.rsa })],
  ['alg RS256 naming the EC key', () => idp.token(rootClaims(), { alg: 'RS256', kid: idp.kids.ec })],
  ['kid of another issuer (signed by the GitHub issuer, claiming the trusted one)', () => gh.token(rootClaims(), { kid: gh.kids.rsa })],
  ['kid unknown to the issuer', () => idp.token(rootClaims(), { kid: 'no-such-key' })],
  ['crit with an unknown extension', () => idp.token(rootClaims(), { header: { crit: ['x-fasit-unknown'], 'x-fasit-unknown': true } })],
  ['crit naming a registered header', () => idp.token(rootClaims(), { header: { crit: ['alg'] } })],
  [
    'a GitHub token of an allowed owner with the wrong audience',
    () => gh.token({ aud: 'other', repository: 'nais/x', repository_owner: 'nais', actor: 'octocat', run_id: '1' }),
  ],
  ['a GitHub token without an audience', () => gh.token({ repository: 'nais/x', repository_owner: 'nais', actor: 'octocat', run_id: '1' })],
  ['oversized (10 KB, under the header limit)', () => idp.token({ ...rootClaims(), pad: 'x'.repeat(10_000) })],
  ['unknown API token', () => 'fasit_unknown'],
];

describe('forged and broken tokens over REST', () => {
  it('the positive control: a valid token of the bootstrap admin writes', async () => {
    const r = await h.api('POST', '/api/v1/tenants', { name: unique('ok') }, idp.token(rootClaims()));
    expect(r.status).toBe(201);
  });

  it.each(cases)('%s: 401 with problem JSON and a Bearer challenge, nothing written', async (_, make) => {
    const auditBefore = (await h.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM catalog.audit`)).rows[0]!.n;
    const name = unique('forged');
    const r = await h.api('POST', '/api/v1/tenants', { name }, make());
    expect(r.status).toBe(401);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.any(String) });
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer realm="fasit"/);
    expect((await h.sql.query(`SELECT 1 FROM catalog.tenants WHERE name = $1`, [name])).rowCount).toBe(0);
    expect((await h.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM catalog.audit`)).rows[0]!.n).toBe(auditBefore);
  });

  it('a 1 MB token is refused before anything reads it: 431 with problem JSON (the header limit), nothing written', async () => {
    const name = unique('huge');
    const r = await h.api('POST', '/api/v1/tenants', { name }, idp.token({ ...rootClaims(), pad: 'x'.repeat(1024 * 1024) }));
    expect(r.status).toBe(431);
    expect(r.body).toMatchObject({ code: 'HEADERS_TOO_LARGE' });
    expect((await h.sql.query(`SELECT 1 FROM catalog.tenants WHERE name = $1`, [name])).rowCount).toBe(0);
    expect((await h.api('GET', '/healthz')).status).toBe(200);
  });
});

describe('forged and broken tokens over gRPC', () => {
  const createTenant = (name: string, token: string | undefined) =>
    new Promise<grpc.status>((resolve) => {
      const m = new grpc.Metadata();
      if (token !== undefined) m.set('authorization', `Bearer ${token}`);
      client.CreateTenant({ name }, m, (e) => resolve(e ? e.code : grpc.status.OK));
    });

  it('the positive control: a valid token of the bootstrap admin writes', async () => {
    expect(await createTenant(unique('ok'), idp.token(rootClaims()))).toBe(grpc.status.OK);
  });

  it.each(cases)('%s: UNAUTHENTICATED, nothing written', async (_, make) => {
    const name = unique('forged');
    expect(await createTenant(name, make())).toBe(grpc.status.UNAUTHENTICATED);
    expect((await h.sql.query(`SELECT 1 FROM catalog.tenants WHERE name = $1`, [name])).rowCount).toBe(0);
  });

  it('a 1 MB token: refused, nothing written', async () => {
    const name = unique('huge');
    expect(await createTenant(name, idp.token({ ...rootClaims(), pad: 'x'.repeat(1024 * 1024) }))).not.toBe(grpc.status.OK);
    expect((await h.sql.query(`SELECT 1 FROM catalog.tenants WHERE name = $1`, [name])).rowCount).toBe(0);
  });
});
