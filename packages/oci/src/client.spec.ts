import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { OciClient, OCI_INDEX_MEDIA_TYPE, OCI_MANIFEST_MEDIA_TYPE, parseNextLink } from './client.js';
import { OciError } from './errors.js';
import { parseChartReference } from './reference.js';
import { sendJson, standInServer, type StandInServer } from './test-support/http-server.js';

const sha256 = (data: string | Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: OCI_MANIFEST_MEDIA_TYPE,
  config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: sha256('{}'), size: 2 },
  layers: [],
});

async function failure(promise: Promise<unknown>): Promise<OciError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OciError) return error;
    throw error;
  }
  throw new Error('expected an OciError');
}

const servers: StandInServer[] = [];
async function serve(...args: Parameters<typeof standInServer>): Promise<StandInServer> {
  const server = await standInServer(...args);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

describe('OciClient bearer-token flow (local stand-in registry and token service, not a real token server)', () => {
  /** A registry stand-in that wants `Bearer tok-<n>` tokens from its own /token endpoint. */
  async function tokenRegistry(opts: { requireCredentials?: string; revoked?: Set<string> } = {}) {
    let issued = 0;
    const revoked = opts.revoked ?? new Set<string>();
    const server = await serve((req, res, url) => {
      if (url.pathname === '/token') {
        if (opts.requireCredentials && req.headers.authorization !== opts.requireCredentials) {
          sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] });
          return;
        }
        issued++;
        sendJson(res, 200, { token: `tok-${issued}`, expires_in: 300, issued_at: new Date().toISOString() });
        return;
      }
      const repo = /^\/v2\/(.+)\/(manifests|tags)\//.exec(url.pathname)?.[1] ?? '';
      const auth = req.headers.authorization ?? '';
      if (!/^Bearer tok-\d+$/.test(auth) || revoked.has(auth.slice(7))) {
        sendJson(
          res,
          401,
          { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
          {
            'www-authenticate': `Bearer realm="${server.url}/token",service="stand-in",scope="repository:${repo}:pull"`,
          },
        );
        return;
      }
      if (url.pathname.endsWith('/tags/list')) {
        sendJson(res, 200, { name: repo, tags: ['1.0.0'] });
        return;
      }
      res.writeHead(200, { 'content-type': OCI_MANIFEST_MEDIA_TYPE, 'docker-content-digest': sha256(MANIFEST) });
      res.end(MANIFEST);
    });
    return server;
  }

  it('answers the challenge with a token for the scope, then reuses it', async () => {
    const server = await tokenRegistry();
    const client = new OciClient();
    const resolved = await client.resolve(`oci://${server.host}/charts/demo`, '1.0.0');
    expect(resolved.digest).toBe(sha256(MANIFEST));
    await client.resolve(`oci://${server.host}/charts/demo`, '1.0.0');
    expect(server.requests.map((r) => `${r.url} ${r.authorization ?? '-'}`)).toEqual([
      '/v2/charts/demo/manifests/1.0.0 -',
      '/token?service=stand-in&scope=repository%3Acharts%2Fdemo%3Apull -',
      '/v2/charts/demo/manifests/1.0.0 Bearer tok-1',
      '/v2/charts/demo/manifests/1.0.0 Bearer tok-1',
    ]);
  });

  it('caches tokens per scope: another repository gets its own token', async () => {
    const server = await tokenRegistry();
    const client = new OciClient();
    await client.resolve(`oci://${server.host}/charts/a`, '1.0.0');
    expect(await client.listTags(`oci://${server.host}/charts/b`)).toEqual(['1.0.0']);
    await client.resolve(`oci://${server.host}/charts/a`, '1.0.0');
    const tokenRequests = server.requests.filter((r) => r.url.startsWith('/token'));
    expect(tokenRequests.map((r) => new URL(r.url, 'http://x').searchParams.get('scope'))).toEqual(['repository:charts/a:pull', 'repository:charts/b:pull']);
    // b's first request already knew the registry wants bearer tokens, so it fetched one up front.
    expect(server.requests.filter((r) => r.url.startsWith('/v2/charts/b')).map((r) => r.authorization)).toEqual(['Bearer tok-2']);
  });

  it('sends basic credentials to the token service', async () => {
    const creds = basic('robot', 's3cret');
    const server = await tokenRegistry({ requireCredentials: creds });
    const client = new OciClient({ credentials: { [server.host]: { username: 'robot', password: 's3cret' } } });
    await client.resolve(`oci://${server.host}/charts/demo:1.0.0`);
    expect(server.requests.find((r) => r.url.startsWith('/token'))?.authorization).toBe(creds);
  });

  it('gives UNAUTHORIZED when the token service refuses the credentials', async () => {
    const server = await tokenRegistry({ requireCredentials: basic('robot', 'right') });
    const client = new OciClient({ credentials: () => ({ username: 'robot', password: 'wrong' }) });
    const error = await failure(client.resolve(`oci://${server.host}/charts/demo:1.0.0`));
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401, retryable: false });
    expect(error.message).toMatch(/token service refused the credentials/);
  });

  it('fetches a new token when the registry refuses a cached one', async () => {
    const revoked = new Set<string>();
    const server = await tokenRegistry({ revoked });
    const client = new OciClient();
    await client.resolve(`oci://${server.host}/charts/demo:1.0.0`);
    revoked.add('tok-1');
    await client.resolve(`oci://${server.host}/charts/demo:1.0.0`);
    expect(server.requests.slice(3).map((r) => `${r.url.split('?')[0]} ${r.authorization ?? '-'}`)).toEqual([
      '/v2/charts/demo/manifests/1.0.0 Bearer tok-1',
      '/token -',
      '/v2/charts/demo/manifests/1.0.0 Bearer tok-2',
    ]);
  });

  it('gives UNAUTHORIZED when a fresh token is refused too (no endless retry)', async () => {
    const server = await tokenRegistry({ revoked: new Set(['tok-1', 'tok-2', 'tok-3']) });
    const error = await failure(new OciClient().resolve(`oci://${server.host}/charts/demo:1.0.0`));
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect(server.requests).toHaveLength(3);
  });
});

describe('OciClient basic auth (local stand-in registry)', () => {
  async function basicRegistry() {
    return serve((req, res) => {
      if (req.headers.authorization !== basic('alice', 'pw')) {
        sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, { 'www-authenticate': 'Basic realm="stand-in"' });
        return;
      }
      sendJson(res, 200, { name: 'charts/demo', tags: ['0.1.0'] });
    });
  }

  it('gives UNAUTHORIZED without credentials, naming the cause', async () => {
    const server = await basicRegistry();
    const error = await failure(new OciClient().listTags(`oci://${server.host}/charts/demo`));
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401, retryable: false });
    expect(error.message).toMatch(/no credentials configured/);
  });

  it('answers the challenge, then sends credentials up front', async () => {
    const server = await basicRegistry();
    const client = new OciClient({ credentials: { [server.host]: { username: 'alice', password: 'pw' } } });
    expect(await client.listTags(`oci://${server.host}/charts/demo`)).toEqual(['0.1.0']);
    expect(await client.listTags(`oci://${server.host}/charts/demo`)).toEqual(['0.1.0']);
    expect(server.requests.map((r) => r.authorization)).toEqual([undefined, basic('alice', 'pw'), basic('alice', 'pw')]);
  });
});

describe('OciClient against a local stand-in registry', () => {
  it('follows Link pagination for tags', async () => {
    const pages: Record<string, { tags: string[]; next?: string }> = {
      '': { tags: ['a', 'b'], next: '/v2/charts/demo/tags/list?n=2&last=b' },
      b: { tags: ['c', 'd'], next: '/v2/charts/demo/tags/list?n=2&last=d' },
      d: { tags: ['e'] },
    };
    const server = await serve((_req, res, url) => {
      const page = pages[url.searchParams.get('last') ?? ''];
      if (!page) return sendJson(res, 404, {});
      sendJson(res, 200, { name: 'charts/demo', tags: page.tags }, page.next ? { link: `<${page.next}>; rel="next"` } : {});
    });
    expect(await new OciClient().listTags(`oci://${server.host}/charts/demo`, { pageSize: 2 })).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(server.requests.map((r) => r.url)).toEqual([
      '/v2/charts/demo/tags/list?n=2',
      '/v2/charts/demo/tags/list?n=2&last=b',
      '/v2/charts/demo/tags/list?n=2&last=d',
    ]);
  });

  it('refuses a next page on another origin (credentials must not follow it)', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { tags: ['a'] }, { link: '<http://elsewhere.example/v2/x/tags/list?last=a>; rel="next"' }));
    const error = await failure(new OciClient().listTags(`oci://${server.host}/charts/demo`));
    expect(error.code).toBe('REGISTRY_ERROR');
    expect(error.message).toMatch(/another origin/);
  });

  it('treats "tags": null as no tags', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { name: 'charts/demo', tags: null }));
    expect(await new OciClient().listTags(`oci://${server.host}/charts/demo`)).toEqual([]);
  });

  it('verifies blob digests and sizes', async () => {
    const served = Buffer.from('the real bytes');
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(served);
    });
    const ref = parseChartReference(`oci://${server.host}/charts/demo`);
    const client = new OciClient();
    expect((await client.fetchBlob(ref, { digest: sha256(served), size: served.length })).equals(served)).toBe(true);
    const wrong = await failure(client.fetchBlob(ref, { digest: sha256('other bytes'), size: served.length }));
    expect(wrong).toMatchObject({ code: 'DIGEST_MISMATCH', retryable: false });
    expect(wrong.message).toContain(`got ${sha256(served)}`);
    const short = await failure(client.fetchBlob(ref, { digest: sha256(served), size: served.length + 1 }));
    expect(short.message).toMatch(/expected 15 bytes, got 14/);
  });

  it('follows a blob redirect to storage on another origin without forwarding credentials', async () => {
    const blob = Buffer.from('chart bytes in object storage');
    const storage = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(blob);
    });
    const server = await serve((req, res) => {
      if (req.headers.authorization !== basic('u', 'p')) {
        sendJson(res, 401, {}, { 'www-authenticate': 'Basic realm="stand-in"' });
        return;
      }
      res.writeHead(307, { location: `${storage.url}/bucket/blob?signature=abc` });
      res.end();
    });
    const client = new OciClient({ credentials: { [server.host]: { username: 'u', password: 'p' } } });
    const data = await client.fetchBlob(parseChartReference(`oci://${server.host}/charts/demo`), { digest: sha256(blob), size: blob.length });
    expect(data.equals(blob)).toBe(true);
    expect(storage.requests).toEqual([expect.objectContaining({ url: '/bucket/blob?signature=abc', authorization: undefined })]);
  });

  it('stops a blob over the limit, by Content-Length and while streaming', async () => {
    const big = Buffer.alloc(64 * 1024, 1);
    const server = await serve((req, res) => {
      if (req.url?.includes('chunked')) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' }); // no content-length: chunked
        res.write(big.subarray(0, 32 * 1024));
        res.end(big.subarray(32 * 1024));
      } else {
        res.writeHead(200, { 'content-length': String(big.length) });
        res.end(big);
      }
    });
    const client = new OciClient();
    const declared = await failure(client.fetchBlob(parseChartReference(`oci://${server.host}/charts/demo`), { digest: sha256(big) }, { maxBytes: 1000 }));
    expect(declared).toMatchObject({ code: 'TOO_LARGE' });
    expect(declared.message).toMatch(/is 65536 bytes, more than the limit of 1000/);
    const streamed = await failure(client.fetchBlob(parseChartReference(`oci://${server.host}/chunked/demo`), { digest: sha256(big) }, { maxBytes: 1000 }));
    expect(streamed.code).toBe('TOO_LARGE');
    const byDescriptor = await failure(
      client.fetchBlob(parseChartReference(`oci://${server.host}/charts/demo`), { digest: sha256(big), size: 5000 }, { maxBytes: 1000 }),
    );
    expect(byDescriptor.code).toBe('TOO_LARGE');
    expect(server.requests).toHaveLength(2); // the descriptor's size was enough to refuse without asking
  });

  it('checks the manifest against Docker-Content-Digest and a pinned digest', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': OCI_MANIFEST_MEDIA_TYPE, 'docker-content-digest': sha256('something else') });
      res.end(MANIFEST);
    });
    const client = new OciClient();
    expect((await failure(client.resolve(`oci://${server.host}/charts/demo:1.0.0`))).code).toBe('DIGEST_MISMATCH');
    const pinned = await failure(client.resolve(`oci://${server.host}/charts/demo@${sha256('not this manifest')}`));
    expect(pinned.code).toBe('DIGEST_MISMATCH');
  });

  it('sends an OCI Accept header and refuses an image index', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': OCI_INDEX_MEDIA_TYPE });
      res.end(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX_MEDIA_TYPE, manifests: [] }));
    });
    const error = await failure(new OciClient().resolve(`oci://${server.host}/charts/demo:1.0.0`));
    expect(error).toMatchObject({ code: 'INVALID_CHART' });
    expect(server.requests[0]?.accept).toContain(OCI_MANIFEST_MEDIA_TYPE);
  });

  it.each([
    [404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }, 'NOT_FOUND', false],
    [400, { errors: [{ code: 'NAME_INVALID', message: 'invalid repository name' }] }, 'REGISTRY_ERROR', false],
    [429, { errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }, 'REGISTRY_ERROR', true],
    [500, { errors: [{ code: 'UNKNOWN', message: 'storage is down' }] }, 'REGISTRY_ERROR', true],
    [503, 'upstream connect error', 'REGISTRY_ERROR', true],
    [403, { errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] }, 'UNAUTHORIZED', false],
  ])('maps HTTP %i to a typed error carrying status and body', async (status, body, code, retryable) => {
    const server = await serve((_req, res) => {
      if (typeof body === 'string') {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(body);
      } else sendJson(res, status, body);
    });
    const error = await failure(new OciClient().resolve(`oci://${server.host}/charts/demo:1.0.0`));
    expect(error).toMatchObject({ code, retryable, status });
    expect(error.body).toBe(typeof body === 'string' ? body : JSON.stringify(body));
    if (typeof body !== 'string') {
      expect(error.registryErrors).toEqual(body.errors);
      expect(error.message).toContain(body.errors[0]?.message ?? '');
    }
  });

  it('gives UNREACHABLE (retryable) when the registry does not answer in time', async () => {
    const server = await serve(() => {
      // never answers
    });
    const error = await failure(new OciClient({ timeoutMs: 200 }).resolve(`oci://${server.host}/charts/demo:1.0.0`));
    expect(error).toMatchObject({ code: 'UNREACHABLE', retryable: true });
    expect(error.message).toMatch(/no answer within 200 ms/);
  });

  it('gives UNREACHABLE when the body stalls past the time-out', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write('partial'); // and never ends
    });
    const error = await failure(new OciClient({ timeoutMs: 300 }).fetchBlob(parseChartReference(`oci://${server.host}/charts/demo`), { digest: sha256('x') }));
    expect(error).toMatchObject({ code: 'UNREACHABLE', retryable: true });
  });

  it('needs a version or digest to resolve', async () => {
    expect((await failure(new OciClient().resolve('oci://127.0.0.1:1/charts/demo'))).code).toBe('INVALID_REFERENCE');
  });
});

describe('OciClient transport choice', () => {
  it('uses plain HTTP for loopback hosts by default and HTTPS elsewhere', () => {
    const client = new OciClient();
    expect(client.schemeFor('127.0.0.1:5000')).toBe('http');
    expect(client.schemeFor('localhost')).toBe('http');
    expect(client.schemeFor('[::1]:5000')).toBe('http');
    expect(client.schemeFor('ghcr.io')).toBe('https');
    expect(client.schemeFor('127.0.0.1.example.com')).toBe('https');
  });

  it('uses plain HTTP only for configured insecure hosts when configured', () => {
    const client = new OciClient({ insecureHosts: ['registry.local', 'other:5000'] });
    expect(client.schemeFor('registry.local:5000')).toBe('http');
    expect(client.schemeFor('other:5000')).toBe('http');
    expect(client.schemeFor('other:6000')).toBe('https');
    expect(client.schemeFor('127.0.0.1:5000')).toBe('https');
  });
});

describe('parseNextLink', () => {
  it.each([
    ['</v2/x/tags/list?n=2&last=b>; rel="next"', '/v2/x/tags/list?n=2&last=b'],
    ['<https://r.io/a>; rel="prev", <https://r.io/b>; rel=next', 'https://r.io/b'],
    ['<https://r.io/a>; rel="prev"', undefined],
    [null, undefined],
  ])('parses %s', (header, expected) => {
    expect(parseNextLink(header)).toBe(expected);
  });
});

describe('OciClient allow-list (local stand-in servers): nothing else is dialled', () => {
  it('refuses a registry that is not allowed before connecting to it', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, {}));
    const client = new OciClient({ allowedHosts: ['registry.example'] });
    const error = await failure(client.resolve(`oci://${server.host}/charts/demo:1.0.0`));
    expect(error).toMatchObject({ code: 'NOT_ALLOWED', retryable: false });
    expect(server.requests).toEqual([]);
    expect(await failure(client.listTags(`oci://${server.host}/charts/demo`))).toMatchObject({ code: 'NOT_ALLOWED' });
    expect(server.requests).toEqual([]);
  });

  it('allows a listed host:port and a listed host on any port', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { tags: ['1.0.0'] }));
    expect(await new OciClient({ allowedHosts: [server.host] }).listTags(`oci://${server.host}/charts/demo`)).toEqual(['1.0.0']);
    expect(await new OciClient({ allowedHosts: ['127.0.0.1'] }).listTags(`oci://${server.host}/charts/demo`)).toEqual(['1.0.0']);
    expect(new OciClient({ allowedHosts: ['127.0.0.1:1'] }).allows(server.host)).toBe(false);
  });

  it('does not follow a token realm to a host that is not allowed', async () => {
    const elsewhere = await serve((_req, res) => sendJson(res, 200, { token: 'stolen' }));
    const registry = await serve((_req, res) =>
      sendJson(
        res,
        401,
        { errors: [{ code: 'UNAUTHORIZED', message: 'auth' }] },
        { 'www-authenticate': `Bearer realm="http://localhost:${elsewhere.host.split(':')[1]}/token",service="x"` },
      ),
    );
    const client = new OciClient({ allowedHosts: [registry.host], credentials: { [registry.host]: { username: 'u', password: 'secret' } } });
    const error = await failure(client.listTags(`oci://${registry.host}/charts/demo`));
    expect(error).toMatchObject({ code: 'NOT_ALLOWED' });
    expect(error.message).toContain('localhost');
    expect(elsewhere.requests).toEqual([]);
  });

  it('does not follow a redirect to a host that is not allowed', async () => {
    const elsewhere = await serve((_req, res) => sendJson(res, 200, { tags: ['evil'] }));
    const registry = await serve((_req, res) => {
      res.writeHead(307, { location: `http://localhost:${elsewhere.host.split(':')[1]}/v2/x/tags/list` });
      res.end();
    });
    const error = await failure(new OciClient({ allowedHosts: [registry.host] }).listTags(`oci://${registry.host}/charts/demo`));
    expect(error).toMatchObject({ code: 'NOT_ALLOWED' });
    expect(elsewhere.requests).toEqual([]);
  });

  it('follows a redirect to an allowed host without the registry credentials, and stops after five', async () => {
    const storage = await serve((_req, res) => sendJson(res, 200, { tags: ['1.0.0'] }));
    const registry = await serve((req, res) => {
      res.writeHead(307, { location: `http://localhost:${storage.host.split(':')[1]}/blobs?sig=1` });
      res.end();
    });
    const client = new OciClient({
      allowedHosts: [registry.host, 'localhost'],
      insecureHosts: ['127.0.0.1', 'localhost'],
      credentials: { [registry.host]: { username: 'u', password: 'p' } },
    });
    // the registry asks for nothing, so no credentials are sent to it either; the storage host gets none
    expect(await client.listTags(`oci://${registry.host}/charts/demo`)).toEqual(['1.0.0']);
    expect(storage.requests.map((r) => r.authorization)).toEqual([undefined]);
    const loop = await serve((req, res) => {
      res.writeHead(302, { location: `/again${req.url ?? ''}` });
      res.end();
    });
    expect(await failure(new OciClient({ allowedHosts: [loop.host] }).listTags(`oci://${loop.host}/charts/demo`))).toMatchObject({
      code: 'REGISTRY_ERROR',
      message: expect.stringMatching(/more than 5 redirects/),
    });
    expect(loop.requests).toHaveLength(6);
  });

  it('refuses plain HTTP to a host that is not an insecure one, even when a redirect asks for it', async () => {
    const registry = await serve((_req, res) => {
      res.writeHead(307, { location: 'http://registry.example/v2/x/tags/list' });
      res.end();
    });
    const client = new OciClient({ allowedHosts: [registry.host, 'registry.example'] });
    expect(await failure(client.listTags(`oci://${registry.host}/charts/demo`))).toMatchObject({
      code: 'NOT_ALLOWED',
      message: expect.stringMatching(/plain HTTP to registry.example/),
    });
  });
});
