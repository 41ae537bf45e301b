import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwksVerifier } from './jwt-verifier.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
let server: Server;
let issuer = '';
let fetches = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    fetches++;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ jwks_uri: `${issuer}/keys` }));
    else res.end(JSON.stringify({ keys: [{ ...(publicKey.export({ format: 'jwk' }) as object), kid: 'ed' }] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
function token(claims: object, header: object = { alg: 'EdDSA', kid: 'ed' }): string {
  const data = `${b64(header)}.${b64(claims)}`;
  return `${data}.${sign(null, Buffer.from(data), privateKey).toString('base64url')}`;
}
const now = () => Math.floor(Date.now() / 1000);

describe('JwksVerifier', () => {
  it('verifies through the discovery document and caches the key set', async () => {
    const v = new JwksVerifier();
    const claims = await v.verify(token({ iss: issuer, aud: 'a', exp: now() + 60, sub: 's' }), { issuer, audience: 'a' });
    expect(claims.sub).toBe('s');
    const before = fetches;
    await v.verify(token({ iss: issuer, aud: ['x', 'a'], exp: now() + 60 }), { issuer, audience: 'a' });
    expect(fetches).toBe(before);
  });

  it('refuses alg none, a tampered payload, a future nbf and a missing exp', async () => {
    const v = new JwksVerifier();
    const unsigned = `${b64({ alg: 'none' })}.${b64({ iss: issuer, exp: now() + 60 })}.`;
    await expect(v.verify(unsigned, { issuer })).rejects.toThrow(/algorithm "none"/);
    const [h, , s] = token({ iss: issuer, exp: now() + 60, sub: 'a' }).split('.');
    await expect(v.verify(`${h}.${b64({ iss: issuer, exp: now() + 60, sub: 'admin' })}.${s}`, { issuer })).rejects.toThrow(/signature/);
    await expect(v.verify(token({ iss: issuer, exp: now() + 600, nbf: now() + 300 }), { issuer })).rejects.toThrow(/not valid yet/);
    await expect(v.verify(token({ iss: issuer }), { issuer })).rejects.toThrow(/expired/);
  });

  it('says when the issuer cannot be reached', async () => {
    const v = new JwksVerifier(500);
    await expect(v.verify(token({ iss: 'http://127.0.0.1:1', exp: now() + 60 }), { issuer: 'http://127.0.0.1:1' })).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });
});
