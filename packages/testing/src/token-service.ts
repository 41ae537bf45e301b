import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, type LocalRegistry, type RegistryUser } from './registry.js';

/**
 * A minimal Docker token service (the `auth.token` protocol of docker-registry): checks basic credentials, grants
 * the requested repository actions and signs an ES256 JWT with a throwaway self-signed certificate (made with
 * `openssl`) that the registry trusts. It stands in for a production token service (docker_auth, a cloud
 * registry's); the registry verifying its tokens is the real one.
 */
export interface TokenService {
  /** `http://127.0.0.1:<port>/token` */
  realm: string;
  service: string;
  issuer: string;
  /** PEM certificate the registry must trust (`rootcertbundle`). */
  certPath: string;
  /** Every token request seen: scope(s) asked for and the user (undefined when anonymous). */
  requests: { scopes: string[]; user: string | undefined }[];
  stop(): Promise<void>;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function signJwt(key: KeyObject, certDer: string, claims: Record<string, unknown>): string {
  const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', x5c: [certDer] }));
  const payload = base64url(JSON.stringify(claims));
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key, dsaEncoding: 'ieee-p1363' });
  return `${header}.${payload}.${base64url(signature)}`;
}

export async function startTokenService(options: { users: RegistryUser[]; service?: string; issuer?: string }): Promise<TokenService> {
  const dir = await mkdtemp(join(tmpdir(), 'fasit-token-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '1',
      '-subj',
      '/CN=fasit-test-token-issuer',
    ],
    { stdio: 'ignore' },
  );
  const key = createPrivateKey(await readFile(keyPath));
  const certDer = (await readFile(certPath, 'utf8')).replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const service = options.service ?? 'fasit-test-registry';
  const issuer = options.issuer ?? 'fasit-test-token-issuer';
  const requests: TokenService['requests'] = [];

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token');
    const scopes = url.searchParams.getAll('scope');
    const auth = req.headers.authorization ?? '';
    const decoded = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const user = options.users.find((u) => colon > 0 && u.username === decoded.slice(0, colon) && u.password === decoded.slice(colon + 1));
    requests.push({ scopes, user: user?.username });
    if (url.pathname !== '/token') {
      res.writeHead(404).end();
      return;
    }
    if (!user) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="fasit-test-token"' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] }));
      return;
    }
    const access = scopes.flatMap((scope) => {
      const [type, ...rest] = scope.split(':');
      const actions = rest.pop() ?? '';
      return type ? [{ type, name: rest.join(':'), actions: actions.split(',').filter(Boolean) }] : [];
    });
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt(key, certDer, {
      iss: issuer,
      sub: user.username,
      aud: url.searchParams.get('service') ?? service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomBytes(8).toString('hex'),
      access,
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date(now * 1000).toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certPath,
    requests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface TokenAuthRegistry {
  registry: LocalRegistry;
  tokenService: TokenService;
  stop(): Promise<void>;
}

/** A real docker-registry that requires bearer tokens from a `startTokenService` stand-in. */
export async function startTokenAuthRegistry(options: { users: RegistryUser[] }): Promise<TokenAuthRegistry> {
  const tokenService = await startTokenService(options);
  try {
    const registry = await startRegistry({
      tokenAuth: { realm: tokenService.realm, service: tokenService.service, issuer: tokenService.issuer, rootCertBundle: tokenService.certPath },
    });
    return {
      registry,
      tokenService,
      stop: async () => {
        await registry.stop();
        await tokenService.stop();
      },
    };
  } catch (error) {
    await tokenService.stop();
    throw error;
  }
}
