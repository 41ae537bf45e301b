// The trusted OIDC issuers (FASIT_OIDC_ISSUERS), parsed once at start.
import { ConfigError } from '@fasit/config';

export interface OidcIssuer {
  issuer: string;
  audience: string;
  jwksUri?: string;
  /** The claim naming the caller (default `email`, then `sub`). */
  subjectClaim?: string;
}

export function parseIssuers(json: string): OidcIssuer[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new ConfigError(['FASIT_OIDC_ISSUERS: not JSON']);
  }
  if (
    !Array.isArray(parsed) ||
    parsed.some((i) => typeof i !== 'object' || i === null || typeof (i as OidcIssuer).issuer !== 'string' || typeof (i as OidcIssuer).audience !== 'string')
  ) {
    throw new ConfigError(['FASIT_OIDC_ISSUERS: expected a list of {"issuer": "...", "audience": "...", "jwksUri"?: "...", "subjectClaim"?: "..."}']);
  }
  return parsed as OidcIssuer[];
}
