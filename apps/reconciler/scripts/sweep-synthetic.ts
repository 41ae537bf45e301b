// The steady-state sweep at the full size without building a fleet (decision 0028, docs/benchmarks.md): in a
// database of its own (the harness's: every service's real migrations), N environments × M features are generated in
// SQL with generate_series — winners, one assignment per feature, a global configuration value, healthy agents, three
// deploy statuses and two decisions per pair, an inventory per environment and a release per pair — from one real
// feature version (a chart pushed to the local registry and ingested by the catalog). Then the fingerprints are
// stored as a first sweep would leave them, and the reconciler's sweep is timed: with nothing changed, and with one
// feature's configuration changed (1 % of the pairs at 100 features). Prints the timings, pairs/s, the reconciler
// process's memory and EXPLAIN ANALYZE of one range's fingerprint query.
//
//   source scripts/toolchain.sh && bash scripts/services.sh start && source "$(bash scripts/services.sh dir)/env"
//   cd apps/reconciler && node --import @swc-node/register/esm-register scripts/sweep-synthetic.ts --envs 10000 --features 100
import { readConfig } from '@fasit/config';
import { dispatcherService, dispatcherSpec } from '@fasit/dispatcher';
import { startHarness, unique } from '@fasit/harness';
import { matcherService, matcherSpec } from '@fasit/matcher';
import { pushChart } from '@fasit/testing';
import { reconcilerService, reconcilerSpec } from '../src/index.js';
import { ReconcileService } from '../src/reconcile/reconcile.service.js';
import { SweepReader } from '../src/reconcile/sweep.reader.js';
import { SweepInputsRepository } from '../src/reconcile/sweep-inputs.repository.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ENVS = arg('--envs', 10_000);
const FEATURES = arg('--features', 100);
const TENANTS = Math.max(1, Math.round(ENVS / 1000));
const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MiB`;
const log = (msg: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
const plainYaml = `environmentKinds: [tenant]\nvalues:\n  image.tag:\n    config:\n      type: string\n`;

const h = await startHarness({
  prefix: 'sweepsynth',
  companions: [
    (e) => {
      const config = readConfig(matcherSpec, { ...e, FASIT_MATCHER_SWEEP_INTERVAL_MS: '3600000' });
      return { definition: matcherService(config), config };
    },
    (e) => {
      const config = readConfig(dispatcherSpec, e);
      return { definition: dispatcherService(config), config };
    },
  ],
  service: (e) => {
    const config = readConfig(reconcilerSpec, { ...e, FASIT_RECONCILE_INTERVAL_MS: '3600000', FASIT_AGENT_HEALTH_WINDOW_MS: '86400000' });
    return { definition: reconcilerService(config), config };
  },
});
try {
  const c = await pushChart('demo-feature', { repoPath: 'sweep-synthetic', name: unique('synth'), version: '1.0.0', files: { 'Feature.yaml': plainYaml } });
  await h.ok('POST', '/api/v1/features', { chart: c.ref, version: c.version });
  // Nothing but the sweep decides from here on: no events, no instructions.
  await h.stopCompanion('matcher');
  await h.stopCompanion('dispatcher');
  const q = h.query.bind(h);
  let t = performance.now();
  await q(`INSERT INTO catalog.tenants (name) SELECT 'synth-' || i FROM generate_series(1, $1) i`, [TENANTS]);
  await q(
    `INSERT INTO catalog.environments (tenant_id, name, kind)
     SELECT t.id, 'env-' || i, 'tenant' FROM generate_series(1, $1) i JOIN catalog.tenants t ON t.name = 'synth-' || (1 + i % $2)`,
    [ENVS, TENANTS],
  );
  await q(`INSERT INTO catalog.features (name) SELECT 'f' || i FROM generate_series(1, $1) i`, [FEATURES]);
  await q(
    `INSERT INTO catalog.feature_versions (feature, version, chart, chart_digest, kinds, dependencies, spec, default_values, timeout_ms, feature_yaml, values_yaml)
     SELECT 'f' || i, v.version, v.chart, v.chart_digest, v.kinds, v.dependencies, v.spec, v.default_values, v.timeout_ms, v.feature_yaml, v.values_yaml
     FROM generate_series(1, $1) i, catalog.feature_versions v WHERE v.feature = $2`,
    [FEATURES, c.name],
  );
  await q(`INSERT INTO catalog.assignments (feature, version, target, created_by) SELECT 'f' || i, '1.0.0', '{}', 'synthetic' FROM generate_series(1, $1) i`, [
    FEATURES,
  ]);
  await q(`INSERT INTO catalog.configs (feature, key, value, updated_by) SELECT 'f' || i, 'image.tag', '"1.0"', 'synthetic' FROM generate_series(1, $1) i`, [
    FEATURES,
  ]);
  log(`catalog: ${TENANTS} tenants, ${ENVS} environments, ${FEATURES} features in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  const synthetic = `SELECT e.id AS env, a.id AS assignment, a.feature FROM catalog.environments e JOIN catalog.tenants t ON t.id = e.tenant_id
                     CROSS JOIN catalog.assignments a WHERE t.name LIKE 'synth-%' AND a.created_by = 'synthetic'`;
  await q(`INSERT INTO matcher.winners (environment_id, feature, assignment_id) SELECT env, feature, assignment FROM (${synthetic}) s`);
  await q(
    `INSERT INTO dispatcher.agent_health (environment_id, tenant, environment, agent_version, reported_at)
     SELECT e.id, t.name, e.name, 'synthetic', now() FROM catalog.environments e JOIN catalog.tenants t ON t.id = e.tenant_id WHERE t.name LIKE 'synth-%'`,
  );
  await q(`INSERT INTO dispatcher.inventories (environment_id, real, reported_at) SELECT environment_id, false, now() FROM dispatcher.agent_health`);
  await q(
    `INSERT INTO dispatcher.releases (environment_id, name, chart_version, status, revision, last_deployed, reported_at)
     SELECT env, feature, '1.0.0', 'deployed', 1, now() - interval '1 hour', now() FROM (${synthetic}) s`,
  );
  log(`winners, agents, inventories and releases in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  // Three statuses of one deploy per pair, and its two decisions (the deploy, then unchanged), in id order.
  await q(
    `CREATE TEMP TABLE IF NOT EXISTS synth_deploys AS SELECT env, assignment, feature, gen_random_uuid() AS diid, md5(env::text || feature) AS hash FROM (${synthetic}) s`,
  );
  for (const status of ['sent', 'installing', 'deployed']) {
    await q(
      `INSERT INTO dispatcher.deploy_statuses (diid, environment_id, feature, assignment_id, feature_version, status, hash, created_at)
       SELECT diid, env, feature, assignment, '1.0.0', $1, hash, now() - interval '1 hour' FROM synth_deploys`,
      [status],
    );
  }
  await q(`ALTER TABLE reconciler.decisions DISABLE TRIGGER keep_latest_decision`);
  for (const action of ['deploy', 'unchanged']) {
    await q(
      `INSERT INTO reconciler.decisions (environment_id, feature, assignment_id, feature_version, action, message, hash, diid, created_at)
       SELECT env, feature, assignment, '1.0.0', $1, $2, hash, CASE WHEN $1 = 'deploy' THEN diid END, now() - interval '1 hour' FROM synth_deploys`,
      [action, action === 'deploy' ? 'first deploy' : 'desired state is deployed'],
    );
  }
  await q(`ALTER TABLE reconciler.decisions ENABLE TRIGGER keep_latest_decision`);
  await q(`INSERT INTO reconciler.latest_decisions (environment_id, feature, decision_id, deploy_decision_id)
           SELECT environment_id, feature, max(id), max(id) FILTER (WHERE action = 'deploy') FROM reconciler.decisions GROUP BY environment_id, feature
           ON CONFLICT (environment_id, feature) DO UPDATE SET decision_id = EXCLUDED.decision_id, deploy_decision_id = EXCLUDED.deploy_decision_id`);
  await q(`DROP TABLE synth_deploys`);
  log(`deploy statuses and decisions in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await q(`VACUUM ANALYZE`);
  const pairs = (await q<{ pairs: number }>(`SELECT count(*)::int AS pairs FROM matcher.winners`))[0]!.pairs;
  log(`${pairs} pairs; database ${(await q<{ size: string }>(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`))[0]!.size}`);

  // The fingerprints as a first sweep would have stored them (deciding 1,000,000 pairs first would take a quarter of an hour).
  const ds = h.service.ctx.dataSource;
  const reader = new SweepReader(ds.manager);
  const reconciler = h.service.app.get(ReconcileService);
  const settings = (reconciler as unknown as { sweepSettings: string }).sweepSettings;
  t = performance.now();
  for (let range = await reader.nextRange(null, 500); range; range = await reader.nextRange(range.to, 500)) {
    const now = new Date();
    const moved = await reader.moved(range, { settings, now, healthySince: new Date(now.getTime() - 86_400_000) });
    await new SweepInputsRepository(ds.manager).store(moved.map((p) => ({ ...p, dueAt: null })));
  }
  log(`fingerprints stored for every pair in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await q(`VACUUM ANALYZE reconciler.sweep_inputs`);

  const sweep = async (what: string): Promise<void> => {
    const decided = await h.counter('fasit_reconciler_decisions_total');
    const started = performance.now();
    const swept = await reconciler.sweep();
    const s = (performance.now() - started) / 1000;
    const m = process.memoryUsage();
    log(
      `${what}: ${swept} pairs swept in ${s.toFixed(2)} s (${Math.round(swept / s)} pairs/s), ${(await h.counter('fasit_reconciler_decisions_total')) - decided} decided; ` +
        `reconciler process rss ${mib(m.rss)}, heap used ${mib(m.heapUsed)}`,
    );
  };
  await sweep('steady sweep (nothing changed)');
  await sweep('steady sweep again');
  await q(`UPDATE catalog.configs SET value = '"1.1"' WHERE feature = 'f1' AND environment_id IS NULL`);
  await sweep(`one feature's configuration changed (${((100 * ENVS) / pairs).toFixed(1)} % of the pairs)`);
  await sweep('steady sweep after it');

  // One range's fingerprint query, as the sweep runs it.
  const range = (await reader.nextRange(null, 500))!;
  const now = new Date();
  const plan = await reader.explainMoved(range, { settings, now, healthySince: new Date(now.getTime() - 86_400_000) });
  console.log(`EXPLAIN ANALYZE of one range (${range.pairs} pairs):\n${plan}`);
} finally {
  await h.close();
}
