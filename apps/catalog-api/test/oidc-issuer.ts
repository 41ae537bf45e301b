// A local OIDC issuer for tests: keys generated here, a discovery document, a JWKS, and signed tokens.
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface LocalIssuer {
  url: string;
  /** Signs claims with the issuer's key (iss, iat and exp filled in unless given). */
  token(claims: Record<string, unknown>, options?: { key?: KeyObject; kid?: string; alg?: 'RS256' | 'ES256' }): string;
  close(): Promise<void>;
}

export async function startIssuer(path = ''): Promise<LocalIssuer> {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keys = [
    { ...(rsa.publicKey.export({ format: 'jwk' }) as object), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...(ec.publicKey.export({ format: 'jwk' }) as object), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
  let base = '';
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === `${path}/.well-known/openid-configuration`) res.end(JSON.stringify({ issuer: base, jwks_uri: `${base}/jwks` }));
    else if (req.url === `${path}/jwks` || req.url === `${path}/.well-known/jwks`) res.end(JSON.stringify({ keys }));
    else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}${path}`;
  return {
    url: base,
    token(claims, options = {}) {
      const alg = options.alg ?? 'RS256';
      const key = options.key ?? (alg === 'RS256' ? rsa.privateKey : ec.privateKey);
      const now = Math.floor(Date.now() / 1000);
      const header = { alg, typ: 'JWT', kid: options.kid ?? (alg === 'RS256' ? 'rsa-1' : 'ec-1') };
      const body = { iss: base, iat: now, exp: now + 300, jti: randomUUID(), ...claims };
      const data = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(body)).toString('base64url')}`;
      const sig = alg === 'RS256' ? sign('sha256', Buffer.from(data), key) : sign('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' });
      return `${data}.${sig.toString('base64url')}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
