// Authentication: turns an `Authorization: Bearer …` value into an Actor. API tokens (`fasit_…`) are looked up by
// their hash; JWTs are verified against the issuer they name: GitHub Actions (owner allow-list) or one of the
// configured OIDC issuers (roles from role bindings and the bootstrap admins). In dev mode every caller is the
// local developer with a global admin role.
import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@fasit/domain';
import { LOCAL_DEV_ACTOR, type Actor, type Grant } from '../common/actor.js';
import { CATALOG_CONFIG, type CatalogConfig } from '../settings/catalog.settings.js';
import { decodeJwt, type JWTPayload } from 'jose';
import { ApiTokenRepository } from './api-token.repository.js';
import { GithubPolicy, githubAudiences } from './github-policy.js';
import { RoleBindingRepository } from './role-binding.repository.js';
import { parseIssuers, type OidcIssuer } from './oidc-issuers.js';
import { OidcVerifier } from './oidc-verifier.js';

export const API_TOKEN_PREFIX = 'fasit_';
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

const claim = (claims: Record<string, unknown>, name: string): string => {
  const v = claims[name];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
};

const unauthenticated = (message: string) => new DomainError('UNAUTHENTICATED', message);

/** Longer bearer tokens are refused before anything parses them (real ones are a few KB at most). */
export const MAX_TOKEN_LENGTH = 8192;

/** The claims, unverified: only to pick the issuer to verify against. Never trust them before `verify`. */
function peekClaims(token: string): JWTPayload {
  try {
    return decodeJwt(token);
  } catch {
    throw unauthenticated('the bearer token is neither an API token nor a JWT');
  }
}

@Injectable()
export class AuthService {
  private readonly issuers: OidcIssuer[];
  private readonly admins: Set<string>;
  readonly github: GithubPolicy;
  private readonly verifier = new OidcVerifier();

  constructor(
    private readonly tokens: ApiTokenRepository,
    private readonly bindings: RoleBindingRepository,
    @Inject(CATALOG_CONFIG) private readonly config: CatalogConfig,
  ) {
    this.issuers = parseIssuers(config.oidcIssuers);
    this.admins = new Set(
      config.bootstrapAdmins
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
    this.github = GithubPolicy.fromConfig(config.githubRepositories);
  }

  get devMode(): boolean {
    return this.config.authMode === 'dev';
  }

  /** `authorization` is the raw header value (HTTP header or gRPC metadata). */
  async authenticate(authorization: string | undefined): Promise<Actor> {
    if (this.devMode) return LOCAL_DEV_ACTOR;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) throw unauthenticated('authentication required: send "Authorization: Bearer <token>" (an OIDC token or a Fasit API token)');
    const token = m[1]!;
    if (token.length > MAX_TOKEN_LENGTH) throw unauthenticated(`the bearer token is longer than ${MAX_TOKEN_LENGTH} characters`);
    if (token.startsWith(API_TOKEN_PREFIX)) return this.apiToken(token);
    const claims = peekClaims(token);
    if (this.github.enabled && claims.iss === this.config.githubIssuer) {
      const verified = await this.verifier.verify(token, {
        issuer: this.config.githubIssuer,
        jwksUri: this.config.githubJwksUri ?? `${this.config.githubIssuer.replace(/\/$/, '')}/.well-known/jwks`,
        audiences: this.config.githubAudienceCheck === 'off' ? null : githubAudiences(this.config.githubAudience),
      });
      const repository = claim(verified, 'repository');
      const [owner, repo] = repository.split('/');
      if (!owner || !repo || claim(verified, 'repository_owner').toLowerCase() !== owner.toLowerCase())
        throw unauthenticated("the GitHub token names no repository (or an owner that is not the repository's)");
      this.github.policyOf(repository);
      const runId = claim(verified, 'run_id');
      const sha = claim(verified, 'sha');
      const workflow = claim(verified, 'job_workflow_ref') || claim(verified, 'workflow_ref');
      return {
        name: `${claim(verified, 'actor') || 'unknown'}@${repository}/${runId}`,
        kind: 'github',
        grants: [],
        repository,
        source: { owner, repo, ...(sha ? { ref: sha } : {}), ...(runId ? { runId } : {}), ...(workflow ? { workflow } : {}) },
      };
    }
    const issuer = this.issuers.find((i) => i.issuer === claims.iss);
    if (!issuer) throw unauthenticated(`token issuer "${String(claims.iss).slice(0, 200)}" is not trusted`);
    const verified = await this.verifier.verify(token, {
      issuer: issuer.issuer,
      audiences: [issuer.audience],
      ...(issuer.jwksUri ? { jwksUri: issuer.jwksUri } : {}),
    });
    const subjectValue = verified[issuer.subjectClaim ?? 'email'] ?? verified.sub;
    if (typeof subjectValue !== 'string' || subjectValue === '') throw unauthenticated('the token names no subject');
    return { name: subjectValue, kind: 'user', grants: await this.grantsOf(subjectValue) };
  }

  private async grantsOf(subject: string): Promise<Grant[]> {
    const grants = (await this.bindings.grantsOf(subject)).map((r) => ({ role: r.role, tenant: r.tenant }));
    if (this.admins.has(subject)) grants.push({ role: 'admin', tenant: null });
    return grants;
  }

  /** Looks the token up by its hash; records its use at most once a minute (no write on every request). */
  private async apiToken(token: string): Promise<Actor> {
    const t = await this.tokens.byHash(hashToken(token));
    if (!t) throw unauthenticated('unknown API token');
    if (t.revoked_at) throw unauthenticated(`API token "${t.name}" was revoked`);
    if (t.expires_at && t.expires_at.getTime() < Date.now()) throw unauthenticated(`API token "${t.name}" expired at ${t.expires_at.toISOString()}`);
    if (!t.last_used_at || Date.now() - t.last_used_at.getTime() > 60_000) {
      await this.tokens.touch(t.id);
    }
    return { name: `token:${t.name}`, kind: 'token', grants: [{ role: t.role, tenant: t.tenant }] };
  }
}
