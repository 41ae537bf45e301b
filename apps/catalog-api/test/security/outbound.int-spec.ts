// The attack suite, outbound requests: the catalog dials only the registries FASIT_OCI_REGISTRIES lists (their
// token services and blob storage included), over plain HTTP only to listed insecure hosts, and never repeats what
// an upstream said. Before, a chart reference oci://<any host:port>/… made it connect there and echo the answer:
// a port scanner and request forger for any tenant operator or allowed workflow.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ociRegistry, pushChart, type PushedChart } from '@fasit/testing';
import { startHarness, unique, type Harness, type Obj } from '../harness.js';
import { startIssuer, type LocalIssuer } from '../oidc-issuer.js';

/** A local HTTP server that counts connections (not just requests) and answers with `handler`. */
interface Peer {
  host: string;
  port: number;
  connections: () => number;
  requests: string[];
  close(): Promise<void>;
}
async function peer(handler: (url: string, res: import('node:http').ServerResponse) => void): Promise<Peer> {
  let connections = 0;
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req.url ?? '', res);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    host: `127.0.0.1:${port}`,
    port,
    connections: () => connections,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let h: Harness;
let idp: LocalIssuer;
let chart: PushedChart;
let internal: Peer;
let failing: Peer;
let redirecting: Peer;
let operator = '';
const tenant = unique('out');
const SECRET = 'internal-secret-7f3a';

beforeAll(async () => {
  idp = await startIssuer();
  internal = await peer((_, res) => res.end(SECRET));
  failing = await peer((_, res) => {
    res.statusCode = 500;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: SECRET }] }));
  });
  redirecting = await peer((url, res) => {
    if (url.startsWith('/v2/token-elsewhere/')) {
      res.statusCode = 401;
      res.setHeader('www-authenticate', `Bearer realm="http://${internal.host}/token",service="x"`);
      res.end();
      return;
    }
    res.statusCode = 307;
    res.setHeader('location', `http://${internal.host}/v2/anything`);
    res.end();
  });
  h = await startHarness({
    FASIT_AUTH_MODE: 'oidc',
    FASIT_SECRET_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    FASIT_OIDC_ISSUERS: JSON.stringify([{ issuer: idp.url, audience: 'fasit' }]),
    FASIT_BOOTSTRAP_ADMINS: 'root@example.org',
    FASIT_OCI_REGISTRIES: [ociRegistry(), failing.host, redirecting.host].join(','),
  });
  chart = await pushChart('demo-feature', { name: unique('out'), version: '1.0.0' });
  const root = idp.token({ aud: 'fasit', email: 'root@example.org' });
  expect((await h.api('POST', '/api/v1/tenants', { name: tenant }, root)).status).toBe(201);
  expect((await h.api('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'dev', kind: 'tenant' }, root)).status).toBe(201);
  expect((await h.api('POST', '/api/v1/role-bindings', { subject: 'op@example.org', role: 'operator', tenant }, root)).status).toBe(201);
  operator = idp.token({ aud: 'fasit', email: 'op@example.org' });
});

afterAll(async () => {
  await h?.close();
  await idp?.close();
  await Promise.all([internal, failing, redirecting].map((p) => p?.close()));
});

const assign = (chartRef: string) => h.api<Obj>('POST', '/api/v1/assignments', { chart: chartRef, version: '1.0.0', target: { tenant } }, operator);

describe('outbound requests', () => {
  it('the positive control: a chart from an allowed registry is pulled', async () => {
    expect((await assign(chart.ref)).status).toBe(201);
  });

  it.each([
    ['a loopback port that is not a registry', () => `oci://${internal.host}/charts/demo`],
    ['another port of an allowed host', () => `oci://127.0.0.1:${internal.port}/x/y`],
    ['a metadata address', () => 'oci://169.254.169.254/latest/meta-data'],
    ['a name that is not listed', () => 'oci://registry.internal.example:5000/charts/demo'],
  ])('%s: 400 naming the chart, nothing dialled', async (_, ref) => {
    const before = internal.connections();
    const r = await assign(ref());
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'INVALID_INPUT', field: 'chart', message: expect.stringMatching(/may not reach that host \(FASIT_OCI_REGISTRIES/) });
    expect(internal.connections()).toBe(before);
  });

  it('an allowed registry that answers an error: summarised by status and code, its words never echoed', async () => {
    const r = await assign(`oci://${failing.host}/charts/demo`);
    expect(r.status).toBe(502);
    expect(r.body).toMatchObject({ code: 'UPSTREAM_ERROR', message: expect.stringMatching(/\(HTTP 500: UNKNOWN\)/) });
    expect(JSON.stringify(r.body)).not.toContain(SECRET);
  });

  it('a redirect from an allowed registry to another host is not followed', async () => {
    const before = internal.connections();
    const r = await assign(`oci://${redirecting.host}/charts/demo`);
    expect([r.status, r.body['field']]).toEqual([400, 'chart']);
    expect(internal.connections()).toBe(before);
    expect(JSON.stringify(r.body)).not.toContain(SECRET);
  });

  it('a token realm of an allowed registry pointing elsewhere is not asked', async () => {
    const before = internal.connections();
    const r = await assign(`oci://${redirecting.host}/token-elsewhere/demo`);
    expect([r.status, r.body['field']]).toEqual([400, 'chart']);
    expect(internal.connections()).toBe(before);
  });

  it('the registry tag listing of a feature whose host is no longer allowed says so, without dialling', async () => {
    const stored = await h.api<{ registry: { error: string | null; tags: string[] } }>('GET', `/api/v1/features/${chart.name}/versions`, undefined, operator);
    expect(stored.body.registry.error).toBeNull();
    await h.sql.query(`UPDATE catalog.feature_versions SET chart = $1 WHERE feature = $2`, [`oci://${internal.host}/charts/${chart.name}`, chart.name]);
    const before = internal.connections();
    const moved = await h.api<{ registry: { error: string | null; tags: string[] } }>('GET', `/api/v1/features/${chart.name}/versions`, undefined, operator);
    expect(moved.body.registry).toMatchObject({ tags: [], error: expect.stringMatching(/may not reach that host/) });
    expect(internal.connections()).toBe(before);
  });

  it('plain HTTP only to hosts among the allowed ones, said at start', async () => {
    const { loadCatalogConfig } = await import('../../src/settings/catalog.settings.js');
    expect(() => loadCatalogConfig({ FASIT_OCI_REGISTRIES: 'registry.example', FASIT_OCI_INSECURE_HOSTS: 'other.example' })).toThrow(
      /FASIT_OCI_INSECURE_HOSTS: other.example is not in FASIT_OCI_REGISTRIES/,
    );
  });
});
