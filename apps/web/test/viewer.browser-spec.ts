// The console with sign-in: catalog-api in FASIT_AUTH_MODE=oidc (fresh PostgreSQL database, in-process bus, the
// built console), a real OpenID Connect provider of the test's own (oidc-provider.ts) and Debian's Chromium. The
// console signs in with the authorization code flow and PKCE; a viewer is offered no write action, an operator
// of the same tenant is.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { loadCatalogConfig, startCatalog, type RunningCatalog } from '@fasit/catalog-api';
import { createTestDatabase, pushChart, type TestDatabase } from '@fasit/testing';
import { startOidcProvider, type OidcProvider } from './oidc-provider.js';
import { launchChromium, screenshots, WEB_ROOT } from './platform.js';

let provider: OidcProvider;
let db: TestDatabase;
let catalog: RunningCatalog;
let browser: Browser;
let assignmentId: string;
const feature = `web-oidc-${randomBytes(3).toString('hex')}`;

async function api(method: string, path: string, as: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${catalog.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${provider.token(as)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

async function ok(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await api(method, path, 'admin@example.com', body);
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

beforeAll(async () => {
  provider = await startOidcProvider();
  db = await createTestDatabase('webauth');
  catalog = await startCatalog(
    loadCatalogConfig({
      DATABASE_URL: db.url,
      FASIT_AUTH_MODE: 'oidc',
      FASIT_SECRET_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      FASIT_OIDC_ISSUERS: JSON.stringify([{ issuer: provider.issuer, audience: provider.clientId }]),
      FASIT_BOOTSTRAP_ADMINS: 'admin@example.com',
      // in oidc mode the catalog pulls charts only from the registries it is given
      FASIT_OCI_REGISTRIES: process.env['OCI_REGISTRY'] ?? '',
      FASIT_WEB_ROOT: WEB_ROOT,
      FASIT_WEB_OIDC_AUTHORITY: provider.issuer,
      FASIT_WEB_OIDC_CLIENT_ID: provider.clientId,
      FASIT_HTTP_HOST: '127.0.0.1',
      FASIT_HTTP_PORT: '0',
      FASIT_GRPC_PORT: '-1',
      FASIT_BUS: 'memory',
      LOG_LEVEL: 'warn',
    }),
  );
  await ok('POST', '/api/v1/tenants', { name: 'acme' });
  await ok('POST', '/api/v1/tenants/acme/environments', { name: 'dev', kind: 'tenant' });
  await ok('PUT', '/api/v1/tenants/acme/environments/dev/values/db_password', { value: 'hunter2', secret: true });
  const chart = await pushChart('demo-feature', { name: feature, version: '1.0.0' });
  assignmentId = String((await ok('POST', '/api/v1/assignments', { chart: chart.ref, version: '1.0.0', target: { tenant: 'acme' } }))['id']);
  await ok('POST', '/api/v1/role-bindings', { subject: 'viewer@example.com', role: 'viewer', tenant: 'acme' });
  await ok('POST', '/api/v1/role-bindings', { subject: 'operator@example.com', role: 'operator', tenant: 'acme' });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await catalog?.close();
  await db?.drop();
  await provider?.close();
});

async function signedIn(email: string, path: string): Promise<{ page: Page; close: () => Promise<void> }> {
  provider.signInAs(email);
  const context = await browser.newContext({ baseURL: catalog.url, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(path);
  await page.getByTestId('whoami').filter({ hasText: email }).waitFor();
  return { page, close: () => context.close() };
}

describe('signing in to the console', () => {
  it('signs in through the provider (authorization code + PKCE) and comes back to the page it was opened on', async () => {
    const { page, close } = await signedIn('viewer@example.com', '/tenants/acme/environments/dev');
    try {
      expect(new URL(page.url()).pathname).toBe('/tenants/acme/environments/dev');
      await expect(page.getByTestId('whoami').textContent()).resolves.toContain('viewer on acme');
      expect(provider.refusals).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('a viewer sees no write actions', () => {
  it('on the environment, its values, the feature, its configuration and the assignments', async () => {
    const { page, close } = await signedIn('viewer@example.com', '/tenants/acme/environments/dev');
    try {
      const features = page.getByRole('table', { name: 'Features in the environment' });
      await features.getByRole('link', { name: feature }).waitFor();
      await expect(features.getByRole('button').count()).resolves.toBe(0);
      await expect(features.getByRole('columnheader', { name: 'Actions' }).count()).resolves.toBe(0);
      await screenshots(page, 'viewer-environment');
      await page.getByRole('tab', { name: 'Values' }).click();
      await page.getByRole('table', { name: 'Environment values' }).getByText('db_password').waitFor();
      await expect(page.getByRole('button', { name: /Reveal/ }).count()).resolves.toBe(0);
      await expect(page.getByRole('table', { name: 'Environment values' }).textContent()).resolves.not.toContain('hunter2');

      await page.goto(`/tenants/acme/environments/dev/features/${feature}`);
      await page.getByRole('table', { name: 'Configuration in the environment' }).waitFor();
      await expect(page.getByRole('button', { name: /^(Disable|Enable|Redeploy|Save)$/ }).count()).resolves.toBe(0);
      await expect(page.getByLabel('replicas value').isDisabled()).resolves.toBe(true);

      await page.goto('/assignments');
      await page.getByRole('table', { name: 'Assignments' }).getByRole('link', { name: feature }).waitFor();
      await expect(page.getByRole('link', { name: 'New assignment' }).count()).resolves.toBe(0);
      await page.goto(`/assignments/${assignmentId}`);
      await page.getByRole('table', { name: 'Rollout per environment' }).waitFor();
      await expect(page.getByRole('button', { name: 'Deactivate' }).count()).resolves.toBe(0);
    } finally {
      await close();
    }
  });

  it('while an operator of the same tenant is offered them on the same pages', async () => {
    const { page, close } = await signedIn('operator@example.com', '/tenants/acme/environments/dev');
    try {
      const row = page.locator(`tr[data-feature="${feature}"]`);
      await row.getByRole('button', { name: 'Disable' }).waitFor();
      await row.getByRole('button', { name: 'Redeploy' }).waitFor();
      await page.getByRole('tab', { name: 'Values' }).click();
      await page.getByRole('button', { name: /Reveal/ }).waitFor();
      await page.goto(`/assignments/${assignmentId}`);
      await page.getByRole('button', { name: 'Deactivate' }).waitFor();
    } finally {
      await close();
    }
  });
});
