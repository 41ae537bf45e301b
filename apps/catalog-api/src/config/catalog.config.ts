import { GithubPolicy } from '../auth/github-policy.js';
import { parseIssuers } from '../auth/oidc-issuers.js';
import { secretBoxFromConfig } from '../secrets/secret-box.provider.js';
import { busSpec, ConfigError, databaseSpec, httpSpec, isLoopback, logSpec, modeSpec, readConfig, secretsSpec, type ConfigOf, type Env, type Spec } from '@fasit/config';

export const catalogSpec = {
  ...databaseSpec,
  ...busSpec,
  ...httpSpec,
  ...logSpec,
  ...secretsSpec,
  ociInsecureHosts: { env: 'FASIT_OCI_INSECURE_HOSTS', type: 'string', default: '', doc: 'comma-separated registry hosts reached over plain HTTP besides loopback' },
  ociUsername: { env: 'FASIT_OCI_USERNAME', type: 'optional-string' },
  ociPassword: { env: 'FASIT_OCI_PASSWORD', type: 'optional-string' },
  maxBodyBytes: { env: 'FASIT_MAX_BODY_BYTES', type: 'int', default: 1_048_576, min: 1024 },
  grpcHost: { env: 'FASIT_GRPC_HOST', type: 'string', default: '127.0.0.1' },
  grpcPort: { env: 'FASIT_GRPC_PORT', type: 'int', default: 4444, min: -1, max: 65535, doc: 'gRPC management API port; 0 picks a free one, -1 turns it off' },
  // dev: no authentication, every caller is a global admin, loopback only; oidc: bearer tokens (OIDC issuers,
  // GitHub Actions, API tokens). The same variable sets development mode in every service (keys, loopback).
  ...modeSpec,
  oidcIssuers: {
    env: 'FASIT_OIDC_ISSUERS',
    type: 'string',
    default: '[]',
    doc: 'JSON list of trusted OIDC issuers: [{"issuer","audience","jwksUri"?,"subjectClaim"?}]; jwksUri defaults to the issuer\'s discovery document',
  },
  bootstrapAdmins: { env: 'FASIT_BOOTSTRAP_ADMINS', type: 'string', default: '', doc: 'comma-separated OIDC subjects (e-mails) that are global admins' },
  githubIssuer: { env: 'FASIT_GITHUB_OIDC_ISSUER', type: 'string', default: 'https://token.actions.githubusercontent.com' },
  githubJwksUri: { env: 'FASIT_GITHUB_OIDC_JWKS_URI', type: 'optional-string', doc: 'default: <issuer>/.well-known/jwks' },
  githubAudience: { env: 'FASIT_GITHUB_OIDC_AUDIENCE', type: 'optional-string', doc: 'required audience of GitHub Actions tokens (unset: not checked, as the original)' },
  githubOwners: { env: 'FASIT_GITHUB_OWNERS', type: 'string', default: '', doc: 'comma-separated repository owners whose GitHub Actions may create assignments; empty turns GitHub tokens off' },
  githubFeatureRepos: {
    env: 'FASIT_GITHUB_FEATURE_REPOS',
    type: 'string',
    default: '',
    doc: 'optional per-feature repository allow-list: "feature=owner/repo|owner/repo2;feature2=owner/repo3"; features not listed accept any allowed owner',
  },
} as const satisfies Spec;

export type CatalogConfig = ConfigOf<typeof catalogSpec>;
export const CATALOG_CONFIG = Symbol('CATALOG_CONFIG');

export function loadCatalogConfig(env?: Env): CatalogConfig {
  const config = readConfig(catalogSpec, env);
  const problems: string[] = [];
  if (config.authMode === 'dev' && config.grpcPort >= 0 && !isLoopback(config.grpcHost)) {
    problems.push(`FASIT_GRPC_HOST: ${config.grpcHost} is not a loopback address; FASIT_AUTH_MODE=dev listens on loopback only`);
  }
  for (const check of [() => parseIssuers(config.oidcIssuers), () => GithubPolicy.fromConfig(config.githubOwners, config.githubFeatureRepos), () => secretBoxFromConfig(config.secretKeys)]) {
    try {
      check();
    } catch (e) {
      if (e instanceof ConfigError) problems.push(...e.problems);
      else throw e;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

export { isLoopback };
