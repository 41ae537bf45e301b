// Verifies OIDC bearer tokens with `jose` (a maintained JOSE library; the hand-written verifier this replaces
// accepted `alg: "constructor"` with any signature). What jose enforces here:
// - an algorithm allow-list of asymmetric algorithms only, each bound to its key type (an RSA key never verifies
//   an ES256 or HS256 token, a JWKS key that names its `alg` only verifies that one);
// - `crit`: a token naming a critical header extension we do not know is refused;
// - `exp` required, `nbf` honoured, `iat` required and not in the future, all with a minute of clock skew;
// - the issuer's key set fetched from its `jwks_uri` (or the discovery document), cached for ten minutes, fetched
//   again for an unknown key id at most every 30 s (cool-down), with a time-out.
// Our own policy (which issuers, which audiences, which claim names the caller) sits on top, in AuthService.
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { DomainError } from '@fasit/domain';

/** Asymmetric only: a symmetric algorithm would turn a public key into a shared secret. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
export const CLOCK_SKEW_SECONDS = 60;
/** A token issued longer ago than this is refused whatever its `exp` says. */
export const MAX_TOKEN_AGE = '24h';

export interface TokenExpectation {
  issuer: string;
  /** Accepted audiences (any of them); null: the audience is not checked (GitHub, when explicitly turned off). */
  audiences: string[] | null;
  /** The key set; default: the `jwks_uri` of the issuer's discovery document. */
  jwksUri?: string;
}

export interface VerifierOptions {
  timeoutMs?: number;
  cacheMaxAgeMs?: number;
  cooldownMs?: number;
}

const unauthenticated = (message: string) => new DomainError('UNAUTHENTICATED', message);

/** A failure to get the issuer's keys (not the token's fault). */
class KeySetUnavailable extends Error {}

export class OidcVerifier {
  private readonly keySets = new Map<string, JWTVerifyGetKey>();
  private readonly discovered = new Map<string, string>();
  private readonly timeoutMs: number;

  constructor(private readonly options: VerifierOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  /** The verified claims, or UNAUTHENTICATED (the token's fault) / UPSTREAM_* (the issuer could not be asked). */
  async verify(token: string, expect: TokenExpectation): Promise<JWTPayload> {
    const jwksUri = expect.jwksUri ?? (await this.discover(expect.issuer));
    try {
      const { payload } = await jwtVerify(token, this.keySet(jwksUri), {
        algorithms: ACCEPTED_ALGORITHMS,
        issuer: expect.issuer,
        ...(expect.audiences ? { audience: expect.audiences } : {}),
        requiredClaims: ['exp', 'iat'],
        clockTolerance: CLOCK_SKEW_SECONDS,
        maxTokenAge: MAX_TOKEN_AGE,
      });
      return payload;
    } catch (e) {
      throw translate(e, expect.issuer);
    }
  }

  private keySet(uri: string): JWTVerifyGetKey {
    let set = this.keySets.get(uri);
    if (!set) {
      const remote = createRemoteJWKSet(new URL(uri), {
        timeoutDuration: this.timeoutMs,
        cacheMaxAge: this.options.cacheMaxAgeMs ?? 10 * 60_000,
        cooldownDuration: this.options.cooldownMs ?? 30_000,
      });
      set = async (header, token) => {
        try {
          return await remote(header, token);
        } catch (e) {
          if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys || e instanceof errors.JOSENotSupported) throw e;
          throw new KeySetUnavailable(e instanceof errors.JWKSTimeout ? `no answer within ${this.timeoutMs} ms` : (e as Error).message, { cause: e });
        }
      };
      this.keySets.set(uri, set);
    }
    return set;
  }

  private async discover(issuer: string): Promise<string> {
    const known = this.discovered.get(issuer);
    if (known) return known;
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let doc: { jwks_uri?: unknown };
    try {
      const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      doc = (await res.json()) as { jwks_uri?: unknown };
    } catch (e) {
      throw new DomainError('UPSTREAM_UNAVAILABLE', `could not read the discovery document of ${issuer} to verify the token: ${(e as Error).message}`);
    }
    if (typeof doc.jwks_uri !== 'string' || !/^https?:\/\//.test(doc.jwks_uri))
      throw new DomainError('UPSTREAM_ERROR', `the discovery document of ${issuer} has no usable jwks_uri`);
    this.discovered.set(issuer, doc.jwks_uri);
    return doc.jwks_uri;
  }
}

function translate(e: unknown, issuer: string): DomainError {
  if (e instanceof DomainError) return e;
  if (e instanceof KeySetUnavailable) return new DomainError('UPSTREAM_UNAVAILABLE', `could not fetch the keys of ${issuer} to verify the token: ${e.message}`);
  if (e instanceof errors.JWTExpired)
    return unauthenticated(e.claim === 'iat' ? `the token was issued more than ${MAX_TOKEN_AGE} ago` : 'the token has expired');
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'aud') return unauthenticated('the token is not meant for this service (its audience is not accepted)');
    if (e.claim === 'iss') return unauthenticated(`the token's issuer is not "${issuer}"`);
    if (e.claim === 'nbf') return unauthenticated('the token is not valid yet');
    if (e.claim === 'iat') return unauthenticated(e.reason === 'missing' ? 'the token has no "iat" claim' : 'the token was issued in the future');
    return unauthenticated(e.reason === 'missing' ? `the token has no "${e.claim}" claim` : `the token's "${e.claim}" claim is not acceptable`);
  }
  if (e instanceof errors.JWSSignatureVerificationFailed) return unauthenticated("the token signature does not verify against the issuer's keys");
  if (e instanceof errors.JOSEAlgNotAllowed) return unauthenticated(`the token algorithm is not accepted (accepted: ${ACCEPTED_ALGORITHMS.join(', ')})`);
  if (e instanceof errors.JWKSNoMatchingKey) return unauthenticated("no key of the issuer matches the token's key id and algorithm");
  if (e instanceof errors.JOSEError) return unauthenticated(`the token is not valid: ${e.message}`);
  return unauthenticated('the token is not valid');
}
