import { GithubPolicy, githubAudiences } from '../auth/github-policy.js';
import { parseIssuers } from '../auth/oidc-issuers.js';
import { webConsoleProblems } from '../web/web-console.js';
import { secretBoxFromConfig } from '../secrets/secret-box.provider.js';
import {
  busSpec,
  ConfigError,
  databaseSpec,
  decisionSpec,
  httpSpec,
  isLoopback,
  logSpec,
  tracingSpec,
  modeSpec,
  readConfig,
  secretsSpec,
  type ConfigOf,
  type Env,
  type Spec,
} from '@fasit/config';

export const catalogSpec = {
  ...databaseSpec,
  ...busSpec,
  ...httpSpec,
  ...logSpec,
  ...tracingSpec,
  ...secretsSpec,
  ...decisionSpec,
  ociRegistries: {
    env: 'FASIT_OCI_REGISTRIES',
    type: 'string',
    default: '',
    doc: 'comma-separated hosts (host or host:port) the catalog may pull charts from, their token services and blob storage included; nothing else is dialled. Empty: loopback only in dev mode, nothing in oidc mode',
  },
  ociInsecureHosts: {
    env: 'FASIT_OCI_INSECURE_HOSTS',
    type: 'string',
    default: '',
    doc: 'comma-separated registry hosts (among FASIT_OCI_REGISTRIES) reached over plain HTTP besides loopback',
  },
  ociUsername: { env: 'FASIT_OCI_USERNAME', type: 'optional-string' },
  ociPassword: { env: 'FASIT_OCI_PASSWORD', type: 'optional-string' },
  maxBodyBytes: { env: 'FASIT_MAX_BODY_BYTES', type: 'int', default: 1_048_576, min: 1024 },
  apiCacheBytes: {
    env: 'FASIT_API_CACHE_BYTES',
    type: 'int',
    default: 67_108_864,
    min: 0,
    doc: 'bytes of serialized answers (assignment status, environment lists) kept per catalog-api process, each under the data version it was built from; 0 keeps none and shares none (every request builds its own answer)',
  },
  instructionSubscriptions: {
    env: 'FASIT_INSTRUCTION_SUBSCRIPTIONS',
    type: 'bool',
    default: true,
    doc: "create each environment's filtered subscription on its instruction shard when it is created, delete it with it (decision 0024); false where nothing pulls them (the benchmark's simulated fleet reads whole shards)",
  },
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
  githubAudience: {
    env: 'FASIT_GITHUB_OIDC_AUDIENCE',
    type: 'optional-string',
    doc: "accepted audiences of GitHub Actions tokens, comma-separated (GitHub's default audience is https://github.com/<owner>); required when FASIT_GITHUB_REPOSITORIES is set",
  },
  githubAudienceCheck: {
    env: 'FASIT_GITHUB_AUDIENCE_CHECK',
    type: 'enum',
    values: ['on', 'off'] as const,
    default: 'on',
    doc: 'off accepts GitHub tokens of any audience (the original did; a token minted for another service then works here): a loud warning at start',
  },
  githubRepositories: {
    env: 'FASIT_GITHUB_REPOSITORIES',
    type: 'string',
    default: '[]',
    doc: 'JSON list of repository policies: [{"repository": "owner/name", "features": [...], "tenants"?: [...], "targets"?: [{label: value}]}]; empty turns GitHub tokens off',
  },
  webRoot: { env: 'FASIT_WEB_ROOT', type: 'optional-string', doc: 'directory of the built web console (apps/web/dist), served at /; unset: the API alone' },
  webOidcAuthority: {
    env: 'FASIT_WEB_OIDC_AUTHORITY',
    type: 'optional-string',
    doc: 'the OIDC issuer the web console signs in with (authorization code + PKCE); must be one of FASIT_OIDC_ISSUERS',
  },
  webOidcClientId: {
    env: 'FASIT_WEB_OIDC_CLIENT_ID',
    type: 'optional-string',
    doc: "the console's public OIDC client id (its ID tokens carry it as audience)",
  },
  webOidcScope: { env: 'FASIT_WEB_OIDC_SCOPE', type: 'string', default: 'openid email profile', doc: 'scopes the console asks for' },
} as const satisfies Spec;

export type CatalogConfig = ConfigOf<typeof catalogSpec>;
export const CATALOG_CONFIG = Symbol('CATALOG_CONFIG');

export function loadCatalogConfig(env?: Env): CatalogConfig {
  const config = readConfig(catalogSpec, env);
  const problems: string[] = [];
  if (config.authMode === 'dev' && config.grpcPort >= 0 && !isLoopback(config.grpcHost)) {
    problems.push(`FASIT_GRPC_HOST: ${config.grpcHost} is not a loopback address; FASIT_AUTH_MODE=dev listens on loopback only`);
  }
  const allowed = ociAllowedHosts(config);
  for (const host of hostList(config.ociInsecureHosts)) {
    if (!allowed.some((a) => a === host || a === host.split(':')[0]))
      problems.push(`FASIT_OCI_INSECURE_HOSTS: ${host} is not in FASIT_OCI_REGISTRIES (plain HTTP only to registries the catalog may reach)`);
  }
  for (const check of [() => parseIssuers(config.oidcIssuers), () => githubProblems(config), () => secretBoxFromConfig(config.secretKeys)]) {
    try {
      check();
    } catch (e) {
      if (e instanceof ConfigError) problems.push(...e.problems);
      else throw e;
    }
  }
  problems.push(...webConsoleProblems(config));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function githubProblems(config: CatalogConfig): void {
  const policy = GithubPolicy.fromConfig(config.githubRepositories);
  if (policy.enabled && config.githubAudienceCheck === 'on' && githubAudiences(config.githubAudience).length === 0) {
    throw new ConfigError([
      "FASIT_GITHUB_OIDC_AUDIENCE: required when FASIT_GITHUB_REPOSITORIES is set (the audience your workflows request; GitHub's default is https://github.com/<owner>); FASIT_GITHUB_AUDIENCE_CHECK=off accepts any audience, which lets a token minted for another service in here",
    ]);
  }
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
const hostList = (value: string): string[] =>
  value
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);

/** The hosts the catalog may dial for charts: FASIT_OCI_REGISTRIES, or in dev mode without it loopback only. */
export function ociAllowedHosts(config: Pick<CatalogConfig, 'ociRegistries' | 'authMode'>): string[] {
  const listed = hostList(config.ociRegistries);
  return listed.length > 0 || config.authMode !== 'dev' ? listed : LOOPBACK_HOSTS;
}

export { isLoopback };
