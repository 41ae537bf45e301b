// The gRPC management API (Terraform): the RPCs with the original's semantics, status codes, tokens and audit.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as grpc from '@grpc/grpc-js';
import { loadManagementProto } from '../src/grpc/grpc.server.js';
import type { FasitClient } from '../src/grpc/generated/fasit/management/v1/Fasit.js';
import { startHarness, unique, type Harness, type Rows } from './harness.js';
import { startIssuer, type LocalIssuer } from './oidc-issuer.js';

type Call<Req, Res> = (req: Req, metadata?: grpc.Metadata) => Promise<Res>;

function promisify<Req, Res>(client: FasitClient, method: string): Call<Req, Res> {
  return (req, metadata = new grpc.Metadata()) =>
    new Promise((resolve, reject) => {
      const fn = (client as unknown as Record<string, (r: Req, m: grpc.Metadata, cb: (e: grpc.ServiceError | null, r?: Res) => void) => void>)[method]!;
      fn.call(client, req, metadata, (e, r) => (e ? reject(e) : resolve(r!)));
    });
}

const rpc = (client: FasitClient) => ({
  createTenant: promisify<{ name: string; description?: string }, { tenant: { id: string; name: string } }>(client, 'CreateTenant'),
  getTenant: promisify<{ name: string }, { tenant: { id: string; name: string } }>(client, 'GetTenant'),
  createEnvironment: promisify<
    { tenant_id: string; name: string; kind: string; labels?: { key: string; value: string }[]; oidc_issuer?: string; drift_policy?: string },
    {
      environment: {
        id: string;
        kind: string;
        labels: { key: string; value: string }[];
        oidc_issuer: string;
        oidc_discovery_url: string;
        drift_policy: string;
      };
    }
  >(client, 'CreateEnvironment'),
  getEnvironment: promisify<{ tenant_id: string; name: string }, { environment: { id: string; name: string; tenant_id: string } }>(client, 'GetEnvironment'),
  updateEnvironment: promisify<
    { environment_id: string; labels: { key: string; value: string }[]; oidc_issuer?: string; oidc_discovery_url?: string; drift_policy?: string },
    { environment: { labels: { key: string; value: string }[]; oidc_issuer: string; oidc_discovery_url: string; drift_policy: string } }
  >(client, 'UpdateEnvironment'),
  setValue: promisify<{ environment_id: string; key: string; value: Buffer; secret?: boolean }, { success: boolean }>(client, 'SetEnvironmentValue'),
  getValue: promisify<
    { environment_id: string; key: string },
    { environment_value: { value: Buffer; secret: boolean; tenant_name: string; environment_name: string; tenant_id: string } }
  >(client, 'GetEnvironmentValue'),
  listValues: promisify<{ key: string }, { values: { environment_name: string; value: Buffer }[] }>(client, 'ListEnvironmentValues'),
  deleteValue: promisify<{ environment_id: string; key: string }, { success: boolean }>(client, 'DeleteEnvironmentValue'),
});

const labels = (l: { key: string; value: string }[]) => Object.fromEntries(l.map((x) => [x.key, x.value]));
const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return grpc.status.OK;
  } catch (e) {
    return (e as grpc.ServiceError).code;
  }
};

describe('in local development mode', () => {
  let h: Harness;
  let client: FasitClient;
  let api: ReturnType<typeof rpc>;
  const tenant = unique('grpc');

  beforeAll(async () => {
    h = await startHarness();
    const Fasit = loadManagementProto().fasit.management.v1.Fasit;
    client = new Fasit(h.catalog.grpcAddress!, grpc.credentials.createInsecure());
    api = rpc(client);
  });

  afterAll(async () => {
    client?.close();
    await h?.close();
  });

  let tenantId: string;
  let envId: string;

  it('creates and gets a tenant; a duplicate is ALREADY_EXISTS, a short name INVALID_ARGUMENT, an unknown one NOT_FOUND', async () => {
    const created = await api.createTenant({ name: tenant, description: 'from terraform' });
    tenantId = created.tenant.id;
    expect((await api.getTenant({ name: tenant })).tenant).toMatchObject({ id: tenantId, name: tenant });
    expect(await codeOf(api.createTenant({ name: tenant }))).toBe(grpc.status.ALREADY_EXISTS);
    expect(await codeOf(api.createTenant({ name: 'x' }))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await codeOf(api.getTenant({ name: 'no-such-tenant' }))).toBe(grpc.status.NOT_FOUND);
  });

  it('creates an environment with labels (system labels added); LEGACY is refused', async () => {
    const env = await api.createEnvironment({
      tenant_id: tenantId,
      name: 'dev',
      kind: 'TENANT',
      labels: [{ key: 'team', value: 'a' }],
      oidc_issuer: 'https://dev.example/oidc',
    });
    envId = env.environment.id;
    expect(env.environment).toMatchObject({ kind: 'TENANT', oidc_issuer: 'https://dev.example/oidc', oidc_discovery_url: '' });
    expect(await codeOf(api.createEnvironment({ tenant_id: tenantId, name: 'bad-url', kind: 'TENANT', oidc_issuer: 'ftp://x' }))).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
    expect(labels(env.environment.labels)).toEqual({ team: 'a', name: 'dev', tenant, kind: 'tenant' });
    expect(await codeOf(api.createEnvironment({ tenant_id: tenantId, name: 'old', kind: 'LEGACY' }))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(
      await codeOf(
        api.createEnvironment({
          tenant_id: tenantId,
          name: 'dup',
          kind: 'TENANT',
          labels: [
            { key: 'a', value: '1' },
            { key: 'a', value: '2' },
          ],
        }),
      ),
    ).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await codeOf(api.createEnvironment({ tenant_id: tenantId, name: 'bad', kind: 'TENANT', labels: [{ key: 'bad key', value: '1' }] }))).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
    expect(await codeOf(api.createEnvironment({ tenant_id: '00000000-0000-0000-0000-000000000000', name: 'dev', kind: 'TENANT' }))).toBe(grpc.status.NOT_FOUND);
    expect((await api.getEnvironment({ tenant_id: tenantId, name: 'dev' })).environment).toMatchObject({ id: envId, tenant_id: tenantId, name: 'dev' });
  });

  it('replaces labels on UpdateEnvironment (system labels stay) and emits environment.changed', async () => {
    const updated = await api.updateEnvironment({
      environment_id: envId,
      labels: [{ key: 'zone', value: 'north' }],
      oidc_discovery_url: 'https://dev.example/.well-known/openid-configuration',
    });
    expect(labels(updated.environment.labels)).toEqual({ zone: 'north', name: 'dev', tenant, kind: 'tenant' });
    expect(updated.environment).toMatchObject({
      oidc_issuer: 'https://dev.example/oidc',
      oidc_discovery_url: 'https://dev.example/.well-known/openid-configuration',
    });
    const cleared = await api.updateEnvironment({ environment_id: envId, labels: [{ key: 'zone', value: 'north' }], oidc_issuer: '' });
    expect(cleared.environment).toMatchObject({ oidc_issuer: '', oidc_discovery_url: 'https://dev.example/.well-known/openid-configuration' });
    await h.waitForEvent('catalog.environment.changed.v1', (p) => p['environmentId'] === envId && (p['labels'] as Record<string, string>)['zone'] === 'north');
  });

  it('sets the drift policy at creation and on UpdateEnvironment, as REST does; an unknown one is INVALID_ARGUMENT naming drift_policy and changes nothing', async () => {
    expect((await api.getEnvironment({ tenant_id: tenantId, name: 'dev' })).environment).toMatchObject({ drift_policy: 'report' });
    const strict = await api.createEnvironment({ tenant_id: tenantId, name: 'strict', kind: 'TENANT', drift_policy: 'correct' });
    expect(strict.environment.drift_policy).toBe('correct');
    const updated = await api.updateEnvironment({ environment_id: strict.environment.id, labels: [], drift_policy: 'report' });
    expect(updated.environment.drift_policy).toBe('report');
    expect((await h.api<{ driftPolicy: string }>('GET', `/api/v1/tenants/${tenant}/environments/strict`)).body.driftPolicy).toBe('report');
    // absent: left as it is
    expect((await api.updateEnvironment({ environment_id: strict.environment.id, labels: [{ key: 'zone', value: 'south' }] })).environment.drift_policy).toBe(
      'report',
    );
    const refused = await api.updateEnvironment({ environment_id: strict.environment.id, labels: [], drift_policy: 'fix' }).catch((e: grpc.ServiceError) => e);
    expect(refused).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: 'drift_policy: must be one of report, correct (got "fix")' });
    const refusedCreate = await api
      .createEnvironment({ tenant_id: tenantId, name: 'loose', kind: 'TENANT', drift_policy: 'Correct' })
      .catch((e: grpc.ServiceError) => e);
    expect(refusedCreate).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: 'drift_policy: must be one of report, correct (got "Correct")' });
    expect((await h.api('GET', `/api/v1/tenants/${tenant}/environments/loose`)).status).toBe(404);
    expect((await h.api<{ driftPolicy: string; labels: Record<string, string> }>('GET', `/api/v1/tenants/${tenant}/environments/strict`)).body).toMatchObject({
      driftPolicy: 'report',
      labels: { zone: 'south' },
    });
  });

  it('upserts, reads (secrets unmasked), lists across environments and deletes values; all audited as system:provider', async () => {
    expect((await api.setValue({ environment_id: envId, key: 'project_id', value: Buffer.from('"p-1"') })).success).toBe(true);
    expect((await api.setValue({ environment_id: envId, key: 'project_id', value: Buffer.from('"p-2"') })).success).toBe(true);
    await api.setValue({ environment_id: envId, key: 'sa_key', value: Buffer.from('{"k":"SECRET-KEY"}'), secret: true });
    const got = await api.getValue({ environment_id: envId, key: 'sa_key' });
    expect(JSON.parse(got.environment_value.value.toString())).toEqual({ k: 'SECRET-KEY' });
    expect(got.environment_value).toMatchObject({ secret: true, tenant_name: tenant, environment_name: 'dev', tenant_id: tenantId });
    const across = await api.listValues({ key: 'project_id' });
    expect(across.values.map((v) => [v.environment_name, JSON.parse(v.value.toString()) as unknown])).toEqual([['dev', 'p-2']]);
    expect(await codeOf(api.setValue({ environment_id: envId, key: 'x', value: Buffer.from('not json') }))).toBe(grpc.status.INVALID_ARGUMENT);
    expect((await api.deleteValue({ environment_id: envId, key: 'project_id' })).success).toBe(true);
    expect(await codeOf(api.deleteValue({ environment_id: envId, key: 'project_id' }))).toBe(grpc.status.NOT_FOUND);
    expect(await codeOf(api.getValue({ environment_id: 'nope', key: 'x' }))).toBe(grpc.status.NOT_FOUND);
    const audit = await h.api<Rows>('GET', `/api/v1/audit?environment=${envId}&limit=1000`);
    expect(audit.body.length).toBeGreaterThanOrEqual(6);
    expect(audit.body.every((a) => a['actor'] === 'system:provider')).toBe(true);
    expect(audit.body.some((a) => a['action'] === 'revealed')).toBe(true);
    expect(JSON.stringify(audit.body)).not.toContain('SECRET-KEY');
  });
});

describe('with authentication', () => {
  let h: Harness;
  let idp: LocalIssuer;
  let client: FasitClient;
  let api: ReturnType<typeof rpc>;
  const meta = (token: string) => {
    const m = new grpc.Metadata();
    m.set('authorization', `Bearer ${token}`);
    return m;
  };

  beforeAll(async () => {
    idp = await startIssuer();
    h = await startHarness({
      FASIT_AUTH_MODE: 'oidc',
      FASIT_SECRET_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      FASIT_OIDC_ISSUERS: JSON.stringify([{ issuer: idp.url, audience: 'fasit' }]),
      FASIT_BOOTSTRAP_ADMINS: 'root@example.org',
    });
    const Fasit = loadManagementProto().fasit.management.v1.Fasit;
    client = new Fasit(h.catalog.grpcAddress!, grpc.credentials.createInsecure());
    api = rpc(client);
  });

  afterAll(async () => {
    client?.close();
    await h?.close();
    await idp?.close();
  });

  it('refuses calls without a token, accepts the same tokens as REST, and enforces roles', async () => {
    expect(await codeOf(api.getTenant({ name: 'any' }))).toBe(grpc.status.UNAUTHENTICATED);
    const root = idp.token({ aud: 'fasit', email: 'root@example.org' });
    const tenant = unique('g');
    const created = await api.createTenant({ name: tenant }, meta(root));
    const env = await api.createEnvironment({ tenant_id: created.tenant.id, name: 'dev', kind: 'MANAGEMENT' }, meta(root));
    await api.setValue({ environment_id: env.environment.id, key: 'pw', value: Buffer.from('"hunter2"'), secret: true }, meta(root));
    const token = await h.api<{ token: string }>('POST', '/api/v1/tokens', { name: 'tf', role: 'viewer', tenant }, root);
    const viewer = meta(token.body.token);
    expect((await api.getTenant({ name: tenant }, viewer)).tenant.name).toBe(tenant);
    expect(await codeOf(api.setValue({ environment_id: env.environment.id, key: 'x', value: Buffer.from('1') }, viewer))).toBe(grpc.status.PERMISSION_DENIED);
    expect(await codeOf(api.getValue({ environment_id: env.environment.id, key: 'pw' }, viewer))).toBe(grpc.status.PERMISSION_DENIED);
    const listed = await api.listValues({ key: 'pw' }, viewer);
    expect(listed.values.map((v) => JSON.parse(v.value.toString()) as unknown)).toEqual(['*****']);
    const asRoot = await api.listValues({ key: 'pw' }, meta(root));
    expect(asRoot.values.map((v) => JSON.parse(v.value.toString()) as unknown)).toEqual(['hunter2']);
    expect(await codeOf(api.createTenant({ name: unique('h') }, viewer))).toBe(grpc.status.PERMISSION_DENIED);
    const stranger = meta(idp.token({ aud: 'fasit', email: 'nobody@example.org' }));
    expect(await codeOf(api.getTenant({ name: tenant }, stranger))).toBe(grpc.status.NOT_FOUND);
    expect(await codeOf(api.getTenant({ name: tenant }, meta('fasit_bogus')))).toBe(grpc.status.UNAUTHENTICATED);
  });
});

describe('a taken gRPC port', () => {
  it('turns gRPC off loudly in local development mode instead of failing the start', async () => {
    const first = await startHarness();
    const port = first.catalog.grpcAddress!.split(':').at(-1)!;
    try {
      const second = await startHarness({ FASIT_GRPC_PORT: port });
      try {
        expect(second.catalog.grpcAddress).toBeNull();
        expect(second.logs.some((l) => l.includes('gRPC management API is OFF'))).toBe(true);
        expect((await second.api('GET', '/healthz')).status).toBe(200);
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
    }
  });
});
