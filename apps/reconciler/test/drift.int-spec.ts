// Real drift, end to end: the reconciler, the real catalog API, matcher and dispatcher over PostgreSQL and a real bus
// (the Pub/Sub emulator when started, else the in-process bus), and a real naisd per environment in cluster mode
// running the real helm 4 against the FAKE KUBERNETES API of @fasit/testing (it validates nothing a real cluster
// would; no test here runs against a real cluster). Someone changes a release behind Fasit's back with helm itself
// (uninstalls it, upgrades it to another version, changes a value, leaves it failed); the agent's next inventory
// shows it; the reconciler records the drift (explain and the environment's feature view show it, /metrics counts
// it) and, where the environment's policy is `correct`, redeploys, bounded by the retry policy. A dry-run agent's
// inventory is not real: nothing there reads as drift.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readConfig } from '@fasit/config';
import { deriveAgentKey } from '@fasit/domain';
import { dispatcherService, dispatcherSpec } from '@fasit/dispatcher';
import { startHarness, transports, unique, until, type Harness } from '@fasit/harness';
import { matcherService, matcherSpec } from '@fasit/matcher';
import { loadNaisdConfig, startNaisd, type RunningNaisd } from '@fasit/naisd';
import { pushChart, startFakeKubernetes, type FakeKubernetes, type PushedChart } from '@fasit/testing';
import { reconcilerService, reconcilerSpec } from '../src/index.js';

const run = promisify(execFile);
const AGENT_SECRET = unique('drift-agent-secret-of-at-least-32-characters');
const NAMESPACE = 'features';
const RETRY_MAX = 1;
const STUCK_GRACE_MS = 3000;
const transport = transports.at(-1)!;
const tenant = unique('drift');

// A workload the fake API never reports ready: `helm upgrade --wait` on it fails after its timeout, leaving the release failed.
const NEVER_READY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-never
spec:
  replicas: 1
  selector: { matchLabels: { app: never } }
  template:
    metadata: { labels: { app: never } }
    spec:
      containers: [{ name: app, image: "registry.example.org/app:1" }]
`;

interface Cluster {
  name: string;
  id: string;
  kube?: FakeKubernetes;
  naisd?: RunningNaisd;
}

interface DriftRow {
  kind: string;
  message: string;
  policy: string;
  corrections: number;
}

interface Explained {
  drift: { kind: string; message: string; policy: string; corrections: number } | null;
}

type Kind = 'missing' | 'version' | 'values' | 'stuck';
const KINDS: Kind[] = ['missing', 'version', 'values', 'stuck'];

let h: Harness;
const clusters: Record<'report' | 'correct' | 'dryrun', Cluster> = {
  report: { name: 'reports', id: '' },
  correct: { name: 'corrects', id: '' },
  dryrun: { name: 'dryrun', id: '' },
};
/** Per policy and kind of drift, the feature (chart) that drifts that way there; each in version 1.0.0, 2.0.0 and a never-ready 9.0.0. */
const charts: Record<string, { v1: PushedChart; v2: PushedChart; hangs: PushedChart }> = {};

const helm = async (c: Cluster, args: string[]): Promise<string> =>
  (await run('helm', [...args, '--namespace', NAMESPACE, '--kubeconfig', c.kube!.kubeconfig])).stdout;
const releases = async (c: Cluster): Promise<{ name: string; status: string; chart: string }[]> =>
  JSON.parse(await helm(c, ['list', '--output', 'json'])) as { name: string; status: string; chart: string }[];
const driftOf = async (c: Cluster, feature: string): Promise<DriftRow | undefined> =>
  (
    await h.query<DriftRow>(`SELECT kind, message, policy, corrections FROM reconciler_api.drift WHERE environment_id = $1 AND feature = $2`, [c.id, feature])
  )[0];
const deploysOf = async (c: Cluster, feature: string): Promise<{ message: string; diid: string }[]> =>
  h.query(`SELECT message, diid::text AS diid FROM reconciler.decisions WHERE environment_id = $1 AND feature = $2 AND action = 'deploy' ORDER BY id`, [
    c.id,
    feature,
  ]);
/** A deploy's latest status, as the catalog API shows it (the environment's feature view). */
const latestStatus = async (c: Cluster, feature: string, diid: string): Promise<string | undefined> =>
  (await h.ok<{ deploys: { diid: string; status: string }[] }>('GET', `/api/v1/tenants/${tenant}/environments/${c.name}/features/${feature}`)).deploys.find(
    (d) => d.diid === diid,
  )?.status;
let dryFeature: PushedChart;
const feature = (policy: 'report' | 'correct', kind: Kind): string => charts[`${policy}/${kind}`]!.v1.name;

async function startAgent(c: Cluster, kube: FakeKubernetes | undefined): Promise<void> {
  const config = loadNaisdConfig({
    FASIT_TENANT: tenant,
    FASIT_ENVIRONMENT: c.name,
    FASIT_AGENT_KEY: deriveAgentKey(AGENT_SECRET, tenant, c.name),
    ...(kube ? { FASIT_KUBECONFIG: kube.kubeconfig } : {}),
    FASIT_NAISD_NAMESPACE: NAMESPACE,
    FASIT_HTTP_HOST: '127.0.0.1',
    FASIT_HTTP_PORT: '0',
    FASIT_HEARTBEAT_INTERVAL_MS: '1000',
    FASIT_INVENTORY_INTERVAL_MS: '1500',
    FASIT_LOG_FLUSH_INTERVAL_MS: '200',
    LOG_LEVEL: 'error',
  });
  c.naisd = await startNaisd(config, { bus: h.bus });
}

/** Someone with cluster access changes the release with helm itself, the way `kind` says. */
async function tamper(c: Cluster, policy: 'report' | 'correct', kind: Kind): Promise<void> {
  const ch = charts[`${policy}/${kind}`]!;
  switch (kind) {
    case 'missing':
      await helm(c, ['uninstall', ch.v1.name]);
      return;
    case 'version':
      await helm(c, ['upgrade', ch.v1.name, ch.v2.ref, '--version', '2.0.0', '--reuse-values', '--plain-http']);
      return;
    case 'values':
      await helm(c, ['upgrade', ch.v1.name, ch.v1.ref, '--version', '1.0.0', '--reuse-values', '--set', 'auth.token=changed-by-hand', '--plain-http']);
      return;
    case 'stuck':
      // waits for a workload that never becomes ready, gives up, and leaves the release failed
      await expect(
        helm(c, ['upgrade', ch.v1.name, ch.hangs.ref, '--version', '9.0.0', '--reuse-values', '--plain-http', '--wait=watcher', '--timeout', '1s']),
      ).rejects.toThrow(/context deadline exceeded|timed out|timeout/i);
      return;
  }
}

const EXPECTED: Record<Kind, { kind: Kind; message: RegExp }> = {
  missing: { kind: 'missing', message: /^the release is missing from the cluster; Fasit deployed version 1\.0\.0$/ },
  version: { kind: 'version', message: /^the cluster runs version 2\.0\.0; Fasit deployed 1\.0\.0$/ },
  values: { kind: 'values', message: /^the values helm holds differ from the values Fasit deployed$/ },
  // helm marks the timed-out upgrade failed; on a loaded machine its own deadline can expire before that write too,
  // and the release stays pending-upgrade: stuck either way.
  stuck: { kind: 'stuck', message: /^the release is (failed|pending-upgrade) since .+ with no deploy in flight$/ },
};

beforeAll(async () => {
  const repoPath = `drift-${unique('r')}`;
  for (const policy of ['report', 'correct'] as const) {
    for (const kind of KINDS) {
      const name = unique(`${kind}-${policy.slice(0, 3)}`);
      const [v1, v2, hangs] = await Promise.all([
        pushChart('demo-feature', { repoPath, name, version: '1.0.0' }),
        pushChart('demo-feature', { repoPath, name, version: '2.0.0' }),
        pushChart('demo-feature', { repoPath, name, version: '9.0.0', files: { 'templates/never-ready.yaml': NEVER_READY } }),
      ]);
      charts[`${policy}/${kind}`] = { v1, v2, hangs };
    }
  }
  dryFeature = charts['report/values']!.v1;
  h = await startHarness({
    prefix: 'drift',
    transport,
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
        FASIT_DEPLOY_RETRY_MAX: String(RETRY_MAX),
        FASIT_DEPLOY_RETRY_BASE_MS: '1000',
        // the grace time is for someone else's helm still running: longer than the tampering helm runs (1 s)
        FASIT_DRIFT_STUCK_GRACE_MS: String(STUCK_GRACE_MS),
      });
      return { definition: reconcilerService(config), config };
    },
  });
  await h.ok('POST', '/api/v1/tenants', { name: tenant });
  for (const [policy, c] of Object.entries(clusters)) {
    c.id = (
      await h.ok<{ id: string }>('POST', `/api/v1/tenants/${tenant}/environments`, {
        name: c.name,
        kind: 'tenant',
        ...(policy === 'correct' ? { driftPolicy: 'correct' } : {}),
      })
    ).id;
  }
  clusters.report.kube = await startFakeKubernetes();
  clusters.correct.kube = await startFakeKubernetes();
  for (const c of Object.values(clusters)) await startAgent(c, c.kube);
  for (const [key, ch] of Object.entries(charts)) {
    await h.ok('POST', '/api/v1/features', { chart: ch.v1.ref, version: '1.0.0' });
    await h.ok('PUT', `/api/v1/features/${ch.v1.name}/config/auth.token`, { value: 'from-fasit' });
    const policy = key.split('/')[0] as 'report' | 'correct';
    await h.ok('POST', '/api/v1/assignments', { chart: ch.v1.ref, version: '1.0.0', target: { tenant, name: clusters[policy].name } });
  }
  await h.ok('POST', '/api/v1/assignments', { chart: dryFeature.ref, version: '1.0.0', target: { tenant, name: clusters.dryrun.name } });
  // Every feature deployed by naisd with the real helm, and a real inventory taken after each deploy.
  for (const policy of ['report', 'correct'] as const) {
    for (const kind of KINDS) {
      const f = feature(policy, kind);
      await until(
        `${f} deployed in ${clusters[policy].name}`,
        async () =>
          (await h.api<{ state: string }>('GET', `/api/v1/tenants/${tenant}/environments/${clusters[policy].name}/features/${f}`)).body.state === 'DEPLOYED',
        120_000,
      );
    }
  }
  await until(
    'the dry-run deploy',
    async () => (await h.api<{ state: string }>('GET', `/api/v1/tenants/${tenant}/environments/dryrun/features/${dryFeature.name}`)).body.state === 'DEPLOYED',
    120_000,
  );
}, 300_000);

afterAll(async () => {
  for (const c of Object.values(clusters)) await c.naisd?.close();
  await h?.close();
  for (const c of Object.values(clusters)) await c.kube?.stop();
});

describe(`drift with the real helm on the fake Kubernetes API (validates nothing a real cluster would), through the real services (${transport}, PostgreSQL)`, () => {
  it('nothing drifts while the cluster holds what Fasit deployed, and a dry-run environment never shows drift', async () => {
    // Several inventories of every agent since the deploys.
    await new Promise((r) => setTimeout(r, 4000));
    expect(await h.query(`SELECT environment_id, feature FROM reconciler_api.drift`)).toEqual([]);
    const dry = await h.ok<Explained>('GET', `/api/v1/tenants/${tenant}/environments/dryrun/features/${dryFeature.name}/explain`);
    expect(dry.drift).toBeNull();
    // It did take inventories (helm list, which lists nothing there: the memory driver keeps no release) and said
    // they are not real, so the deployed feature it does not list is not missing.
    const metrics = await (await fetch(`${clusters.dryrun.naisd!.url}/metrics`)).text();
    const lists = /^fasit_naisd_helm_runs_total\{operation="list",result="ok",service="naisd"\} (\d+)$/m.exec(metrics);
    expect(Number(lists?.[1] ?? 0)).toBeGreaterThanOrEqual(2);
  });

  describe('policy report: drift is recorded and shown, nothing is redeployed', () => {
    it.each(KINDS)(
      '%s',
      async (kind) => {
        const c = clusters.report;
        const f = feature('report', kind);
        const before = await deploysOf(c, f);
        await tamper(c, 'report', kind);
        const tampered = Date.now();
        const row = await until(`${kind} drift of ${f}`, async () => ((await driftOf(c, f))?.kind === kind ? driftOf(c, f) : undefined), 60_000);
        // pending while the other helm ran, then failed: stuck only once the grace time has passed
        if (kind === 'stuck') expect(Date.now() - tampered).toBeGreaterThanOrEqual(STUCK_GRACE_MS - 1500);
        expect(row).toMatchObject({ kind, policy: 'report', corrections: 0 });
        expect(row?.message).toMatch(EXPECTED[kind].message);
        // explain and the environment's feature view say so
        const explained = await h.ok<Explained>('GET', `/api/v1/tenants/${tenant}/environments/${c.name}/features/${f}/explain`);
        expect(explained.drift).toMatchObject({ kind, policy: 'report', corrections: 0 });
        expect(explained.drift?.message).toMatch(EXPECTED[kind].message);
        const view = await h.ok<Explained & { state: string }>('GET', `/api/v1/tenants/${tenant}/environments/${c.name}/features/${f}`);
        expect(view.drift).toMatchObject({ kind, policy: 'report' });
        // More inventories come and go: still no redeploy, the drift stays.
        await new Promise((r) => setTimeout(r, 3500));
        expect(await deploysOf(c, f)).toEqual(before);
        expect((await driftOf(c, f))?.kind).toBe(kind);
      },
      120_000,
    );

    it('the reconciler counts every drifted release by kind in fasit_drift_releases, with no ids in the labels', async () => {
      const text = await (await fetch(`${h.service.url}/metrics`)).text();
      const lines = text.split('\n').filter((l) => l.startsWith('fasit_drift_releases{'));
      expect(lines.sort()).toEqual(['missing', 'stuck', 'values', 'version'].map((k) => `fasit_drift_releases{kind="${k}",service="reconciler"} 1`));
    });
  });

  describe('policy correct: the reconciler redeploys what drifted, and the cluster holds what Fasit deployed again', () => {
    it.each(KINDS)(
      '%s',
      async (kind) => {
        const c = clusters.correct;
        const f = feature('correct', kind);
        const before = await deploysOf(c, f);
        await tamper(c, 'correct', kind);
        const correction = await until(
          `the correcting deploy of ${f}`,
          async () => (await deploysOf(c, f)).slice(before.length).find((d) => d.message.startsWith(`correcting drift (${kind})`)),
          60_000,
        );
        expect(correction.message).toMatch(new RegExp(`^correcting drift \\(${kind}\\): `));
        await until(`the correcting deploy of ${f} deployed`, async () => (await latestStatus(c, f, correction.diid)) === 'deployed', 60_000);
        // The next real inventory agrees: the drift is gone, and the cluster holds version 1.0.0 with Fasit's values.
        await until(`the drift of ${f} cleared`, async () => (await driftOf(c, f)) === undefined, 60_000);
        expect((await releases(c)).find((r) => r.name === f)).toMatchObject({ status: 'deployed', chart: `${f}-1.0.0` });
        const held = JSON.parse(await helm(c, ['get', 'values', f, '--output', 'json'])) as Record<string, unknown>;
        expect((held['auth'] as Record<string, unknown>)['token']).toBe('from-fasit');
        expect((await h.ok<Explained>('GET', `/api/v1/tenants/${tenant}/environments/${c.name}/features/${f}/explain`)).drift).toBeNull();
        // exactly one redeploy: no loop
        await new Promise((r) => setTimeout(r, 3000));
        expect((await deploysOf(c, f)).length).toBe(before.length + 1);
      },
      180_000,
    );

    it(`a correction helm cannot apply is retried as a failed deploy, FASIT_DEPLOY_RETRY_MAX (${RETRY_MAX}) time(s), then given up: no redeploy loop`, async () => {
      const c = clusters.correct;
      const f = feature('correct', 'missing');
      const before = await deploysOf(c, f);
      // Someone uninstalls the release and leaves an object of the same name behind that helm does not own: every
      // install of it now fails ("exists and cannot be imported into the current release").
      await helm(c, ['uninstall', f]);
      const res = await fetch(`${c.kube!.url}/api/v1/namespaces/${NAMESPACE}/configmaps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${f}-demo`, namespace: NAMESPACE }, data: { left: 'behind' } }),
      });
      expect(res.status).toBe(201);
      const exhausted = await until(
        'retry-exhausted',
        async () =>
          (
            await h.query<{ message: string }>(
              `SELECT message FROM reconciler.decisions WHERE environment_id = $1 AND feature = $2 AND action = 'retry-exhausted'`,
              [c.id, f],
            )
          )[0],
        90_000,
      );
      expect(exhausted.message).toBe(`failed ${RETRY_MAX + 1} times with this desired state; change it or request a redeploy`);
      const redeploys = (await deploysOf(c, f)).slice(before.length);
      // the correction, then the failed-deploy retries
      expect(redeploys.map((d) => d.message)).toEqual([
        expect.stringMatching(/^correcting drift \(missing\): /),
        `retry 1 of ${RETRY_MAX} after a failed deploy`,
      ]);
      for (const d of redeploys) expect(await latestStatus(c, f, d.diid)).toBe('failed');
      // Inventories keep coming and still show the release missing: nothing more is deployed, the drift stays shown.
      await new Promise((r) => setTimeout(r, 4000));
      expect((await deploysOf(c, f)).length).toBe(before.length + 1 + RETRY_MAX);
      expect(await driftOf(c, f)).toMatchObject({ kind: 'missing', policy: 'correct', corrections: 1 });
      expect((await releases(c)).find((r) => r.name === f)).toBeUndefined();
    }, 180_000);
  });
});
