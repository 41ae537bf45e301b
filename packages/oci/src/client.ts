import { createHash } from 'node:crypto';
import { parseWwwAuthenticate, type AuthChallenge } from './challenge.js';
import { OciError, type RegistryErrorDetail } from './errors.js';
import { parseChartReference, type ChartReference } from './reference.js';

export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST_MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';

export interface RegistryCredentials {
  username: string;
  password: string;
}

/** Credentials per registry (`host[:port]`), as a map or a lookup function. */
export type CredentialSource = Record<string, RegistryCredentials> | ((registry: string) => RegistryCredentials | undefined);

export interface OciClientOptions {
  /** Basic credentials per registry; also sent to the token service in the bearer flow. Default: anonymous. */
  credentials?: CredentialSource;
  /**
   * Hosts reached over plain HTTP, as `host` (any port) or `host:port`. Default: loopback hosts only
   * (`localhost`, `127.0.0.0/8`, `[::1]`). Everything else uses HTTPS.
   */
  insecureHosts?: string[];
  /**
   * The only hosts the client dials, as `host` (any port) or `host:port`: registries, token services (the realm of
   * a `WWW-Authenticate` challenge) and redirect targets (a registry that stores blobs elsewhere). Anything else is
   * refused with NOT_ALLOWED before a connection is made. Default: no restriction.
   */
  allowedHosts?: string[];
  /** Time-out of each HTTP request, body included, in ms. Default 30 s. */
  timeoutMs?: number;
  /** Largest manifest accepted, in bytes. Default 4 MiB. */
  maxManifestBytes?: number;
  /** Largest blob accepted when a call gives no limit, in bytes. Default 20 MiB. */
  maxBlobBytes?: number;
  /** Largest number of tags `listTags` collects. Default 10,000. */
  maxTags?: number;
  /** Injected `fetch` (default: the global one). */
  fetch?: typeof fetch;
  userAgent?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion: number;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ResolvedManifest {
  reference: ChartReference;
  /** `sha256:<hex>` of the manifest bytes as served: the identity of this chart version. */
  digest: string;
  mediaType: string;
  manifest: ImageManifest;
  /** Manifest bytes as served (their sha256 is `digest`). */
  raw: Buffer;
}

const DEFAULTS = {
  timeoutMs: 30_000,
  maxManifestBytes: 4 * 1024 * 1024,
  maxBlobBytes: 20 * 1024 * 1024,
  maxTags: 10_000,
};
const ERROR_BODY_LIMIT = 64 * 1024;
const MAX_REDIRECTS = 5;
const TOKEN_SAFETY_MARGIN_MS = 10_000;

interface CachedToken {
  token: string;
  expiresAt: number;
}

type Auth = { kind: 'none' } | { kind: 'basic' } | { kind: 'bearer'; challenge: AuthChallenge };

export function isLoopbackHost(registry: string): boolean {
  const host = hostOf(registry);
  return host === 'localhost' || /^127(?:\.\d{1,3}){3}$/.test(host) || host === '[::1]';
}

function hostOf(registry: string): string {
  return registry.startsWith('[') ? registry.slice(0, registry.indexOf(']') + 1) : (registry.split(':')[0] ?? registry);
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/** Parses the `Link` header of a paginated listing and returns the `rel="next"` target, if any. */
export function parseNextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (m && /;\s*rel="?next"?/i.test(m[2] ?? '')) return m[1];
  }
  return undefined;
}

/** Reads a response body, refusing more than `maxBytes` (checked against Content-Length and while streaming). */
async function readLimited(response: Response, maxBytes: number, what: string): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new OciError('TOO_LARGE', `${what} is ${declared} bytes, more than the limit of ${maxBytes}`);
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new OciError('TOO_LARGE', `${what} is more than the limit of ${maxBytes} bytes`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks, total);
}

function digestOf(algorithm: string, data: Buffer): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

function verifyDigest(expected: string, data: Buffer, what: string): void {
  const algorithm = expected.slice(0, expected.indexOf(':'));
  if (algorithm !== 'sha256' && algorithm !== 'sha512') {
    throw new OciError('DIGEST_MISMATCH', `${what}: unsupported digest algorithm "${algorithm}"`);
  }
  const actual = digestOf(algorithm, data);
  if (actual !== expected) {
    throw new OciError('DIGEST_MISMATCH', `${what}: expected ${expected}, got ${actual}`);
  }
}

/**
 * A small OCI distribution client over `fetch`: manifests, blobs and tag lists, with anonymous, basic and
 * bearer-token authentication. One instance caches tokens per (registry, scope); share it.
 */
export class OciClient {
  private readonly options: Required<Omit<OciClientOptions, 'credentials' | 'insecureHosts' | 'allowedHosts' | 'fetch' | 'userAgent'>>;
  private readonly fetchImpl: typeof fetch;
  private readonly insecureHosts: string[] | undefined;
  private readonly allowedHosts: ReadonlySet<string> | undefined;
  private readonly credentials: CredentialSource | undefined;
  private readonly userAgent: string;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pendingTokens = new Map<string, Promise<string>>();
  /** What each registry asked for last time, so later requests authenticate up front. */
  private readonly registryAuth = new Map<string, Auth>();

  constructor(options: OciClientOptions = {}) {
    this.options = {
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      maxManifestBytes: options.maxManifestBytes ?? DEFAULTS.maxManifestBytes,
      maxBlobBytes: options.maxBlobBytes ?? DEFAULTS.maxBlobBytes,
      maxTags: options.maxTags ?? DEFAULTS.maxTags,
    };
    this.fetchImpl = options.fetch ?? fetch;
    this.insecureHosts = options.insecureHosts?.map((h) => h.toLowerCase());
    this.allowedHosts = options.allowedHosts ? new Set(options.allowedHosts.map((h) => h.toLowerCase())) : undefined;
    this.credentials = options.credentials;
    this.userAgent = options.userAgent ?? 'fasit-oci/0.1';
  }

  /** `http` for configured insecure hosts (default: loopback), `https` otherwise. */
  schemeFor(registry: string): 'http' | 'https' {
    if (this.insecureHosts === undefined) return isLoopbackHost(registry) ? 'http' : 'https';
    const host = hostOf(registry);
    return this.insecureHosts.includes(registry) || this.insecureHosts.includes(host) ? 'http' : 'https';
  }

  /** Whether the client may dial `host[:port]` (exactly, or any port of a listed bare host). */
  allows(registry: string): boolean {
    if (this.allowedHosts === undefined) return true;
    const lower = registry.toLowerCase();
    return this.allowedHosts.has(lower) || this.allowedHosts.has(hostOf(lower));
  }

  private checkAllowed(url: URL, what: string): void {
    const host = url.host.toLowerCase();
    if (!this.allows(host)) throw new OciError('NOT_ALLOWED', `${what}: ${host} is not a host this client may reach`);
    if (url.protocol === 'http:' && this.schemeFor(host) !== 'http')
      throw new OciError('NOT_ALLOWED', `${what}: plain HTTP to ${host}, which is not an insecure host`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OciError('NOT_ALLOWED', `${what}: ${url.protocol} is not http(s)`);
  }

  /** Resolves a tag (or digest) to its manifest and the manifest's digest. */
  async resolve(reference: ChartReference | string, version?: string): Promise<ResolvedManifest> {
    const ref = typeof reference === 'string' ? parseChartReference(reference, version) : reference;
    const target = ref.digest ?? ref.tag;
    if (target === undefined) {
      throw new OciError('INVALID_REFERENCE', `chart reference oci://${ref.registry}/${ref.repository} needs a version or digest`);
    }
    const what = `manifest ${ref.repository}:${target}`;
    const response = await this.request(ref.registry, ref.repository, `/v2/${ref.repository}/manifests/${target}`, {
      accept: [OCI_MANIFEST_MEDIA_TYPE, OCI_INDEX_MEDIA_TYPE, DOCKER_MANIFEST_MEDIA_TYPE].join(', '),
      what,
    });
    const raw = await this.guard(readLimited(response, this.options.maxManifestBytes, what), what);
    const digest = digestOf('sha256', raw);
    if (ref.digest !== undefined) verifyDigest(ref.digest, raw, what);
    const served = response.headers.get('docker-content-digest');
    if (served?.startsWith('sha256:') && served !== digest) {
      throw new OciError('DIGEST_MISMATCH', `${what}: registry says ${served}, content hashes to ${digest}`);
    }
    let manifest: ImageManifest;
    try {
      manifest = JSON.parse(raw.toString('utf8')) as ImageManifest;
    } catch (error) {
      throw new OciError('REGISTRY_ERROR', `${what} is not JSON`, { cause: error, status: response.status });
    }
    const mediaType = manifest.mediaType ?? response.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
    if (mediaType === OCI_INDEX_MEDIA_TYPE) {
      throw new OciError('INVALID_CHART', `${what} is an image index, not a Helm chart`);
    }
    if (manifest.schemaVersion !== 2 || typeof manifest.config !== 'object' || !Array.isArray(manifest.layers)) {
      throw new OciError('INVALID_CHART', `${what} is not an OCI image manifest`);
    }
    return { reference: ref, digest, mediaType, manifest, raw };
  }

  /** Downloads a blob, verifying its size and digest, refusing more than `maxBytes`. */
  async fetchBlob(
    reference: Pick<ChartReference, 'registry' | 'repository'>,
    descriptor: Pick<Descriptor, 'digest'> & { size?: number },
    options: { maxBytes?: number } = {},
  ): Promise<Buffer> {
    const maxBytes = options.maxBytes ?? this.options.maxBlobBytes;
    const what = `blob ${descriptor.digest} of ${reference.repository}`;
    if (!/^sha(256|512):[a-f0-9]+$/.test(descriptor.digest)) {
      throw new OciError('INVALID_REFERENCE', `${what}: "${descriptor.digest}" is not a digest`);
    }
    if (descriptor.size !== undefined && descriptor.size > maxBytes) {
      throw new OciError('TOO_LARGE', `${what} is ${descriptor.size} bytes, more than the limit of ${maxBytes}`);
    }
    const response = await this.request(reference.registry, reference.repository, `/v2/${reference.repository}/blobs/${descriptor.digest}`, {
      accept: '*/*',
      what,
    });
    const data = await this.guard(readLimited(response, maxBytes, what), what);
    if (descriptor.size !== undefined && data.length !== descriptor.size) {
      throw new OciError('DIGEST_MISMATCH', `${what}: expected ${descriptor.size} bytes, got ${data.length}`);
    }
    verifyDigest(descriptor.digest, data, what);
    return data;
  }

  /** Lists a repository's tags in the registry's order, following `Link: <…>; rel="next"` pages. */
  async listTags(reference: Pick<ChartReference, 'registry' | 'repository'> | string, options: { pageSize?: number } = {}): Promise<string[]> {
    const ref = typeof reference === 'string' ? parseChartReference(reference) : reference;
    const what = `tags of ${ref.repository}`;
    const tags: string[] = [];
    let path: string | undefined = `/v2/${ref.repository}/tags/list${options.pageSize ? `?n=${options.pageSize}` : ''}`;
    const origin = `${this.schemeFor(ref.registry)}://${ref.registry}`;
    const visited = new Set<string>();
    while (path !== undefined) {
      if (visited.has(path)) throw new OciError('REGISTRY_ERROR', `${what}: pagination loops back to ${path}`);
      visited.add(path);
      const response = await this.request(ref.registry, ref.repository, path, { accept: 'application/json', what });
      const body = await this.guard(readLimited(response, this.options.maxManifestBytes, what), what);
      let page: { tags?: unknown };
      try {
        page = JSON.parse(body.toString('utf8')) as { tags?: unknown };
      } catch (error) {
        throw new OciError('REGISTRY_ERROR', `${what}: response is not JSON`, { cause: error, status: response.status });
      }
      if (page.tags !== null && page.tags !== undefined && !Array.isArray(page.tags)) {
        throw new OciError('REGISTRY_ERROR', `${what}: "tags" is not a list`, { status: response.status });
      }
      for (const tag of (page.tags as unknown[] | null | undefined) ?? []) {
        if (typeof tag === 'string') tags.push(tag);
      }
      if (tags.length > this.options.maxTags) throw new OciError('TOO_LARGE', `${what}: more than ${this.options.maxTags} tags`);
      const next = parseNextLink(response.headers.get('link'));
      if (next === undefined) break;
      const url: URL = new URL(next, `${origin}${path}`);
      if (url.origin !== origin) throw new OciError('REGISTRY_ERROR', `${what}: next page ${url.href} is on another origin`);
      path = `${url.pathname}${url.search}`;
    }
    return tags;
  }

  /** Maps a failure while reading a body (time-out, reset) to UNREACHABLE; passes OciErrors through. */
  private async guard<T>(promise: Promise<T>, what: string): Promise<T> {
    try {
      return await promise;
    } catch (error) {
      if (error instanceof OciError) throw error;
      throw new OciError('UNREACHABLE', `${what}: transfer failed: ${describeCause(error)}`, { cause: error });
    }
  }

  private credentialsFor(registry: string): RegistryCredentials | undefined {
    const source = this.credentials;
    if (source === undefined) return undefined;
    return typeof source === 'function' ? source(registry) : source[registry];
  }

  /**
   * One GET, following redirects by hand: each target must be an allowed host (checked before it is dialled), and
   * credentials never travel to another origin.
   */
  private async fetchWithTimeout(url: string, init: { method: string; headers: Record<string, string> }, what: string): Promise<Response> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    let target = new URL(url);
    let headers: Record<string, string> = init.headers;
    for (let hop = 0; ; hop++) {
      this.checkAllowed(target, what);
      let response: Response;
      try {
        response = await this.fetchImpl(target.href, { ...init, headers, redirect: 'manual', signal });
      } catch (error) {
        const timedOut = (error as Error).name === 'TimeoutError';
        const reason = timedOut ? `no answer within ${this.options.timeoutMs} ms` : describeCause(error);
        throw new OciError('UNREACHABLE', `${what}: ${target.origin} is unreachable: ${reason}`, { cause: error });
      }
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) return response;
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new OciError('REGISTRY_ERROR', `${what}: more than ${MAX_REDIRECTS} redirects`, { status: response.status });
      let next: URL;
      try {
        next = new URL(location, target);
      } catch (error) {
        throw new OciError('REGISTRY_ERROR', `${what}: a redirect to something that is not a URL`, { cause: error, status: response.status });
      }
      if (next.origin !== target.origin) {
        const { authorization: _dropped, ...rest } = headers;
        headers = rest;
      }
      target = next;
    }
  }

  /**
   * Sends a GET to the registry with whatever authentication it asked for, answering one 401 challenge
   * (basic, or bearer via the token service) and retrying once. Non-2xx answers become typed errors.
   */
  private async request(registry: string, repository: string, path: string, opts: { accept: string; what: string }): Promise<Response> {
    const url = `${this.schemeFor(registry)}://${registry}${path}`;
    const scope = `repository:${repository}:pull`;
    const credentials = this.credentialsFor(registry);
    let retried = false;
    // The scope a 401 named for this very request; stored challenges came from other requests.
    let challengedScope: string | undefined;
    for (;;) {
      const headers: Record<string, string> = { accept: opts.accept, 'user-agent': this.userAgent };
      const auth = this.registryAuth.get(registry) ?? { kind: 'none' };
      if (auth.kind === 'basic' && credentials) {
        headers.authorization = basicHeader(credentials);
      } else if (auth.kind === 'bearer') {
        headers.authorization = `Bearer ${await this.token(registry, scope, challengedScope ?? scope, auth.challenge, credentials)}`;
      }
      const response = await this.fetchWithTimeout(url, { method: 'GET', headers }, opts.what);
      const authHint = credentials ? 'credentials were refused' : 'no credentials configured';
      if (response.status !== 401 || retried) {
        if (response.ok) return response;
        throw await this.errorFrom(response, opts.what, authHint);
      }
      // 401: learn what the registry wants, then retry once.
      const challenges = parseWwwAuthenticate(response.headers.get('www-authenticate'));
      const bearer = challenges.find((c) => c.scheme === 'bearer');
      const basic = challenges.find((c) => c.scheme === 'basic');
      if (bearer?.params.realm) {
        this.tokens.delete(tokenKey(registry, scope)); // a cached token was refused or is stale
        challengedScope = bearer.params.scope;
        this.registryAuth.set(registry, { kind: 'bearer', challenge: bearer });
      } else if (basic && credentials && auth.kind !== 'basic') {
        this.registryAuth.set(registry, { kind: 'basic' });
      } else {
        throw await this.errorFrom(response, opts.what, authHint);
      }
      await response.body?.cancel();
      retried = true;
    }
  }

  /** A bearer token for (registry, scope), from the cache or the token service named by the challenge. */
  private async token(
    registry: string,
    scope: string,
    requestScope: string,
    challenge: AuthChallenge,
    credentials: RegistryCredentials | undefined,
  ): Promise<string> {
    const key = tokenKey(registry, scope);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.token;
    const pending = this.pendingTokens.get(key);
    if (pending) return pending;
    const promise = this.fetchToken(registry, scope, requestScope, challenge, credentials).finally(() => this.pendingTokens.delete(key));
    this.pendingTokens.set(key, promise);
    return promise;
  }

  /** Asks the token service for `requestScope`; caches the token under (registry, `scope`). */
  private async fetchToken(
    registry: string,
    scope: string,
    requestScope: string,
    challenge: AuthChallenge,
    credentials: RegistryCredentials | undefined,
  ): Promise<string> {
    const what = `token for ${scope} on ${registry}`;
    const realm = challenge.params.realm ?? '';
    let url: URL;
    try {
      url = new URL(realm);
    } catch (error) {
      throw new OciError('REGISTRY_ERROR', `${what}: token realm "${realm}" is not a URL`, { cause: error });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new OciError('REGISTRY_ERROR', `${what}: token realm "${realm}" is not http(s)`);
    }
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    for (const s of requestScope.split(' ')) url.searchParams.append('scope', s);
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.userAgent };
    if (credentials) headers.authorization = basicHeader(credentials);
    const response = await this.fetchWithTimeout(url.href, { method: 'GET', headers }, what);
    if (!response.ok) {
      throw await this.errorFrom(response, what, credentials ? 'the token service refused the credentials' : 'no credentials configured');
    }
    const body = await this.guard(readLimited(response, ERROR_BODY_LIMIT, what), what);
    let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
    try {
      parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    } catch (error) {
      throw new OciError('REGISTRY_ERROR', `${what}: token response is not JSON`, { cause: error, status: response.status });
    }
    const token = typeof parsed.token === 'string' ? parsed.token : typeof parsed.access_token === 'string' ? parsed.access_token : undefined;
    if (!token) throw new OciError('REGISTRY_ERROR', `${what}: token response has no token`, { status: response.status });
    const expiresIn = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : 60;
    const issuedAt = typeof parsed.issued_at === 'string' ? Date.parse(parsed.issued_at) : NaN;
    const start = Number.isFinite(issuedAt) ? Math.min(issuedAt, Date.now()) : Date.now();
    this.tokens.set(tokenKey(registry, scope), { token, expiresAt: start + expiresIn * 1000 - TOKEN_SAFETY_MARGIN_MS });
    return token;
  }

  private async errorFrom(response: Response, what: string, authHint?: string): Promise<OciError> {
    let body = '';
    try {
      body = (await readLimited(response, ERROR_BODY_LIMIT, 'error body')).toString('utf8');
    } catch {
      body = '';
    }
    let registryErrors: RegistryErrorDetail[] = [];
    try {
      const parsed = JSON.parse(body) as { errors?: RegistryErrorDetail[] };
      if (Array.isArray(parsed.errors)) registryErrors = parsed.errors;
    } catch {
      // not a distribution-spec error body: keep the text
    }
    const summary = registryErrors.map((e) => `${e.code}: ${e.message}`).join('; ') || body.slice(0, 200) || response.statusText;
    const options = { status: response.status, body, registryErrors };
    const status = response.status;
    if (status === 404 || registryErrors.some((e) => /_UNKNOWN$/.test(e.code))) {
      return new OciError('NOT_FOUND', `${what} not found (${status}: ${summary})`, options);
    }
    if (status === 401 || status === 403) {
      const hint = authHint ? `; ${authHint}` : '';
      return new OciError('UNAUTHORIZED', `${what}: access denied (${status}: ${summary})${hint}`, options);
    }
    const retryable = status === 429 || status >= 500;
    return new OciError('REGISTRY_ERROR', `${what}: registry answered ${status}: ${summary}`, { ...options, retryable });
  }
}

function tokenKey(registry: string, scope: string): string {
  return `${registry} ${scope}`;
}

function basicHeader(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
}
