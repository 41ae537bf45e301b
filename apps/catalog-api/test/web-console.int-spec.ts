// The web console served at / (FASIT_WEB_ROOT) on a real catalog (fresh PostgreSQL database), and its settings.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadCatalogConfig } from '../src/settings/catalog.settings.js';
import { startHarness, type Harness } from './harness.js';

const root = mkdtempSync(join(tmpdir(), 'fasit-web-'));
writeFileSync(join(root, 'index.html'), '<!doctype html><title>Fasit console</title><div id="root"></div>');
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log("console")');

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ FASIT_WEB_ROOT: root });
});
afterAll(async () => {
  await h?.close();
});

describe('the web console at /', () => {
  it("serves index.html for the console's own page addresses, with a content security policy", async () => {
    for (const path of ['/', '/features/demo-feature', '/tenants/demo/environments/dev']) {
      const res = await fetch(`${h.catalog.url}${path}`);
      expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({ path, status: 200, type: 'text/html; charset=utf-8' });
      await expect(res.text()).resolves.toContain('Fasit console');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('serves the built assets, cached for good (their names carry a content hash)', async () => {
    const res = await fetch(`${h.catalog.url}/assets/index-abc123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    await expect(res.text()).resolves.toBe('console.log("console")');
  });

  it('never answers an API path with the page: an unknown API path is a 404 problem, the API answers as before', async () => {
    for (const path of ['/api/v1/nothing-here', '/api/nothing', '/github/nothing', '/schema/none.json']) {
      const res = await fetch(`${h.catalog.url}${path}`, { headers: { accept: 'text/html' } });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.headers.get('content-type')).toContain('json');
    }
    expect((await h.api('GET', '/api/v1/tenants')).status).toBe(200);
    expect((await h.api('GET', '/healthz')).body).toEqual({ status: 'ok' });
    const metrics = await fetch(`${h.catalog.url}/metrics`, { headers: { accept: 'text/html' } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('fasit_http_requests_total{method="GET",route="/healthz",status="200",service="catalog-api"}');
  });

  it('answers only GET and HEAD with the page; other methods reach the API (404 there)', async () => {
    expect((await fetch(`${h.catalog.url}/features`, { method: 'HEAD' })).status).toBe(200);
    const post = await fetch(`${h.catalog.url}/features`, { method: 'POST' });
    expect(post.status).toBe(404);
  });

  it('tells the console the auth mode and that no sign-in provider is configured (public, no token needed)', async () => {
    expect((await h.api('GET', '/api/v1/console-config')).body).toEqual({ authMode: 'dev', oidc: null });
  });
});

describe("the console's settings", () => {
  const base = { DATABASE_URL: 'postgres://x@127.0.0.1:1/x' };

  it('refuses a web root without index.html, naming the variable', () => {
    const empty = mkdtempSync(join(tmpdir(), 'fasit-web-empty-'));
    expect(() => loadCatalogConfig({ ...base, FASIT_WEB_ROOT: empty })).toThrow(`FASIT_WEB_ROOT: ${empty} has no index.html`);
  });

  it('refuses a sign-in provider that is not a trusted issuer, and an authority without a client id', () => {
    const issuers = JSON.stringify([{ issuer: 'https://issuer.example.com', audience: 'fasit-console' }]);
    expect(() =>
      loadCatalogConfig({ ...base, FASIT_OIDC_ISSUERS: issuers, FASIT_WEB_OIDC_AUTHORITY: 'https://other.example.com', FASIT_WEB_OIDC_CLIENT_ID: 'x' }),
    ).toThrow('FASIT_WEB_OIDC_AUTHORITY: https://other.example.com is not one of the issuers in FASIT_OIDC_ISSUERS');
    expect(() => loadCatalogConfig({ ...base, FASIT_OIDC_ISSUERS: issuers, FASIT_WEB_OIDC_AUTHORITY: 'https://issuer.example.com' })).toThrow(
      'FASIT_WEB_OIDC_CLIENT_ID: required with FASIT_WEB_OIDC_AUTHORITY',
    );
    const ok = loadCatalogConfig({
      ...base,
      FASIT_OIDC_ISSUERS: issuers,
      FASIT_WEB_OIDC_AUTHORITY: 'https://issuer.example.com',
      FASIT_WEB_OIDC_CLIENT_ID: 'fasit-console',
    });
    expect(ok).toMatchObject({ webOidcAuthority: 'https://issuer.example.com', webOidcClientId: 'fasit-console', webOidcScope: 'openid email profile' });
  });
});

describe('a console with a sign-in provider', () => {
  it('names the provider, the client id and the scopes, and lets the console reach the provider in its policy', async () => {
    const issuers = JSON.stringify([{ issuer: 'https://issuer.example.com', audience: 'fasit-console' }]);
    const o = await startHarness({
      FASIT_WEB_ROOT: root,
      FASIT_OIDC_ISSUERS: issuers,
      FASIT_WEB_OIDC_AUTHORITY: 'https://issuer.example.com',
      FASIT_WEB_OIDC_CLIENT_ID: 'fasit-console',
    });
    try {
      expect((await o.api('GET', '/api/v1/console-config')).body).toEqual({
        authMode: 'dev',
        oidc: { authority: 'https://issuer.example.com', clientId: 'fasit-console', scope: 'openid email profile' },
      });
      const page = await fetch(`${o.catalog.url}/`);
      expect(page.headers.get('content-security-policy')).toContain("connect-src 'self' https://issuer.example.com");
    } finally {
      await o.close();
    }
  });
});
