// naisd in cluster mode (FASIT_KUBECONFIG set) against the fake Kubernetes API of @fasit/testing, with the real
// helm 4 and its default release storage (Secrets in that API). The fake API VALIDATES NOTHING A REAL CLUSTER
// WOULD (no schemas, no admission, no controllers: a Deployment never becomes available, so helm's --wait holds
// an upgrade open until the test kills helm). What this proves: naisd unlocks a release a killed helm left
// pending, by helm's own rollback and uninstall, and says so in the deploy log.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import {
  createEventBus,
  instructionTopic,
  InstructionSigner,
  type AgentReport,
  type EventBus,
  type InstructionBody,
  type SignedInstructionV2,
} from '@fasit/bus';
import { JsonLogger } from '@fasit/config';
import { canonicalJson, deriveAgentKey, sealForAgent, valuesHash } from '@fasit/domain';
import { ociRegistry, pushChart, startFakeKubernetes, type FakeKubernetes, type PushedChart } from '@fasit/testing';
import { loadNaisdConfig } from '../src/config/naisd.config.js';
import { InventoryService } from '../src/inventory/inventory.service.js';
import { startNaisd, type RunningNaisd } from '../src/naisd.app.js';

const emulator = process.env['PUBSUB_EMULATOR_HOST'];
const SECRET = 'naisd-cluster-test-secret-of-some-length';
// The dispatcher's instruction key, played by this test: naisd trusts its public half.
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const KID = `cluster-${randomUUID().slice(0, 8)}`;
const signer = new InstructionSigner({ kid: KID, privateKey }, 3_600_000);
const PUBLIC_KEYS = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KID }] });
const TENANT = 'acme';
const ENV = 'cluster';
const NAMESPACE = 'features';
const run = randomUUID().slice(0, 8);
const busEnv = emulator ? { FASIT_BUS: 'pubsub', PUBSUB_EMULATOR_HOST: emulator, PUBSUB_PROJECT_ID: `naisd-cluster-${run}` } : { FASIT_BUS: 'memory' };

// A workload the fake API never reports ready: `helm upgrade --wait=watcher` waits on it until killed.
const NEVER_READY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: 1
  selector: { matchLabels: { app: {{ .Release.Name }} } }
  template:
    metadata: { labels: { app: {{ .Release.Name }} } }
    spec:
      containers: [{ name: app, image: "registry.example.org/app:1" }]
`;

type HelmReport = Extract<AgentReport, { type: 'helm' }>;
type LogReport = Extract<AgentReport, { type: 'log' }>;
type UninstallReport = Extract<AgentReport, { type: 'uninstall' }>;

const reports: AgentReport[] = [];
const agentLog: Record<string, unknown>[] = [];
let kube: FakeKubernetes;
let naisd: RunningNaisd;
let startAgent: () => Promise<RunningNaisd>;
let listener: EventBus;
let stopListening: () => Promise<void>;
const charts: Record<'v1' | 'hangs' | 'v3', PushedChart | undefined> = { v1: undefined, hangs: undefined, v3: undefined };

interface Instruction {
  diid: string;
  body: InstructionBody;
}

function instruction(
  release: string,
  chart: PushedChart | undefined,
  timeoutMs = 120_000,
  values: Record<string, unknown> = { auth: { token: 't' } },
): Instruction {
  if (!chart) throw new Error('chart not pushed');
  const diid = randomUUID();
  return {
    diid,
    body: {
      action: 'deploy',
      release,
      featureVersion: chart.version,
      chart: chart.ref,
      chartDigest: chart.digest,
      hash: `hash-${chart.version}`,
      timeoutMs,
      sealedValues: sealForAgent(deriveAgentKey(SECRET, TENANT, ENV), diid, values),
    },
  };
}

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}\nreports: ${JSON.stringify(reports).slice(-3000)}\nagent log: ${agentLog
          .slice(-10)
          .map((l) => JSON.stringify(l))
          .join('\n')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const terminal = (diid: string) => reports.find((r): r is HelmReport => r.type === 'helm' && r.diid === diid && r.status !== 'installing');
const logLines = (diid: string) => reports.filter((r): r is LogReport => r.type === 'log' && r.diid === diid).flatMap((r) => r.lines.map((l) => l.msg));
const sign = (i: Instruction) => signer.sign({ tenant: TENANT, environment: ENV, diid: i.diid }, i.body);
const publishSigned = (i: Instruction, signed: SignedInstructionV2) => listener.publish(instructionTopic(TENANT, ENV), signed, { correlationId: i.diid });
const publish = async (i: Instruction) => publishSigned(i, await sign(i));
const terminals = (diid: string) => reports.filter((r): r is HelmReport => r.type === 'helm' && r.diid === diid && r.status !== 'installing');
const uninstalls = (diid: string) => reports.filter((r): r is UninstallReport => r.type === 'uninstall' && r.diid === diid);
/** How many times naisd started helm upgrade for `diid`, across every naisd of this file (they share the log). */
const helmUpgradesOf = (diid: string) => agentLog.filter((l) => l['msg'] === 'helm upgrade started' && l['diid'] === diid).length;
const history = (name: string) =>
  kube
    .helmReleases(NAMESPACE)
    .filter((r) => r.name === name)
    .map((r) => [r.revision, r.status, r.chartVersion]);

/** The helm process naisd (in this process) runs for `release`: its pid, from ps, by parent and arguments. */
async function helmChildFor(release: string): Promise<number | undefined> {
  const { stdout } = await promisify(execFile)('ps', ['-e', '-o', 'pid=,ppid=,args=']);
  for (const line of stdout.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (m && Number(m[2]) === process.pid && / upgrade --install /.test(m[3] ?? '') && (m[3] ?? '').includes(` ${release} `)) return Number(m[1]);
  }
  return undefined;
}

/** Deploys the chart that never becomes ready and kills naisd's helm with SIGKILL once the release is pending. */
async function killHelmMidOperation(release: string, pending: 'pending-install' | 'pending-upgrade'): Promise<HelmReport> {
  const i = instruction(release, charts.hangs);
  await publish(i);
  await waitFor(`${release} ${pending}`, () => kube.helmReleases(NAMESPACE).some((r) => r.name === release && r.status === pending));
  const pid = await waitFor(`naisd's helm for ${release}`, () => helmChildFor(release));
  process.kill(pid, 'SIGKILL');
  return waitFor(`the killed deploy's report`, () => terminal(i.diid));
}

beforeAll(async () => {
  kube = await startFakeKubernetes();
  const registry = ociRegistry();
  const repoPath = `naisd-cluster/${run}`;
  [charts.v1, charts.hangs, charts.v3] = await Promise.all([
    pushChart('demo-feature', { registry, repoPath, name: 'app', version: '1.0.0' }),
    pushChart('demo-feature', { registry, repoPath, name: 'app', version: '2.0.0', files: { 'templates/deployment.yaml': NEVER_READY } }),
    pushChart('demo-feature', { registry, repoPath, name: 'app', version: '3.0.0' }),
  ]);
  const config = loadNaisdConfig({
    ...busEnv,
    FASIT_TENANT: TENANT,
    FASIT_ENVIRONMENT: ENV,
    FASIT_AGENT_KEY: deriveAgentKey(SECRET, TENANT, ENV),
    FASIT_INSTRUCTION_PUBLIC_KEYS: PUBLIC_KEYS,
    FASIT_KUBECONFIG: kube.kubeconfig,
    FASIT_NAISD_NAMESPACE: NAMESPACE,
    FASIT_HTTP_HOST: '127.0.0.1',
    FASIT_HTTP_PORT: '0',
  });
  listener = createEventBus(config);
  stopListening = await listener.consume(
    'naisd.status.reported.v1',
    `it-${run}`,
    (payload) => {
      if (payload.tenant === TENANT && payload.environment === ENV) reports.push(payload.report);
      return Promise.resolve();
    },
    { maxInFlight: 64 },
  );
  startAgent = () => startNaisd(config, { logger: new JsonLogger('naisd', 'info', (line) => agentLog.push(JSON.parse(line) as Record<string, unknown>)) });
  naisd = await startAgent();
}, 120_000);

afterAll(async () => {
  await naisd?.close();
  await stopListening?.();
  if (listener?.bus.kind === 'pubsub') await listener.bus.close();
  await kube?.stop();
});

describe('naisd against the fake Kubernetes API (validates nothing a real cluster would): pending-lock recovery with the real helm 4', () => {
  it('an upgrade whose helm was killed leaves the release pending-upgrade; the next deploy rolls it back to the last deployed revision, says so in its log, and deploys', async () => {
    const first = instruction('locked', charts.v1);
    await publish(first);
    expect(await waitFor('v1 deployed', () => terminal(first.diid))).toMatchObject({ status: 'deployed', error: null });

    const killed = await killHelmMidOperation('locked', 'pending-upgrade');
    expect(killed.status).toBe('failed');
    expect(history('locked')).toEqual([
      [1, 'deployed', '1.0.0'],
      [2, 'pending-upgrade', '2.0.0'],
    ]);

    const next = instruction('locked', charts.v3);
    await publish(next);
    expect(await waitFor('v3 deployed', () => terminal(next.diid))).toMatchObject({ status: 'deployed', error: null, featureVersion: '3.0.0' });
    const log = logLines(next.diid);
    expect(log).toContain(
      'naisd: recovery: release "locked" was left pending-upgrade at revision 2 by a helm that did not finish; rolling back to revision 1, its last deployed',
    );
    expect(log).toContain('naisd: recovery: release "locked" rolled back to revision 1; deploying');
    expect(log.findIndex((l) => l.includes('rolled back'))).toBeLessThan(log.findIndex((l) => l.startsWith('naisd: helm upgrade --install')));
    // helm's rollback leaves the killed revision marked as it was; only the latest revision locks a release.
    expect(history('locked')).toEqual([
      [1, 'superseded', '1.0.0'],
      [2, 'pending-upgrade', '2.0.0'],
      [3, 'superseded', '1.0.0'],
      [4, 'deployed', '3.0.0'],
    ]);
    expect(kube.get('configmaps', NAMESPACE, 'locked-demo')?.['data']).toBeDefined();
  });

  it('an install whose helm was killed leaves the release pending-install; the next deploy uninstalls it (it never deployed), says so, and installs afresh', async () => {
    const killed = await killHelmMidOperation('fresh', 'pending-install');
    expect(killed.status).toBe('failed');
    expect(history('fresh')).toEqual([[1, 'pending-install', '2.0.0']]);

    const next = instruction('fresh', charts.v3);
    await publish(next);
    expect(await waitFor('fresh deployed', () => terminal(next.diid))).toMatchObject({ status: 'deployed', error: null });
    expect(logLines(next.diid)).toContain(
      'naisd: recovery: release "fresh" was left pending-install at revision 1 by a helm that did not finish; uninstalling it: it never deployed',
    );
    expect(logLines(next.diid)).toContain('naisd: recovery: release "fresh" uninstalled; deploying');
    expect(history('fresh')).toEqual([[1, 'deployed', '3.0.0']]);
    expect(kube.get('deployments.apps', NAMESPACE, 'fresh')).toBeUndefined();
  });

  it('a release that is not pending is deployed without any recovery step', async () => {
    const i = instruction('locked', charts.v1);
    await publish(i);
    expect(await waitFor('deployed', () => terminal(i.diid))).toMatchObject({ status: 'deployed' });
    expect(logLines(i.diid).filter((l) => l.includes('recovery'))).toEqual([]);
  });
});

describe('naisd against the fake Kubernetes API (validates nothing a real cluster would): applied instructions survive a restart', () => {
  it('an instruction delivered again to a restarted naisd is not run again: a deploy re-reports the outcome its release records (deployed or failed), an uninstall reports uninstalled', async () => {
    // Applied by the first naisd: a deploy that deploys, an upgrade that fails (rolled back by helm), an uninstall.
    const deployed = instruction('again', charts.v1);
    const deployedSigned = await sign(deployed);
    await publishSigned(deployed, deployedSigned);
    expect(await waitFor('again deployed', () => terminal(deployed.diid))).toMatchObject({ status: 'deployed' });

    const base = instruction('again-failed', charts.v1);
    await publish(base);
    await waitFor('again-failed v1 deployed', () => terminal(base.diid));
    // The fake API never reports the Deployment ready: helm's --wait times out (11 s) and helm rolls back.
    const failed = instruction('again-failed', charts.hangs, 11_000);
    const failedSigned = await sign(failed);
    await publishSigned(failed, failedSigned);
    const firstFailure = await waitFor('again-failed failed', () => terminal(failed.diid), 90_000);
    expect(firstFailure.status).toBe('failed');

    const toRemove = instruction('again-gone', charts.v1);
    await publish(toRemove);
    await waitFor('again-gone deployed', () => terminal(toRemove.diid));
    const removal: Instruction = { diid: randomUUID(), body: { action: 'uninstall', release: 'again-gone', timeoutMs: 60_000 } };
    const removalSigned = await sign(removal);
    await publishSigned(removal, removalSigned);
    expect(await waitFor('again-gone uninstalled', () => uninstalls(removal.diid)[0])).toMatchObject({ status: 'uninstalled', error: null });

    const before = { again: history('again'), failed: history('again-failed') };
    expect(before.failed).toEqual([
      [1, 'superseded', '1.0.0'],
      [2, 'failed', '2.0.0'],
      [3, 'deployed', '1.0.0'],
    ]);
    expect([helmUpgradesOf(deployed.diid), helmUpgradesOf(failed.diid)]).toEqual([1, 1]);

    // A new naisd: a new instance with an empty memory, as after a crash or a rescheduled pod.
    await naisd.close();
    naisd = await startAgent();
    await publishSigned(deployed, deployedSigned);
    await publishSigned(failed, failedSigned);
    await publishSigned(removal, removalSigned);

    const [again, againFailed] = await Promise.all([
      waitFor('again reported again', () => terminals(deployed.diid)[1]),
      waitFor('again-failed reported again', () => terminals(failed.diid)[1]),
    ]);
    expect(again).toMatchObject({ status: 'deployed', error: null, hash: 'hash-1.0.0', featureVersion: '1.0.0' });
    expect(againFailed).toMatchObject({ status: 'failed', hash: 'hash-2.0.0' });
    expect(againFailed.error).toMatch(/^Upgrade "again-failed" failed: .*context deadline exceeded/s);
    expect(await waitFor('again-gone uninstalled again', () => uninstalls(removal.diid)[1])).toMatchObject({ status: 'uninstalled', error: null });

    // helm did not run the deploys again: no new revision, no second upgrade.
    expect({ again: history('again'), failed: history('again-failed') }).toEqual(before);
    expect([helmUpgradesOf(deployed.diid), helmUpgradesOf(failed.diid)]).toEqual([1, 1]);
    expect(logLines(deployed.diid)).toContain(
      `naisd: instruction ${deployed.diid} was applied before this naisd started: release "again" revision 1 records it, deployed; helm is not run again, its outcome is reported again`,
    );
    expect(logLines(failed.diid)).toContain(
      `naisd: instruction ${failed.diid} was applied before this naisd started: release "again-failed" revision 2 records it, failed; helm is not run again, its outcome is reported again`,
    );
    expect(kube.helmReleases(NAMESPACE).filter((r) => r.name === 'again-gone')).toEqual([]);
    // The revisions carry the diid of the instruction that wrote them (a rollback copies its target's).
    expect(
      kube
        .helmReleases(NAMESPACE)
        .filter((r) => r.name === 'again-failed')
        .map((r) => r.labels['fasit.dev/diid']),
    ).toEqual([base.diid, failed.diid, base.diid]);

    // A copy delivered once more to the same naisd is refused as a replay, as always.
    await publishSigned(deployed, deployedSigned);
    expect(await waitFor('the replay refused', () => reports.find((r) => r.type === 'refused' && r.diid === deployed.diid))).toMatchObject({
      reason: 'replayed',
    });
  }, 240_000);
});

describe('naisd against the fake Kubernetes API (validates nothing a real cluster would): a real inventory', () => {
  type InventoryReport = Extract<AgentReport, { type: 'inventory' }>;
  /** The next inventory naisd reports, asked for now. */
  const inventoryNow = async (): Promise<InventoryReport> => {
    const seen = reports.filter((r) => r.type === 'inventory').length;
    expect(await naisd.app.get(InventoryService).refresh()).toBe(true);
    return waitFor('the inventory', () => reports.filter((r): r is InventoryReport => r.type === 'inventory')[seen]);
  };

  it("says it is real and carries each release's chart version, status, revision and the hash of the values helm holds, which moves when they are changed behind Fasit's back", async () => {
    const i = instruction('drifty', charts.v1);
    await publish(i);
    expect(await waitFor('drifty deployed', () => terminal(i.diid))).toMatchObject({ status: 'deployed' });
    const first = await inventoryNow();
    expect(first.real).toBe(true);
    // The values naisd passed (the sealed ones of the instruction), as helm holds them.
    expect(first.releases.find((r) => r.name === 'drifty')).toEqual({
      name: 'drifty',
      chartVersion: '1.0.0',
      status: 'deployed',
      revision: 1,
      lastDeployed: expect.any(String),
      valuesHash: valuesHash({ auth: { token: 't' } }),
    });

    // Someone with cluster access changes a value with helm itself.
    await promisify(execFile)('helm', [
      'upgrade',
      'drifty',
      charts.v1!.ref,
      '--version',
      '1.0.0',
      '--reuse-values',
      '--set',
      'auth.token=changed',
      '--namespace',
      NAMESPACE,
      '--kubeconfig',
      kube.kubeconfig,
      '--plain-http',
    ]);
    const after = (await inventoryNow()).releases.find((r) => r.name === 'drifty');
    expect(after).toMatchObject({ chartVersion: '1.0.0', status: 'deployed', revision: 2 });
    expect(after?.valuesHash).toBe(valuesHash({ auth: { token: 'changed' } }));
    expect(after?.valuesHash).not.toBe(first.releases.find((r) => r.name === 'drifty')?.valuesHash);
  }, 120_000);

  it('hashes the values helm holds exactly as the reconciler hashes the values it rendered (one shared valuesHash), on values that YAML and helm could change', async () => {
    // What a render can produce that a YAML round trip through naisd's values file and helm might alter: strings
    // that read as numbers, booleans, nulls or dates, keys that sort differently by UTF-16 and UTF-8, unicode,
    // multi-line text, empty maps and lists, nulls, large and fractional numbers, a `__proto__` key.
    const rendered: Record<string, unknown> = {
      auth: { token: 't' },
      looksLike: { number: '0123', float: '1.50', bool: 'yes', nothing: 'null', tilde: '~', date: '2026-12-07', octal: '0o17', hex: '0x1F' },
      unicode: { ø: 'blåbær', '\u{1F600}': 'emoji key', ﬀ: 'ligature', Z: 'upper' },
      multiLine: 'first line\n  indented: colon\n- dash\n',
      empty: { map: {}, list: [], text: '' },
      numbers: { int: 42, negative: -7, big: 9007199254740991, fraction: 0.125, exp: 1e21 },
      nothing: null,
      list: [{ b: 2, a: 1 }, 'two', 3, true, null],
      ['__proto__']: { polluted: 'no' },
      'dotted.key': 'v',
    };
    const i = instruction('hashed', charts.v1, 120_000, rendered);
    await publish(i);
    expect(await waitFor('hashed deployed', () => terminal(i.diid))).toMatchObject({ status: 'deployed' });
    const held = (await inventoryNow()).releases.find((r) => r.name === 'hashed');
    // The reconciler's side: valuesHash over the rendered values, before they were sealed, written as YAML and read by helm.
    expect(held?.valuesHash).toBe(valuesHash(rendered));
    // And what helm holds is the rendered values, not merely something that hashes alike.
    const { stdout } = await promisify(execFile)('helm', [
      'get',
      'values',
      'hashed',
      '--namespace',
      NAMESPACE,
      '--kubeconfig',
      kube.kubeconfig,
      '--output',
      'json',
    ]);
    expect(canonicalJson(JSON.parse(stdout))).toBe(canonicalJson(rendered));
  }, 120_000);
});

describe('naisd against the fake Kubernetes API (validates nothing a real cluster would): warning events in the deploy log', () => {
  const postEvent = async (name: string, event: Record<string, unknown>): Promise<void> => {
    const res = await fetch(`${kube.url}/api/v1/namespaces/${NAMESPACE}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: NAMESPACE }, ...event }),
    });
    expect(res.status).toBe(201);
  };
  const eventLines = (diid: string) =>
    reports.filter((r): r is LogReport => r.type === 'log' && r.diid === diid).flatMap((r) => r.lines.filter((l) => l.kind === 'event').map((l) => l.msg));

  it("streams the Warning events of the release's objects that happen while helm runs, as kind event, and no others", async () => {
    // The namespace (an earlier deploy made it, when this test runs after others), and an event of an earlier deploy there: not this deploy's business.
    const ns = await fetch(`${kube.url}/api/v1/namespaces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }),
    });
    expect([201, 409]).toContain(ns.status);
    await postEvent('eventful-old.1', {
      type: 'Warning',
      reason: 'Old',
      message: 'from before',
      involvedObject: { kind: 'Pod', name: 'eventful-0', namespace: NAMESPACE },
    });
    const i = instruction('eventful', charts.hangs, 11_000);
    await publish(i);
    await waitFor('eventful pending-install', () => kube.helmReleases(NAMESPACE).some((r) => r.name === 'eventful' && r.status === 'pending-install'));
    // What a cluster's controllers would report while the Deployment does not come up.
    await postEvent('eventful-pull.1', {
      type: 'Warning',
      reason: 'Failed',
      message: 'Failed to pull image "registry.example.org/app:1": not found\nsecond line',
      involvedObject: { kind: 'Pod', name: 'eventful-5d8c-abcde', namespace: NAMESPACE },
      count: 1,
    });
    await postEvent('eventful-normal.1', {
      type: 'Normal',
      reason: 'Scheduled',
      message: 'assigned to node-1',
      involvedObject: { kind: 'Pod', name: 'eventful-5d8c-abcde', namespace: NAMESPACE },
    });
    await postEvent('other-warning.1', {
      type: 'Warning',
      reason: 'BackOff',
      message: 'not ours',
      involvedObject: { kind: 'Pod', name: 'someone-else', namespace: NAMESPACE },
    });
    const report = await waitFor('the deploy to give up', () => terminal(i.diid), 60_000);
    expect(report.status).toBe('failed');
    expect(eventLines(i.diid)).toEqual(['Warning Failed Pod/eventful-5d8c-abcde: Failed to pull image "registry.example.org/app:1": not found second line']);
  }, 120_000);
});
