// The OpenAPI document describes exactly the routes the running app serves, and its request schemas are the
// ones the handlers validate with.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './harness.js';

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

  it('uses the handlers\' own request schemas (an unknown field it forbids is refused by the app)', async () => {
    const doc = (await h.api<{ paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { additionalProperties?: boolean; properties?: object } }> } }>> }>('GET', '/api/v1/openapi.json')).body;
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
