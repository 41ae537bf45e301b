// The verifier against a local issuer (a small HTTP server serving a discovery document and a JWKS whose keys
// this test generates and rotates): key-set caching, the refetch cool-down, rotation, an unreachable issuer.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OidcVerifier } from './oidc-verifier.js';

let server: Server;
let issuer = '';
let jwksFetches = 0;
let published: { kid: string; key: KeyObject }[] = [];
const ed = () => generateKeyPairSync('ed25519');

beforeAll(async () => {
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
    else {
      jwksFetches++;
      res.end(JSON.stringify({ keys: published.map((k) => ({ ...(k.key.export({ format: 'jwk' }) as object), kid: k.kid })) }));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
function token(key: KeyObject, kid: string, claims: object = {}): string {
  const data = `${b64({ alg: 'EdDSA', kid })}.${b64({ iss: issuer, aud: 'a', iat: now(), exp: now() + 60, sub: 's', ...claims })}`;
  return `${data}.${sign(null, Buffer.from(data), key).toString('base64url')}`;
}

describe('OidcVerifier', () => {
  it('verifies through the discovery document and caches the key set', async () => {
    const k1 = ed();
    published = [{ kid: 'k1', key: k1.publicKey }];
    const v = new OidcVerifier();
    expect((await v.verify(token(k1.privateKey, 'k1'), { issuer, audiences: ['a'] })).sub).toBe('s');
    const before = jwksFetches;
    await v.verify(token(k1.privateKey, 'k1', { aud: ['x', 'a'] }), { issuer, audiences: ['a'] });
    expect(jwksFetches).toBe(before);
  });

  it('accepts any of several audiences, and none when the check is off', async () => {
    const k1 = ed();
    published = [{ kid: 'k1', key: k1.publicKey }];
    const v = new OidcVerifier();
    expect((await v.verify(token(k1.privateKey, 'k1', { aud: 'b' }), { issuer, audiences: ['a', 'b'] })).aud).toBe('b');
    await expect(v.verify(token(k1.privateKey, 'k1', { aud: 'c' }), { issuer, audiences: ['a', 'b'] })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/audience/),
    });
    expect((await v.verify(token(k1.privateKey, 'k1', { aud: 'c' }), { issuer, audiences: null })).aud).toBe('c');
  });

  it('a rotated key is fetched once; an unknown key id within the cool-down is not fetched again', async () => {
    const k1 = ed();
    const k2 = ed();
    published = [{ kid: 'k1', key: k1.publicKey }];
    const v = new OidcVerifier({ cooldownMs: 60_000 });
    await v.verify(token(k1.privateKey, 'k1'), { issuer, audiences: ['a'] });
    const before = jwksFetches;
    // the issuer rotates: k2 is new, the cached set (fresh, within the cool-down) does not know it
    published = [
      { kid: 'k1', key: k1.publicKey },
      { kid: 'k2', key: k2.publicKey },
    ];
    await expect(v.verify(token(k2.privateKey, 'k2'), { issuer, audiences: ['a'] })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(v.verify(token(k2.privateKey, 'unknown'), { issuer, audiences: ['a'] })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(jwksFetches).toBe(before);

    const eager = new OidcVerifier({ cooldownMs: 0 });
    await eager.verify(token(k1.privateKey, 'k1'), { issuer, audiences: ['a'] });
    const mid = jwksFetches;
    published = [
      { kid: 'k1', key: k1.publicKey },
      { kid: 'k3', key: k2.publicKey },
    ];
    expect((await eager.verify(token(k2.privateKey, 'k3'), { issuer, audiences: ['a'] })).sub).toBe('s');
    expect(jwksFetches).toBe(mid + 1);
  });

  it("an unreachable issuer is UPSTREAM_UNAVAILABLE (not the caller's fault)", async () => {
    const k1 = ed();
    const v = new OidcVerifier({ timeoutMs: 500 });
    await expect(v.verify(token(k1.privateKey, 'k1'), { issuer: 'http://127.0.0.1:1', audiences: ['a'] })).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
    await expect(v.verify(token(k1.privateKey, 'k1'), { issuer, audiences: ['a'], jwksUri: 'http://127.0.0.1:1/keys' })).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
  });
});
