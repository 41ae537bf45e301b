// How the console copes with 2,000 environments and 200 features: seeds a fresh catalog (real PostgreSQL, the
// built console served by catalog-api) and times each page in Debian's Chromium until its content is on screen.
// Prints a table; not part of the tests (numbers are not assertions). `pnpm --filter @fasit/web bench`
// (after scripts/services.sh start and `pnpm --filter @fasit/web build`).
import { randomBytes } from 'node:crypto';
import { loadCatalogConfig, startCatalog } from '@fasit/catalog-api';
import { createTestDatabase, pushChart } from '@fasit/testing';
import pg from 'pg';
import { launchChromium, WEB_ROOT } from '../test/platform.js';

const TENANTS = 20;
const PER_TENANT = 100;
const FEATURES = 200;

const db = await createTestDatabase('webbench');
const catalog = await startCatalog(
  loadCatalogConfig({ DATABASE_URL: db.url, FASIT_WEB_ROOT: WEB_ROOT, FASIT_HTTP_PORT: '0', FASIT_GRPC_PORT: '-1', FASIT_BUS: 'memory', LOG_LEVEL: 'error' }),
);
const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${catalog.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
};
async function pool<T>(items: T[], n: number, f: (t: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (let t = queue.shift(); t !== undefined; t = queue.shift()) await f(t);
    }),
  );
}

const seedStarted = Date.now();
const tenants = Array.from({ length: TENANTS }, (_, i) => `t${String(i).padStart(2, '0')}`);
await pool(tenants, 4, (t) => call('POST', '/api/v1/tenants', { name: t }));
const envs = tenants.flatMap((t) =>
  Array.from({ length: PER_TENANT }, (_, i) => ({
    t,
    name: `env-${String(i).padStart(3, '0')}`,
    labels: { region: ['north', 'west', 'east'][i % 3]!, tier: i % 10 === 0 ? 'prod' : 'dev', team: `team-${i % 7}` },
  })),
);
await pool(envs, 8, (e) =>
  call('POST', `/api/v1/tenants/${e.t}/environments`, { name: e.name, kind: e.name === 'env-000' ? 'management' : 'tenant', labels: e.labels }),
);
const chart = await pushChart('demo-feature', { name: `bench-${randomBytes(3).toString('hex')}`, version: '1.0.0' });
await call('POST', '/api/v1/features', { chart: chart.ref, version: '1.0.0' });
// 199 more features with the same Feature.yaml (copies of the ingested row: the console reads them through the API)
const sql = new pg.Pool({ connectionString: db.url, max: 2 });
const names = Array.from({ length: FEATURES - 1 }, (_, i) => `feature-${String(i).padStart(3, '0')}`);
await sql.query(`INSERT INTO catalog.features (name) SELECT unnest($1::text[])`, [names]);
await sql.query(
  `INSERT INTO catalog.feature_versions (feature, version, chart, chart_digest, description, source, kinds, dependencies, spec, default_values, timeout_ms, feature_yaml, values_yaml)
   SELECT n, version, chart, chart_digest, description, source, kinds, dependencies, spec, default_values, timeout_ms, feature_yaml, values_yaml FROM catalog.feature_versions, unnest($1::text[]) AS n WHERE feature = $2`,
  [names, chart.name],
);
// Every feature assigned to tenant t01: its environments each show all 200 (the environment page at its largest).
await pool([chart.name, ...names], 8, (f) => call('POST', '/api/v1/assignments', { feature: f, version: '1.0.0', target: { tenant: 't01' } }));
await sql.end();
const seedSeconds = (Date.now() - seedStarted) / 1000;

const browser = await launchChromium();
const context = await browser.newContext({ baseURL: catalog.url, viewport: { width: 1440, height: 900 } });
const page = await context.newPage();
const rows: [string, number][] = [];
async function timed(label: string, go: () => Promise<unknown>, ready: () => Promise<unknown>): Promise<void> {
  const started = Date.now();
  await go();
  await ready();
  rows.push([label, Date.now() - started]);
}
for (let round = 0; round < 2; round++) {
  const suffix = round === 0 ? '' : ' (again)';
  await timed(
    `Environments: ${envs.length} listed, first page shown${suffix}`,
    () => page.goto('/environments'),
    () => page.getByRole('table', { name: 'Environments' }).getByRole('link', { name: 'env-000' }).first().waitFor(),
  );
  await timed(
    `Environments: filter "tier=prod west" typed → rows${suffix}`,
    () => page.getByLabel('Filter').fill('tier=prod west'),
    () =>
      page
        .getByText(/^\d+ shown$/)
        .filter({ hasText: String(envs.filter((e) => e.labels.tier === 'prod' && e.labels.region === 'west').length) })
        .waitFor(),
  );
  await timed(
    `Features: ${FEATURES} listed${suffix}`,
    () => page.goto('/features'),
    () => page.getByRole('table', { name: 'Features' }).getByRole('link', { name: 'feature-198' }).waitFor(),
  );
  await timed(
    `Labels overview over ${envs.length} environments${suffix}`,
    () => page.goto('/labels'),
    () => page.getByRole('table', { name: 'Label keys' }).getByText('team', { exact: true }).waitFor(),
  );
  await timed(
    `Home${suffix}`,
    () => page.goto('/'),
    () => page.getByRole('table', { name: 'Recent audit entries' }).waitFor(),
  );
  await timed(
    `Assignments: ${FEATURES} active${suffix}`,
    () => page.goto('/assignments'),
    () => page.getByRole('table', { name: 'Assignments' }).getByRole('link', { name: 'feature-198' }).waitFor(),
  );
  await timed(
    `An environment with its ${FEATURES} features${suffix}`,
    () => page.goto('/tenants/t01/environments/env-001'),
    () => page.getByRole('table', { name: 'Features in the environment' }).waitFor(),
  );
}
const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
await browser.close();
await catalog.close();
await db.drop();

console.log(`seeded ${TENANTS} tenants × ${PER_TENANT} environments, ${FEATURES} features with an assignment each, in ${seedSeconds.toFixed(0)} s`);
console.log('| page | ms until shown |');
console.log('|---|---|');
for (const [label, ms] of rows) console.log(`| ${label} | ${ms} |`);
console.log(`browser JS heap after the run: ${(heap / 1024 / 1024).toFixed(1)} MiB`);
