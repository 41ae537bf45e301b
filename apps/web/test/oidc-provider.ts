// A small OpenID Connect provider for the browser tests: discovery, JWKS, an authorization endpoint that signs in
// whoever the test says (no login form), and a token endpoint that checks the authorization code, the redirect
// address and the PKCE verifier (S256) before it issues an RS256 ID token. Keys are generated here. It is what the
// console's sign-in (oidc-client-ts, authorization code + PKCE) talks to, for real, over HTTP.
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface OidcProvider {
  issuer: string;
  clientId: string;
  /** The next sign-in is this subject (an e-mail). */
  signInAs(email: string): void;
  /** An ID token for `email` without the browser (to seed the API). */
  token(email: string): string;
  /** Token requests refused (wrong verifier, code or redirect address), for the test to check there were none. */
  refusals: string[];
  close(): Promise<void>;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

async function body(req: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return new URLSearchParams(text);
}

export async function startOidcProvider(clientId = 'fasit-console'): Promise<OidcProvider> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as object), kid: 'test-1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { challenge: string; redirectUri: string; nonce: string | null; email: string }>();
  const refusals: string[] = [];
  let current = 'nobody@example.com';
  let issuer = '';
  const idToken = (email: string, nonce: string | null) => {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'test-1' }));
    const claims = b64url(JSON.stringify({ iss: issuer, aud: clientId, sub: randomUUID(), email, iat: now, exp: now + 3600, ...(nonce ? { nonce } : {}) }));
    return `${header}.${claims}.${b64url(sign('sha256', Buffer.from(`${header}.${claims}`), privateKey))}`;
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('access-control-allow-headers', 'content-type, authorization');
      if (req.method === 'OPTIONS') {
        res.writeHead(204).end();
        return;
      }
      const url = new URL(req.url ?? '/', issuer);
      const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (url.pathname === '/.well-known/openid-configuration') {
        json(200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          end_session_endpoint: `${issuer}/logout`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
        });
      } else if (url.pathname === '/jwks') {
        json(200, { keys: [jwk] });
      } else if (url.pathname === '/authorize') {
        const p = url.searchParams;
        if (
          p.get('client_id') !== clientId ||
          p.get('response_type') !== 'code' ||
          p.get('code_challenge_method') !== 'S256' ||
          !p.get('code_challenge') ||
          !p.get('redirect_uri')
        ) {
          json(400, { error: 'invalid_request' });
          return;
        }
        const code = randomBytes(16).toString('hex');
        codes.set(code, { challenge: p.get('code_challenge')!, redirectUri: p.get('redirect_uri')!, nonce: p.get('nonce'), email: current });
        const back = new URL(p.get('redirect_uri')!);
        back.searchParams.set('code', code);
        if (p.get('state')) back.searchParams.set('state', p.get('state')!);
        res.writeHead(302, { location: back.toString() }).end();
      } else if (url.pathname === '/token' && req.method === 'POST') {
        const form = await body(req);
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const problem = !grant
          ? 'unknown code'
          : form.get('redirect_uri') !== grant.redirectUri
            ? 'redirect_uri differs'
            : b64url(createHash('sha256').update(verifier).digest()) !== grant.challenge
              ? 'PKCE verifier does not match'
              : null;
        if (problem || !grant) {
          refusals.push(problem ?? 'unknown code');
          json(400, { error: 'invalid_grant', error_description: problem });
          return;
        }
        json(200, {
          access_token: randomBytes(16).toString('hex'),
          token_type: 'Bearer',
          expires_in: 3600,
          id_token: idToken(grant.email, grant.nonce),
          scope: 'openid email profile',
        });
      } else if (url.pathname === '/logout') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('signed out');
      } else {
        json(404, { error: 'not_found' });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    issuer,
    clientId,
    signInAs: (email) => {
      current = email;
    },
    token: (email) => idToken(email, null),
    refusals,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
