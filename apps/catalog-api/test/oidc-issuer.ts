// A local OIDC issuer for tests: keys generated here, a discovery document, a JWKS, and signed tokens.
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface LocalIssuer {
  url: string;
  /** The issuer's public keys (the attack suite signs HS256 with the RSA one as the secret). */
  publicKeys: { rsa: KeyObject; ec: KeyObject };
  /** Key ids in the JWKS: `<prefix>rsa-1` and `<prefix>ec-1`. */
  kids: { rsa: string; ec: string };
  /** Signs claims with the issuer's key (iss, iat and exp filled in unless given; an hour, so a suite slowed by a loaded machine does not see its tokens expire). */
  token(claims: Record<string, unknown>, options?: { key?: KeyObject; kid?: string; alg?: 'RS256' | 'ES256'; header?: Record<string, unknown> }): string;
  /** How many times the JWKS was fetched. */
  jwksFetches(): number;
  close(): Promise<void>;
}

export interface IssuerOptions {
  /** Key ids start with this (default none): two issuers with distinct prefixes share no key id. */
  kidPrefix?: string;
  /** Publish `alg` in the JWKS (default true). RFC 7517 makes it optional; many issuers leave it out. */
  jwkAlg?: boolean;
}

export async function startIssuer(path = '', options: IssuerOptions = {}): Promise<LocalIssuer> {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const prefix = options.kidPrefix ?? '';
  const kids = { rsa: `${prefix}rsa-1`, ec: `${prefix}ec-1` };
  const withAlg = options.jwkAlg ?? true;
  const keys = [
    { ...(rsa.publicKey.export({ format: 'jwk' }) as object), kid: kids.rsa, ...(withAlg ? { alg: 'RS256' } : {}), use: 'sig' },
    { ...(ec.publicKey.export({ format: 'jwk' }) as object), kid: kids.ec, ...(withAlg ? { alg: 'ES256' } : {}), use: 'sig' },
  ];
  let base = '';
  let fetches = 0;
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === `${path}/.well-known/openid-configuration`) res.end(JSON.stringify({ issuer: base, jwks_uri: `${base}/jwks` }));
    else if (req.url === `${path}/jwks` || req.url === `${path}/.well-known/jwks`) {
      fetches++;
      res.end(JSON.stringify({ keys }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}${path}`;
  return {
    url: base,
    publicKeys: { rsa: rsa.publicKey, ec: ec.publicKey },
    kids,
    token(claims, opts = {}) {
      const alg = opts.alg ?? 'RS256';
      const key = opts.key ?? (alg === 'RS256' ? rsa.privateKey : ec.privateKey);
      const now = Math.floor(Date.now() / 1000);
      const header = { alg, typ: 'JWT', kid: opts.kid ?? (alg === 'RS256' ? kids.rsa : kids.ec), ...opts.header };
      const body = { iss: base, iat: now, exp: now + 3600, jti: randomUUID(), ...claims };
      const data = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(body)).toString('base64url')}`;
      const sig = alg === 'RS256' ? sign('sha256', Buffer.from(data), key) : sign('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' });
      return `${data}.${sig.toString('base64url')}`;
    },
    jwksFetches: () => fetches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
