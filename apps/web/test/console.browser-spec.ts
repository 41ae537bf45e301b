// The console in a real browser against the real platform (see platform.ts): pages served by catalog-api at /,
// reading the API with the typed client, and the operator's actions.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { screenshots, startConsole, type Console } from './platform.js';

let c: Console;

beforeAll(async () => {
  c = await startConsole();
}, 240_000);

afterAll(async () => {
  await c?.close();
});

describe('the console served by catalog-api', () => {
  it('lists the environments of the demo tenant, and a page address opened directly shows that page', async () => {
    const { context, page } = await c.page();
    try {
      await page.goto('/environments');
      const table = page.getByRole('table', { name: 'Environments' });
      for (const env of ['mgmt', 'dev', 'prod']) await table.getByRole('link', { name: env, exact: true }).waitFor();
      await screenshots(page, 'environments');
      // a reload of a page the console routes itself gets the console, not a 404
      const res = await page.goto('/tenants/demo/environments/dev');
      expect(res?.status()).toBe(200);
      expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
      await page.getByRole('heading', { name: 'demo / dev' }).waitFor();
      await page.getByRole('table', { name: 'Features in the environment' }).getByRole('link', { name: 'demo-feature' }).waitFor();
      await screenshots(page, 'environment');
    } finally {
      await context.close();
    }
  });

  it('never answers an API path with the page', async () => {
    const res = await fetch(`${c.url}/api/v1/no-such-thing`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('json');
  });

  it('disables a feature in an environment with a reason, shows it, and finds it in the audit log', async () => {
    const { context, page } = await c.page();
    const reason = `maintenance window INC-${Date.now()}`;
    try {
      await page.goto('/tenants/demo/environments/prod');
      const row = page.locator('tr[data-feature="demo-feature"]');
      await row.getByRole('button', { name: 'Disable' }).click();
      const dialog = page.getByRole('dialog');
      // the reason is required: the button stays off until there is one
      await expect(dialog.getByRole('button', { name: 'Disable' }).isDisabled()).resolves.toBe(true);
      await dialog.getByLabel('Reason').fill(reason);
      await dialog.getByRole('button', { name: 'Disable' }).click();
      await row.getByText(`disabled: ${reason}`).waitFor();
      await expect(row.locator('[data-state]').getAttribute('data-state')).resolves.toBe('DISABLED');
      const api = await c.api<{ state: string; disabled: { reason: string } | null }>('GET', '/api/v1/tenants/demo/environments/prod/features/demo-feature');
      expect(api.body).toMatchObject({ state: 'DISABLED', disabled: { reason } });

      await page.getByRole('link', { name: 'Audit log' }).click();
      await page.getByLabel('Search').fill(reason);
      await page.getByRole('button', { name: 'Search' }).click();
      const entry = page.getByRole('table', { name: 'Audit entries' }).getByRole('row').filter({ hasText: reason });
      await entry.waitFor();
      await expect(entry.textContent()).resolves.toContain('disabled demo-feature in demo/prod');
      await screenshots(page, 'audit');

      // and enabled again from the same row
      await page.goto('/tenants/demo/environments/prod');
      await row.getByRole('button', { name: 'Enable' }).click();
      await row.getByRole('button', { name: 'Disable' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('shows the features, one feature with its configuration keys, and an assignment rolling out to DEPLOYED', async () => {
    const { context, page } = await c.page();
    try {
      await page.goto('/features');
      await page.getByRole('table', { name: 'Features' }).getByRole('link', { name: 'demo-feature' }).click();
      await page.getByRole('heading', { name: 'demo-feature' }).waitFor();
      await page.getByRole('table', { name: 'Configuration keys' }).getByText('auth.token').waitFor();
      await screenshots(page, 'feature');
      await page.goto(`/assignments/${c.demoAssignmentId}`);
      await page.locator('[data-testid="assignment-state"] [data-state="DEPLOYED"]').waitFor({ timeout: 120_000 });
      await screenshots(page, 'assignment');
      await page.goto('/');
      await page.getByRole('table', { name: 'Recent audit entries' }).waitFor();
      await screenshots(page, 'home');
    } finally {
      await context.close();
    }
  });
});
