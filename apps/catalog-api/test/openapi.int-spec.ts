// The OpenAPI document describes exactly the routes the running app serves, and its request schemas are the
// ones the handlers validate with.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { pushChart } from '@fasit/testing';
import { createForeignSchemas, startHarness, unique, type Harness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every (method, path) the Express router of the running app has, in OpenAPI path syntax. */
function servedRoutes(): string[] {
  const router = (h.catalog.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } }).router;
  const out = new Set<string>();
  for (const layer of router.stack) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) {
      if (on && method !== '_all') out.add(`${method} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return [...out].sort();
}

describe('OpenAPI', () => {
  it('is served and is OpenAPI 3.1', async () => {
    const r = await h.api('GET', '/api/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ openapi: '3.1.0', info: { title: 'Fasit catalog API' } });
  });

  it('describes every route the app serves, and nothing else', async () => {
    const doc = (await h.api<{ paths: Record<string, Record<string, unknown>> }>('GET', '/api/v1/openapi.json')).body;
    const described = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))
      .sort();
    const served = servedRoutes();
    expect(served.length).toBeGreaterThan(50);
    expect(described).toEqual(served);
  });

  it("uses the handlers' own request schemas (an unknown field it forbids is refused by the app)", async () => {
    const doc = (
      await h.api<{
        paths: Record<
          string,
          Record<string, { requestBody?: { content: Record<string, { schema: { additionalProperties?: boolean; properties?: object } }> } }>
        >;
      }>('GET', '/api/v1/openapi.json')
    ).body;
    const schema = doc.paths['/api/v1/tenants']!['post']!.requestBody!.content['application/json']!.schema;
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(['description', 'name']);
    expect((await h.api('POST', '/api/v1/tenants', { name: 'ok-name', extra: 1 })).status).toBe(400);
  });

  it('has a browsable page listing the endpoints', async () => {
    const res = await fetch(`${h.catalog.url}/api/v1/docs`);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('/api/v1/tenants/{tenant}/environments/{env}/features/{feature}');
    expect(html).toContain('/api/v1/openapi.json');
  });
});

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}

describe('the answers of the running app match the documented response schemas', () => {
  it('for every kind of resource', async () => {
    const doc = (await h.api<{ paths: Record<string, Record<string, Operation>>; components: object }>('GET', '/api/v1/openapi.json')).body;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    ajv.addSchema({ $id: 'openapi', components: doc.components });
    const templates = Object.keys(doc.paths).map((p) => ({ p, re: new RegExp(`^${p.replace(/\{\w+\}/g, '[^/]+')}$`) }));
    const checked = new Set<string>();
    const call = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
      const r = await h.api(method, path, body);
      const template = templates.find((t) => t.re.test(path.split('?')[0]!))!.p;
      const schema = doc.paths[template]![method.toLowerCase()]!.responses[String(r.status)]?.content?.['application/json']?.schema;
      expect({ path, status: r.status, documented: schema !== undefined }).toEqual({ path, status: r.status, documented: true });
      const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components', '"openapi#/components')) as object);
      const ok = validate(r.body);
      expect({ path, errors: ok ? null : validate.errors }).toEqual({ path, errors: null });
      checked.add(`${method} ${template}`);
      return r.body;
    };

    const tenant = unique('oas');
    const chart = await pushChart('demo-feature', { name: unique('oas'), version: '1.0.0' });
    await call('POST', '/api/v1/tenants', { name: tenant });
    const env = await call('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'dev', kind: 'tenant' });
    const E = `/api/v1/tenants/${tenant}/environments/dev`;
    await call('PUT', `${E}/values/project_id`, { value: 'p' });
    await call('PUT', `${E}/values/key`, { value: { a: 1 }, secret: true });
    const a = await call('POST', '/api/v1/assignments', { chart: chart.ref, version: '1.0.0', target: { tenant } });
    await call('PUT', `/api/v1/features/${chart.name}/config/auth.token`, { value: 't' });
    await call('PUT', `${E}/features/${chart.name}/config/replicas`, { value: 2 });
    await createForeignSchemas(h);
    await h.sql.query(
      `INSERT INTO reconciler.decisions (environment_id, feature, assignment_id, feature_version, action, message, hash, "values", provenance) VALUES ($1, $2, $3, '1.0.0', 'deploy', 'changed', 'h', '{"replicas": 2}', '{"replicas": {"source": "env-config", "secret": false}}')`,
      [env['id'], chart.name, a['id']],
    );
    await h.sql.query(
      `INSERT INTO dispatcher.deploy_statuses (diid, environment_id, feature, assignment_id, feature_version, status, hash) VALUES (gen_random_uuid(), $1, $2, $3, '1.0.0', 'sent', 'h')`,
      [env['id'], chart.name, a['id']],
    );
    await h.sql.query(
      `INSERT INTO dispatcher.releases (environment_id, name, chart_version, status, revision, last_deployed, reported_at) VALUES ($1, $2, '1.0.0', 'deployed', 1, now(), now())`,
      [env['id'], chart.name],
    );

    for (const path of [
      '/api/v1/tenants',
      `/api/v1/tenants/${tenant}`,
      `/api/v1/tenants/${tenant}/environments`,
      E,
      `${E}/values`,
      `${E}/values/key`,
      '/api/v1/values?key=project_id',
      '/api/v1/features',
      `/api/v1/features/${chart.name}`,
      `/api/v1/features/${chart.name}/versions`,
      `/api/v1/features/${chart.name}/config`,
      `/api/v1/features/${chart.name}/config/auth.token?reveal=true`,
      `/api/v1/features/${chart.name}/config/replicas/environments`,
      `${E}/features/${chart.name}/config`,
      `${E}/features`,
      `${E}/features/${chart.name}`,
      `${E}/releases`,
      '/api/v1/assignments',
      `/api/v1/assignments/${String(a['id'])}`,
      `/api/v1/assignments/${String(a['id'])}/status`,
      '/api/v1/audit',
      '/api/v1/tokens',
      '/api/v1/role-bindings',
      '/api/tenants',
      '/api/v1/whoami',
      '/api/v1/console-config',
    ]) {
      await call('GET', path);
    }
    await call('POST', '/api/v1/assignments/preview', { feature: chart.name, version: '1.0.0', target: { tenant } });
    await call('POST', `${E}/features/${chart.name}/disable`, { reason: 'checking' });
    await call('PATCH', E, { labels: { zone: 'a' } });
    await call('POST', `/api/v1/assignments/${String(a['id'])}/deactivate`);
    expect(checked.size).toBeGreaterThanOrEqual(29);
  });
});
