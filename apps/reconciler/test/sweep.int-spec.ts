// The periodic sweep decides only what moved (decision 0028), against the real PostgreSQL, the real catalog API
// (charts from the local OCI registry), the real matcher and dispatcher, two reconciler replicas, on the in-process bus
// and the Pub/Sub emulator. The test plays the agent (signed reports). "Decided" is what the reconciler counts in
// `fasit_reconciler_decisions_total` (every pair it decides, appended or not), summed over both replicas.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readConfig } from '@fasit/config';
import type { AgentReport, AgentReportV1, DeployRequestedV1 } from '@fasit/bus';
import { deriveAgentKey, signReport } from '@fasit/domain';
import { dispatcherService, dispatcherSpec } from '@fasit/dispatcher';
import { matcherService, matcherSpec } from '@fasit/matcher';
import { pushChart, type PushedChart } from '@fasit/testing';
import { startHarness, transports, unique, until, type Harness, type Recording } from '@fasit/harness';
import { reconcilerService, reconcilerSpec } from '../src/index.js';
import { ReconcileService } from '../src/reconcile/reconcile.service.js';

const AGENT_SECRET = unique('agent-secret-of-at-least-32-characters');
const RETRY_MAX = 1;
const RETRY_BASE_MS = 6000;
const plainYaml = `environmentKinds: [tenant]\nvalues:\n  image.tag:\n    config:\n      type: string\n`;

describe.each(transports)('the sweep decides only what moved (%s, two reconciler replicas, PostgreSQL, catalog API, matcher and dispatcher)', (transport) => {
  let h: Harness;
  let requests: Recording<DeployRequestedV1>;
  const run = unique('s');
  const tenant = unique('sweep');
  const env: Record<string, string> = {};
  const ENVS = ['dev', 'test', 'prod'];

  const sweepOn = (replica: number): Promise<number> => h.replicas[replica]!.app.get(ReconcileService).sweep();
  const decidedCount = (): Promise<number> => h.counter('fasit_reconciler_decisions_total');
  /** How many pairs one sweep (of the first replica) decides. */
  const decidedBySweep = async (replica = 0): Promise<number> => {
    const before = await decidedCount();
    await sweepOn(replica);
    return (await decidedCount()) - before;
  };

  async function report(environment: string, r: AgentReport): Promise<void> {
    const body: AgentReportV1 = { version: 'v1', tenant, environment, sentAt: new Date().toISOString(), report: r };
    await h.bus.publish('naisd.status.reported.v1', body, {
      attributes: { signature: signReport(deriveAgentKey(AGENT_SECRET, tenant, environment), JSON.stringify(body)) },
    });
  }

  async function helm(environment: string, d: DeployRequestedV1, status: 'installing' | 'deployed' | 'failed'): Promise<void> {
    await report(environment, {
      type: 'helm',
      diid: d.diid,
      name: d.feature,
      featureVersion: d.featureVersion,
      status,
      hash: d.hash,
      error: status === 'failed' ? 'helm: boom' : null,
    });
    await until(
      `${status} of ${d.diid} in the deploy log`,
      async () => (await h.query(`SELECT 1 FROM dispatcher.deploy_statuses WHERE diid = $1 AND status = $2`, [d.diid, status])).length > 0,
    );
  }

  const latest = async (environment: string, feature: string): Promise<{ action: string; message: string; diid: string | null } | undefined> =>
    (
      await h.query<{ action: string; message: string; diid: string | null }>(
        `SELECT action, message, diid FROM reconciler.decisions WHERE environment_id = $1 AND feature = $2 ORDER BY id DESC LIMIT 1`,
        [env[environment], feature],
      )
    )[0];

  /** The deploy request of the pair's latest decision, once it is a deploy the dispatcher sent. */
  async function sentDeploy(environment: string, feature: string, except: string[] = []): Promise<DeployRequestedV1> {
    const d = await until(`a deploy of ${environment}/${feature}`, async () =>
      (
        await h.query<{ diid: string }>(
          `SELECT diid::text AS diid FROM reconciler.decisions WHERE environment_id = $1 AND feature = $2 AND action = 'deploy' ORDER BY id`,
          [env[environment], feature],
        )
      ).find((x) => !except.includes(x.diid)),
    );
    const r = (await requests.waitFor(`the deploy request ${d.diid}`, (p) => p.diid === d.diid)).payload;
    await until(
      `${d.diid} sent`,
      async () => (await h.query(`SELECT 1 FROM dispatcher.deploy_statuses WHERE diid = $1 AND status = 'sent'`, [d.diid])).length > 0,
    );
    return r;
  }

  /** Assigns the chart to the tenant, and lets every environment's agent deploy it. */
  async function deployEverywhere(c: PushedChart): Promise<void> {
    await h.ok('POST', '/api/v1/assignments', { chart: c.ref, version: c.version, target: { tenant } });
    for (const e of ENVS) await helm(e, await sentDeploy(e, c.name), 'deployed');
    for (const e of ENVS) await until(`${e}/${c.name} unchanged`, async () => (await latest(e, c.name))?.action === 'unchanged');
  }

  /** Sweeps until a sweep decides nothing (the first sweeps decide what events decided since), at most five times. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) if ((await decidedBySweep()) === 0) return;
    throw new Error('the sweep kept deciding pairs with nothing changing');
  }

  beforeAll(async () => {
    h = await startHarness({
      prefix: 'sweep',
      transport,
      replicas: 2,
      companions: [
        (e) => {
          const config = readConfig(matcherSpec, { ...e, FASIT_MATCHER_SWEEP_INTERVAL_MS: '3600000' });
          return { definition: matcherService(config), config };
        },
        (e) => {
          const config = readConfig(dispatcherSpec, { ...e, FASIT_AGENT_KEY_SECRET: AGENT_SECRET, FASIT_DEPLOY_TIMEOUT_MS: '3600000' });
          return { definition: dispatcherService(config), config };
        },
      ],
      service: (e) => {
        const config = readConfig(reconcilerSpec, {
          ...e,
          FASIT_AGENT_KEY_SECRET: AGENT_SECRET,
          FASIT_RECONCILE_INTERVAL_MS: '3600000',
          // the agents report one heartbeat: healthy for the whole suite
          FASIT_AGENT_HEALTH_WINDOW_MS: '3600000',
          FASIT_DEPLOY_RETRY_MAX: String(RETRY_MAX),
          FASIT_DEPLOY_RETRY_BASE_MS: String(RETRY_BASE_MS),
        });
        return { definition: reconcilerService(config), config };
      },
    });
    requests = await h.record('reconciler.deploy.requested.v1');
    await h.ok('POST', '/api/v1/tenants', { name: tenant });
    for (const name of ENVS) {
      env[name] = (await h.ok<{ id: string }>('POST', `/api/v1/tenants/${tenant}/environments`, { name, kind: 'tenant' })).id;
      await report(name, { type: 'heartbeat', agentVersion: 'test' });
    }
    await until('every heartbeat', async () => (await h.query(`SELECT 1 FROM dispatcher.agent_health WHERE tenant = $1`, [tenant])).length === ENVS.length);
  });

  afterAll(async () => {
    await h?.close();
  });

  const chart = (prefix: string): Promise<PushedChart> =>
    pushChart('demo-feature', { repoPath: `sweep-${run}`, name: unique(prefix), version: '1.0.0', files: { 'Feature.yaml': plainYaml } });

  it('a pair whose inputs did not move is not decided again: a second sweep, on either replica, decides nothing', async () => {
    const c = await chart('steady');
    await deployEverywhere(c);
    // The first sweep decides every pair it has not decided before; what it appended is decided once more.
    expect(await decidedBySweep()).toBeGreaterThanOrEqual(ENVS.length);
    await settle();
    expect(await decidedBySweep(0)).toBe(0);
    expect(await decidedBySweep(1)).toBe(0);
    // Every pair was still swept.
    expect(await sweepOn(1)).toBeGreaterThanOrEqual(ENVS.length);
    expect(requests.all().filter((r) => r.feature === c.name)).toHaveLength(ENVS.length);
  });

  it.each<[string, string, (feature: string) => Promise<unknown>, (d: { action: string; message: string }) => boolean]>([
    [
      "a feature's configuration row",
      'a deploy of the new value',
      (feature) => h.query(`UPDATE catalog.configs SET value = '"from-sql"'::jsonb WHERE feature = $1 AND environment_id IS NULL`, [feature]),
      (d) => d.action === 'deploy' && d.message === 'desired state changed',
    ],
    [
      'the disabled state',
      'disabled',
      (feature) =>
        h.query(`INSERT INTO catalog.disabled_features (environment_id, feature, reason, disabled_by) VALUES ($1, $2, 'by hand', 'sql')`, [
          env['test'],
          feature,
        ]),
      (d) => d.action === 'disabled',
    ],
    [
      "the agent's health (its last heartbeat long ago)",
      'unhealthy',
      () => h.query(`UPDATE dispatcher.agent_health SET reported_at = now() - interval '1 day' WHERE environment_id = $1`, [env['test']]),
      (d) => d.action === 'unhealthy',
    ],
  ])('a change of %s made in SQL, with no event, is decided by the next sweep: %s', async (_, __, change, expected) => {
    const c = await chart('sql');
    await h.ok('POST', '/api/v1/features', { chart: c.ref, version: c.version });
    await h.ok('PUT', `/api/v1/features/${c.name}/config/image.tag`, { value: 'from-api' });
    await deployEverywhere(c);
    await settle();
    const deployed = requests.all().find((r) => r.feature === c.name && r.environment === 'test')!;
    await change(c.name);
    expect(await decidedBySweep()).toBeGreaterThanOrEqual(1);
    const d = (await latest('test', c.name))!;
    expect(expected(d)).toBe(true);
    if (d.action === 'deploy') expect((await requests.waitFor('the new request', (r) => r.diid === d.diid)).payload.hash).not.toBe(deployed.hash);
    await settle();
    // put the agent back for the next cases
    await report('test', { type: 'heartbeat', agentVersion: 'test' });
    await until(
      "test's heartbeat",
      async () =>
        (await h.query(`SELECT 1 FROM dispatcher.agent_health WHERE environment_id = $1 AND reported_at > now() - interval '1 minute'`, [env['test']])).length >
        0,
    );
  });

  it(`a failed deploy waits out its backoff without being decided, then retries (FASIT_DEPLOY_RETRY_MAX ${RETRY_MAX}), then gives up`, async () => {
    const c = await chart('flaky');
    await h.ok('POST', '/api/v1/assignments', { chart: c.ref, version: c.version, target: { tenant, name: 'dev' } });
    const first = await sentDeploy('dev', c.name);
    await helm('dev', first, 'failed');
    const failedAt = Date.now();
    await until('the wait for the retry', async () => (await latest('dev', c.name))?.message.startsWith('deploy failed; retry 1 of 1 at') === true);
    await settle();
    // Still within the backoff: nothing moved and nothing is due, so no sweep decides the pair.
    expect(Date.now() - failedAt).toBeLessThan(RETRY_BASE_MS);
    expect(await decidedBySweep(1)).toBe(0);
    // Once the backoff has passed, the next sweep decides it (nothing moved, but its time has come): the retry.
    await until('the backoff to pass', () => Promise.resolve(Date.now() - failedAt > RETRY_BASE_MS + 100));
    expect(await decidedBySweep(1)).toBe(1);
    const retry = await sentDeploy('dev', c.name, [first.diid]);
    expect(retry.hash).toBe(first.hash);
    await helm('dev', retry, 'failed');
    await until('retry-exhausted', async () => (await latest('dev', c.name))?.action === 'retry-exhausted');
    // Given up: nothing waits on time any more.
    await settle();
    expect(await decidedBySweep()).toBe(0);
    expect((await latest('dev', c.name))?.action).toBe('retry-exhausted');
    expect(requests.all().filter((r) => r.feature === c.name)).toHaveLength(RETRY_MAX + 1);
  });

  it('two replicas sweeping at once decide each moved pair once', async () => {
    const c = await chart('both');
    await deployEverywhere(c);
    await settle();
    const before = await decidedCount();
    // Moved with no event: the feature disabled in every environment (a verdict that starts nothing downstream).
    for (const e of ENVS) {
      await h.query(`INSERT INTO catalog.disabled_features (environment_id, feature, reason, disabled_by) VALUES ($1, $2, 'by hand', 'sql')`, [env[e], c.name]);
    }
    await Promise.all([sweepOn(0), sweepOn(1)]);
    await Promise.all([sweepOn(1), sweepOn(0)]);
    expect((await decidedCount()) - before).toBe(ENVS.length);
    for (const e of ENVS) expect((await latest(e, c.name))?.action).toBe('disabled');
    const disabled = await h.query<{ n: number }>(`SELECT count(*)::int AS n FROM reconciler.decisions WHERE feature = $1 AND action = 'disabled'`, [c.name]);
    expect(disabled[0]!.n).toBe(ENVS.length);
  });
});
