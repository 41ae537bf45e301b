// The console in a real browser against the real platform (see platform.ts): pages served by catalog-api at /,
// reading the API with the typed client, and the operator's actions.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pushChart, startFakeKubernetes, type FakeKubernetes } from '@fasit/testing';
import { screenshots, startConsole, type Console } from './platform.js';

let c: Console;

beforeAll(async () => {
  c = await startConsole();
}, 900_000);

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

async function until(check: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out; the services' last log lines:\n${c.diagnostics()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('changing the fleet from the console', () => {
  it('creates an assignment through the form: preview first, then save, then the rollout reaches DEPLOYED', async () => {
    // 0.3.0: the README's walkthrough (run by the launcher's docs test, maybe at the same time on the same registry)
    // pushes its own demo/demo-feature 0.2.0; a second push of one tag under a fetched digest fails the deploy.
    await pushChart('demo-feature', { repoPath: 'demo', version: '0.3.0' });
    const { context, page } = await c.page();
    try {
      await page.goto('/assignments');
      await page.getByRole('link', { name: 'New assignment' }).click();
      await page.getByRole('combobox', { name: 'Feature' }).click();
      await page.getByRole('option', { name: 'demo-feature' }).click();
      await page.getByRole('combobox', { name: 'Version' }).click();
      await page.getByRole('option', { name: '0.3.0 (in the registry, not fetched yet)' }).click();
      await page.getByRole('button', { name: 'Fetch and validate it' }).click();
      await page.getByLabel('label value 1').fill('demo');
      // the preview follows the target as it is typed: the whole tenant first…
      await page.getByTestId('preview-reach-count').filter({ hasText: /^3$/ }).waitFor();
      await page.getByRole('button', { name: 'Add label' }).click();
      await page.getByLabel('label key 2').fill('name');
      await page.getByLabel('label value 2').fill('prod');
      // …then only prod, where it would replace what runs now
      await page.getByTestId('preview-reach-count').filter({ hasText: /^1$/ }).waitFor();
      const preview = page.getByRole('table', { name: 'Preview' });
      await expect(preview.getByRole('row').count()).resolves.toBe(2);
      await expect(preview.getByRole('row').nth(1).textContent()).resolves.toContain('demo/prod');
      await expect(preview.getByRole('row').nth(1).textContent()).resolves.toContain('0.1.0');
      await page.getByLabel('Description').fill('0.3.0 to production, from the console');
      await screenshots(page, 'new-assignment');
      await page.getByRole('button', { name: 'Save assignment' }).click();
      await page.waitForURL(/\/assignments\/[0-9a-f-]{36}$/);
      await page.locator('[data-testid="assignment-state"] [data-state="DEPLOYED"]').waitFor({ timeout: 120_000 });
      const id = page.url().split('/').at(-1)!;
      const status = await c.api<{ state: string; version: string; environments: { environment: string; state: string }[] }>(
        'GET',
        `/api/v1/assignments/${id}/status`,
      );
      expect(status.body).toMatchObject({ state: 'DEPLOYED', version: '0.3.0', environments: [{ environment: 'prod', state: 'DEPLOYED' }] });
    } finally {
      await context.close();
    }
  });

  it('refuses an invalid configuration value inline, and changes nothing', async () => {
    const { context, page } = await c.page();
    try {
      await page.goto('/features/demo-feature');
      await page.getByRole('tab', { name: 'Global configuration' }).click();
      const row = page.locator('tr[data-key="replicas"]');
      await row.getByLabel('replicas value').fill('three');
      await row.getByRole('button', { name: 'Save' }).click();
      await row.getByText('must be an integer for config type int (got "three")').waitFor();
      await screenshots(page, 'feature-config');
      const stored = await c.api('GET', '/api/v1/features/demo-feature/config/replicas');
      expect(stored.status).toBe(404);
      await row.getByLabel('replicas value').fill('2');
      await row.getByRole('button', { name: 'Save' }).click();
      await row.getByText('saved').waitFor();
      expect((await c.api<{ value: unknown }>('GET', '/api/v1/features/demo-feature/config/replicas')).body.value).toBe(2);

      // the key compared across environments: the global value just saved, then the demo's override in prod
      await page.getByRole('tab', { name: 'Compare across environments' }).click();
      await page.getByRole('combobox', { name: 'Key' }).click();
      await page.getByRole('option', { name: 'replicas' }).click();
      const compared = page.getByRole('table', { name: 'replicas across environments' });
      await compared.getByText('global').waitFor();
      const rows = compared.locator('tbody tr');
      const whereAndValue = async (i: number) => [await rows.nth(i).locator('td').nth(0).textContent(), await rows.nth(i).locator('td').nth(1).textContent()];
      expect(await rows.count()).toBe(2);
      expect([await whereAndValue(0), await whereAndValue(1)]).toEqual([
        ['global', '2'],
        ['demo/prod', '3'],
      ]);
      await screenshots(page, 'feature-config-compare');
    } finally {
      await context.close();
    }
  });

  it('explains a feature that waits for a dependency', async () => {
    const missing = 'web-missing-dependency';
    const chart = await pushChart('demo-feature', {
      name: 'web-dependent',
      repoPath: 'demo',
      version: '0.1.0',
      files: { 'Feature.yaml': `environmentKinds: [tenant]\ndependencies:\n  - allOf: [${missing}]\nvalues:\n  replicas:\n    config:\n      type: int\n` },
    });
    const r = await c.api('POST', '/api/v1/assignments', { chart: chart.ref, version: '0.1.0', target: { tenant: 'demo', name: 'dev' } });
    expect(r.status).toBe(201);
    const { context, page } = await c.page();
    try {
      await page.goto('/tenants/demo/environments/dev/features/web-dependent');
      await page.locator('[data-testid="explain-next"][data-action="missing-deps"]').waitFor({ timeout: 90_000 });
      await expect(page.getByTestId('explain-message').textContent()).resolves.toBe(`missing dependencies: ${missing}`);
      const deps = page.getByRole('table', { name: 'Dependencies' });
      await expect(deps.getByRole('row').nth(1).textContent()).resolves.toMatch(new RegExp(`${missing}.*required.*not assigned here`));
      await page.getByText(`waiting for dependencies: ${missing}`).waitFor();
      await screenshots(page, 'explain');
    } finally {
      await context.close();
    }
  });

  it('shows a template error at its line and column, and the output once it is fixed', async () => {
    const { context, page } = await c.page();
    try {
      await page.goto('/template-tester');
      await page.getByRole('combobox', { name: 'Environment' }).click();
      await page.getByRole('option', { name: 'demo/dev' }).click();
      await page.getByRole('textbox', { name: 'Template', exact: true }).fill('{{ .Env.project_id }}\n{{ if }}');
      const error = page.getByTestId('template-error');
      await error.getByText('Parse error at line 2').waitFor();
      await expect(error.textContent()).resolves.toContain('missing value for if');
      // the line at fault, with a caret under the column the engine names
      await expect(page.getByTestId('template-error-position').textContent()).resolves.toMatch(/^\{\{ if \}\}\n *\^$/);
      await screenshots(page, 'template-tester');
      await page.getByRole('textbox', { name: 'Template', exact: true }).fill('{{ .Env.project_id }}.{{ .Tenant.Name }}');
      await page.getByTestId('template-output').filter({ hasText: 'demo-dev-4711.demo' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('runs the reconciler dry: the deployed demo is unchanged, as the real reconciler decided', async () => {
    // once the reconciler has settled dev (the configuration changed above), it holds the deployed state for current
    await until(
      async () =>
        (await c.api<{ next: { action: string } }>('GET', '/api/v1/tenants/demo/environments/dev/features/demo-feature/explain')).body.next.action ===
        'unchanged',
    );
    const { context, page } = await c.page();
    try {
      await page.goto('/reconciler');
      await page.getByRole('button', { name: 'Run dry run' }).click();
      await page.getByTestId('dry-run-summary').waitFor({ timeout: 60_000 });
      // the dry run renders and hashes on its own: it must come to the reconciler's verdict
      await expect(page.locator('tr[data-pair="demo/dev/demo-feature"]').getAttribute('data-action')).resolves.toBe('unchanged');
      await expect(page.locator('tr[data-pair="demo/dev/web-dependent"]').getAttribute('data-action')).resolves.toBe('missing-deps');
      await screenshots(page, 'reconciler');
      await page.goto('/labels');
      await page.getByRole('table', { name: 'Label keys' }).getByText('region').waitFor();
      await screenshots(page, 'labels');
    } finally {
      await context.close();
    }
  });

  // Last: it moves dev's agent into cluster mode. The fake Kubernetes API validates nothing a real cluster would;
  // here it is an empty cluster, so what Fasit deployed to dev (as a dry run) is really missing from it.
  it("shows a feature's drift in an environment, its kind and the environment's policy; where there is none, no drift", async () => {
    let kube: FakeKubernetes | undefined;
    const { context, page } = await c.page();
    try {
      kube = await startFakeKubernetes();
      await c.platform.stopAgent({ tenant: 'demo', environment: 'dev' });
      await c.platform.startAgent({ tenant: 'demo', environment: 'dev', env: { FASIT_KUBECONFIG: kube.kubeconfig } });
      await page.goto('/tenants/demo/environments/dev/features/demo-feature');
      // The agent's first real inventory lacks the release Fasit deployed: the reconciler reports it (policy report).
      const drift = page.locator('[data-testid="explain-drift"][data-kind="missing"]');
      await drift.waitFor({ timeout: 120_000 });
      await expect(drift.getAttribute('data-policy')).resolves.toBe('report');
      const deployed = (await c.api<{ current: { version: string } }>('GET', '/api/v1/tenants/demo/environments/dev/features/demo-feature')).body.current
        .version;
      expect(deployed).toMatch(/^\d+\.\d+\.\d+$/);
      await expect(drift.textContent()).resolves.toMatch(
        new RegExp(
          `^drift \\(missing\\): the release is missing from the cluster; Fasit deployed version ${deployed.replaceAll('.', '\\.')}; policy report \\(since .+\\)$`,
        ),
      );
      await screenshots(page, 'explain-drift');
      // prod's agent runs without a cluster: its inventory is not real, so nothing there reads as drift.
      await page.goto('/tenants/demo/environments/prod/features/demo-feature');
      const none = page.getByTestId('explain-drift');
      await none.waitFor();
      await expect(none.getAttribute('data-kind')).resolves.toBe('none');
      await expect(none.textContent()).resolves.toBe('no drift seen: the cluster holds what Fasit deployed, or its agent has no real inventory');
      await expect(page.getByText('drift (', { exact: false }).count()).resolves.toBe(0);
    } finally {
      await context.close();
      await kube?.stop();
    }
  }, 180_000);
});
