// The real platform for the browser tests: catalog-api (serving the built console from apps/web/dist), matcher,
// reconciler, dispatcher and one naisd per demo environment as separate processes over the Pub/Sub emulator and
// a fresh PostgreSQL database, seeded with the start command's demo; and Debian's Chromium driven by
// playwright-core. No Kubernetes API server runs here: the agents run the real helm as a client-side dry run.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ApiCaller, DEMO, seedDemo, startProcessPlatform, tail, type ProcessPlatform } from '@fasit/launcher';
import { createTestDatabase, type TestDatabase } from '@fasit/testing';

export const WEB_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../dist');
/** Screenshots of every page the tests visit, light and dark (git-ignored; CI keeps them as artifacts). */
export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '../test-results/screenshots');
const CHROMIUM = '/usr/bin/chromium';

export interface Console {
  url: string;
  platform: ProcessPlatform;
  db: TestDatabase;
  browser: Browser;
  demoAssignmentId: string;
  /** A fresh browser context (its own storage) with a page on it. */
  page(options?: { colorScheme?: 'light' | 'dark' }): Promise<{ context: BrowserContext; page: Page }>;
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  diagnostics(): string;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: scripts/test installs Debian's chromium (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function startConsole(env: Record<string, string> = {}): Promise<Console> {
  if (!existsSync(join(WEB_ROOT, 'index.html'))) throw new Error(`the console is not built (${WEB_ROOT}): run \`pnpm --filter @fasit/web build\``);
  const emulator = process.env['PUBSUB_EMULATOR_HOST'];
  const registry = process.env['OCI_REGISTRY'];
  if (!emulator || !registry)
    throw new Error('the browser tests need the Pub/Sub emulator and the OCI registry of scripts/services.sh (PUBSUB_EMULATOR_HOST, OCI_REGISTRY)');
  mkdirSync(SCREENSHOTS, { recursive: true });
  const db = await createTestDatabase('web');
  const project = `web-${randomBytes(4).toString('hex')}`;
  const platform = await startProcessPlatform({
    databaseUrl: db.url,
    pubsubEmulatorHost: emulator,
    pubsubProjectId: project,
    agentKeySecret: 'browser-test-agent-secret-of-32-characters',
    logDir: `/tmp/fasit-${project}`,
    // seven Node processes compile their sources at start; on a busy 2-core machine that takes minutes
    readyTimeoutMs: 300_000,
    env: { FASIT_WEB_ROOT: WEB_ROOT, FASIT_RECONCILE_INTERVAL_MS: '1500', FASIT_HEARTBEAT_INTERVAL_MS: '2000', FASIT_LOG_FLUSH_INTERVAL_MS: '200', ...env },
  });
  let browser: Browser | undefined;
  let demoAssignmentId: string;
  try {
    const demo = await seedDemo(new ApiCaller(platform.apiUrl), registry);
    if (demo.assignmentId === null) throw new Error(`the demo has no feature: ${demo.problem}`);
    demoAssignmentId = demo.assignmentId;
    // the agents after their environments, as the start command (an agent's first report names its environment)
    for (const e of DEMO.environments) await platform.startAgent({ tenant: DEMO.tenant, environment: e.name });
    browser = await launchChromium();
  } catch (e) {
    await platform.stop();
    await db.drop();
    throw e;
  }
  const b = browser;
  const url = platform.apiUrl;
  return {
    url,
    platform,
    db,
    browser: b,
    demoAssignmentId,
    async page(options = {}) {
      const context = await b.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: options.colorScheme ?? 'light', baseURL: url });
      return { context, page: await context.newPage() };
    },
    async api<T>(method: string, path: string, body?: unknown) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
    },
    diagnostics: () => platform.processes.map((p) => `${p.name}:\n${tail(p.logFile, 8)}`).join('\n'),
    async close() {
      await b.close();
      await platform.stop();
      await db.drop();
    },
  };
}

/** Screenshots of the page as it is, in the light and the dark theme: `<name>-light.png`, `<name>-dark.png`. */
export async function screenshots(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForFunction((s) => document.documentElement.getAttribute('data-mantine-color-scheme') === s, scheme);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
