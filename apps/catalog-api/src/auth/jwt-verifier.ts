// Verifies OIDC bearer tokens (JWS compact form) against an issuer's JWKS with node:crypto: signature (RS*, PS*,
// ES*, EdDSA), issuer, audience, expiry and not-before (with a little clock skew). Key sets are cached and fetched
// again when a token names a key id the cache does not have (at most every 30 s per issuer).
import { createPublicKey, verify as verifySignature, constants, type JsonWebKey, type KeyObject } from 'node:crypto';
import { DomainError } from '@fasit/domain';

export interface JwtClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  [claim: string]: unknown;
}

const SKEW_SECONDS = 60;
const CACHE_MS = 10 * 60_000;
const REFETCH_MS = 30_000;

const unauthenticated = (message: string) => new DomainError('UNAUTHENTICATED', message);

/** Reads the claims without verifying (to pick the issuer); never trust the result before `verify`. */
export function peekClaims(token: string): JwtClaims {
  const parts = token.split('.');
  if (parts.length !== 3) throw unauthenticated('the bearer token is neither an API token nor a JWT');
  try {
    return JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as JwtClaims;
  } catch {
    throw unauthenticated('the bearer token is not a readable JWT');
  }
}

interface KeySet {
  keys: Map<string | undefined, { key: KeyObject; alg?: string }[]>;
  fetchedAt: number;
}

export class JwksVerifier {
  private readonly cache = new Map<string, KeySet>();
  private readonly discovered = new Map<string, string>();

  constructor(private readonly fetchTimeoutMs = 5000) {}

  async verify(token: string, expect: { issuer: string; audience?: string; jwksUri?: string }): Promise<JwtClaims> {
    const [h, p, s] = token.split('.') as [string, string, string];
    let header: { alg?: string; kid?: string };
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string; kid?: string };
    } catch {
      throw unauthenticated('the token header is not JSON');
    }
    const alg = header.alg ?? '';
    if (!ALGORITHMS[alg]) throw unauthenticated(`token algorithm "${alg}" is not accepted`);
    const jwksUri = expect.jwksUri ?? (await this.discover(expect.issuer));
    const candidates = await this.keysFor(jwksUri, header.kid);
    const data = Buffer.from(`${h}.${p}`);
    const signature = Buffer.from(s, 'base64url');
    const ok = candidates.some((c) => (!c.alg || c.alg === alg) && ALGORITHMS[alg]!(data, c.key, signature));
    if (!ok) throw unauthenticated('the token signature does not verify against the issuer\'s keys');
    const claims = peekClaims(token);
    const now = Date.now() / 1000;
    if (claims.iss !== expect.issuer) throw unauthenticated(`token issuer "${claims.iss}" is not "${expect.issuer}"`);
    if (typeof claims.exp !== 'number' || claims.exp + SKEW_SECONDS < now) throw unauthenticated('the token has expired');
    if (typeof claims.nbf === 'number' && claims.nbf - SKEW_SECONDS > now) throw unauthenticated('the token is not valid yet');
    if (expect.audience !== undefined) {
      const auds = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (!auds.includes(expect.audience)) throw unauthenticated(`the token is not meant for this service (audience "${expect.audience}")`);
    }
    return claims;
  }

  private async discover(issuer: string): Promise<string> {
    const known = this.discovered.get(issuer);
    if (known) return known;
    const doc = (await this.fetchJson(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`)) as { jwks_uri?: string };
    if (typeof doc.jwks_uri !== 'string') throw new DomainError('UPSTREAM_ERROR', `the discovery document of ${issuer} has no jwks_uri`);
    this.discovered.set(issuer, doc.jwks_uri);
    return doc.jwks_uri;
  }

  private async keysFor(uri: string, kid: string | undefined): Promise<{ key: KeyObject; alg?: string }[]> {
    let set = this.cache.get(uri);
    const age = set ? Date.now() - set.fetchedAt : Infinity;
    const missing = set && kid !== undefined && !set.keys.has(kid);
    if (!set || age > CACHE_MS || (missing && age > REFETCH_MS)) {
      set = await this.load(uri);
      this.cache.set(uri, set);
    }
    if (kid === undefined) return [...set.keys.values()].flat();
    return set.keys.get(kid) ?? [];
  }

  private async load(uri: string): Promise<KeySet> {
    const body = (await this.fetchJson(uri)) as { keys?: (JsonWebKey & { kid?: string; alg?: string; use?: string })[] };
    const keys = new Map<string | undefined, { key: KeyObject; alg?: string }[]>();
    for (const jwk of body.keys ?? []) {
      if (jwk.use && jwk.use !== 'sig') continue;
      try {
        const key = createPublicKey({ key: jwk, format: 'jwk' });
        const list = keys.get(jwk.kid) ?? [];
        list.push({ key, ...(jwk.alg ? { alg: jwk.alg } : {}) });
        keys.set(jwk.kid, list);
      } catch {
        // a key this runtime cannot read is skipped; the others still verify
      }
    }
    return { keys, fetchedAt: Date.now() };
  }

  private async fetchJson(url: string): Promise<unknown> {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.fetchTimeoutMs) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return await res.json();
    } catch (e) {
      throw new DomainError('UPSTREAM_UNAVAILABLE', `could not fetch ${url} to verify the token: ${(e as Error).message}`);
    }
  }
}

type Verify = (data: Buffer, key: KeyObject, sig: Buffer) => boolean;
const rsa = (hash: string): Verify => (d, k, s) => verifySignature(hash, d, k, s);
const pss = (hash: string): Verify => (d, k, s) => verifySignature(hash, d, { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, s);
const ec = (hash: string): Verify => (d, k, s) => verifySignature(hash, d, { key: k, dsaEncoding: 'ieee-p1363' }, s);

const ALGORITHMS: Record<string, Verify | undefined> = {
  RS256: rsa('sha256'),
  RS384: rsa('sha384'),
  RS512: rsa('sha512'),
  PS256: pss('sha256'),
  PS384: pss('sha384'),
  PS512: pss('sha512'),
  ES256: ec('sha256'),
  ES384: ec('sha384'),
  ES512: ec('sha512'),
  EdDSA: (d, k, s) => verifySignature(null, d, k, s),
};
