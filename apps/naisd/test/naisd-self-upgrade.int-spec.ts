// naisd upgrading itself through a Kubernetes Job (decision 0021), in cluster mode against the fake Kubernetes API
// of @fasit/testing, with the real naisd, the real helm 4 and the Pub/Sub emulator (else the in-process bus).
// THE FAKE API VALIDATES NOTHING A REAL CLUSTER WOULD, AND NO KUBELET RUNS THE JOB HERE: the test plays the kubelet
// and the Job controller — it runs the Job's own helm command with the real helm against the fake API, serves that
// output as the Job's pod log, and marks the Job complete or failed. No test runs the Job in a real cluster: the
// GitHub workflow's kind job (.github/workflows/ci.yml) runs naisd on kind and deploys a feature, not a self-upgrade.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { load as loadYaml } from 'js-yaml';
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
import { deriveAgentKey, sealForAgent } from '@fasit/domain';
import { ociRegistry, pushChart, startFakeKubernetes, type FakeKubernetes, type PushedChart } from '@fasit/testing';
import { loadNaisdConfig } from '../src/config/naisd.config.js';
import { startNaisd, type RunningNaisd } from '../src/naisd.app.js';
import { buildSelfUpgradeJob, selfUpgradeJobName } from '../src/self-upgrade/self-upgrade-job.builder.js';

const exec = promisify(execFile);
const emulator = process.env['PUBSUB_EMULATOR_HOST'];
const SECRET = 'naisd-self-upgrade-test-secret-of-length';
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const KID = `selfup-${randomUUID().slice(0, 8)}`;
const signer = new InstructionSigner({ kid: KID, privateKey }, 3_600_000);
const PUBLIC_KEYS = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KID }] });
const TENANT = 'acme';
const ENV = 'selfup';
const BROKEN_ENV = 'selfup-broken';
const NAMESPACE = 'nais-system';
const IMAGE = 'ghcr.io/nais/fasit/naisd:0.1.0';
const run = randomUUID().slice(0, 8);
const busEnv = emulator ? { FASIT_BUS: 'pubsub', PUBSUB_EMULATOR_HOST: emulator, PUBSUB_PROJECT_ID: `naisd-selfup-${run}` } : { FASIT_BUS: 'memory' };

// A workload the fake API never reports ready: `helm upgrade --wait=watcher` waits on it until its timeout.
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
type InventoryReport = Extract<AgentReport, { type: 'inventory' }>;

const reports: { environment: string; report: AgentReport }[] = [];
const agentLog: Record<string, unknown>[] = [];
let kube: FakeKubernetes;
let listener: EventBus;
let stopListening: () => Promise<void>;
const agents: RunningNaisd[] = [];
let naisd: { v1: PushedChart; v2: PushedChart; v3: PushedChart };
let slow: PushedChart;

const VALUES = { auth: { token: 'upgrade-token' }, image: { tag: '0.2.0' }, replicas: 1 };

function instruction(
  release: string,
  chart: PushedChart,
  timeoutMs = 120_000,
  values: Record<string, unknown> = VALUES,
  env = ENV,
): { diid: string; env: string; body: InstructionBody } {
  const diid = randomUUID();
  return {
    diid,
    env,
    body: {
      action: 'deploy',
      release,
      featureVersion: chart.version,
      chart: chart.ref,
      chartDigest: chart.digest,
      hash: `hash-${chart.version}`,
      timeoutMs,
      sealedValues: sealForAgent(deriveAgentKey(SECRET, TENANT, env), diid, values),
    },
  };
}
type Instruction = ReturnType<typeof instruction>;

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

const helmReports = (diid: string) => reports.map((r) => r.report).filter((r): r is HelmReport => r.type === 'helm' && r.diid === diid);
const terminals = (diid: string) => helmReports(diid).filter((r) => r.status !== 'installing');
const logLines = (diid: string) =>
  reports
    .map((r) => r.report)
    .filter((r): r is LogReport => r.type === 'log' && r.diid === diid)
    .flatMap((r) => r.lines.map((l) => l.msg));
const sign = (i: Instruction) => signer.sign({ tenant: TENANT, environment: i.env, diid: i.diid }, i.body);
const publishSigned = (i: Instruction, signed: SignedInstructionV2) => listener.publish(instructionTopic(TENANT, i.env), signed, { correlationId: i.diid });
const jobPosts = () =>
  kube.requests.filter((r) => r.method === 'POST' && r.url.split('?')[0] === `/apis/batch/v1/namespaces/${NAMESPACE}/jobs`).map((r) => r.status);
const history = (name: string) =>
  kube
    .helmReleases(NAMESPACE)
    .filter((r) => r.name === name)
    .map((r) => [r.revision, r.status, r.chartVersion]);

function config(env: string, overrides: Record<string, string> = {}) {
  return loadNaisdConfig({
    ...busEnv,
    FASIT_TENANT: TENANT,
    FASIT_ENVIRONMENT: env,
    FASIT_AGENT_KEY: deriveAgentKey(SECRET, TENANT, env),
    FASIT_INSTRUCTION_PUBLIC_KEYS: PUBLIC_KEYS,
    FASIT_KUBECONFIG: kube.kubeconfig,
    FASIT_NAISD_NAMESPACE: NAMESPACE,
    FASIT_NAISD_IMAGE: IMAGE,
    FASIT_NAISD_SERVICE_ACCOUNT: 'naisd',
    FASIT_AGENT_VERSION: '0.1.0',
    FASIT_HTTP_HOST: '127.0.0.1',
    FASIT_HTTP_PORT: '0',
    ...overrides,
  });
}

async function start(env: string, overrides: Record<string, string> = {}): Promise<RunningNaisd> {
  const agent = await startNaisd(config(env, overrides), {
    logger: new JsonLogger('naisd', 'info', (line) => agentLog.push(JSON.parse(line) as Record<string, unknown>)),
  });
  agents.push(agent);
  return agent;
}

async function stop(agent: RunningNaisd): Promise<void> {
  await agent.close();
  agents.splice(agents.indexOf(agent), 1);
}

/** The values the Job's Secret holds (the fake API keeps `stringData` as sent; a real one would turn it into `data`). */
function secretValues(name: string): unknown {
  const secret = kube.get('secrets', NAMESPACE, name);
  const stringData = secret?.['stringData'] as Record<string, string> | undefined;
  const data = secret?.['data'] as Record<string, string> | undefined;
  const text = stringData?.['values.yaml'] ?? (data?.['values.yaml'] ? Buffer.from(data['values.yaml'], 'base64').toString('utf8') : undefined);
  return text === undefined ? undefined : loadYaml(text);
}

/**
 * What a kubelet and the Job controller would do with the Job: its pod runs the Job's helm command (the real helm,
 * against the fake API, the values mounted from the Secret), its output is the pod's log, and the Job's status says
 * how it ended.
 */
async function playTheJob(name: string, outcome: 'run-helm' | { fail: string; log: string }): Promise<string> {
  const job = kube.get('jobs.batch', NAMESPACE, name)!;
  const template = (job['spec'] as { template: { metadata: { labels: Record<string, string> }; spec: { containers: { command: string[] }[] } } }).template;
  const pod = `${name}-x7k2p`;
  const created = await fetch(`${kube.url}/api/v1/namespaces/${NAMESPACE}/pods`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: pod, namespace: NAMESPACE, labels: { ...template.metadata.labels, 'job-name': name } },
      spec: template.spec,
    }),
  });
  expect(created.status).toBe(201);
  if (outcome !== 'run-helm') {
    kube.setPodLog(NAMESPACE, pod, outcome.log);
    kube.setStatus('jobs.batch', NAMESPACE, name, {
      failed: 2,
      conditions: [{ type: 'Failed', status: 'True', reason: outcome.fail, message: 'Job has reached the specified backoff limit' }],
    });
    return outcome.log;
  }
  const [binary, ...args] = template.spec.containers[0]!.command;
  expect(binary).toBe('helm');
  const dir = await mkdtemp(join(tmpdir(), 'selfup-job-'));
  try {
    const valuesFile = join(dir, 'values.yaml');
    const secret = kube.get('secrets', NAMESPACE, name)!;
    await writeFile(valuesFile, (secret['stringData'] as Record<string, string>)['values.yaml']!);
    const mounted = args.map((a) => (a === '/etc/naisd/self-upgrade/values.yaml' ? valuesFile : a));
    const { stdout, stderr } = await exec('helm', [...mounted, '--kubeconfig', kube.kubeconfig]);
    const log = `${stderr}${stdout}`;
    kube.setPodLog(NAMESPACE, pod, log);
    kube.setStatus('jobs.batch', NAMESPACE, name, { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] });
    return log;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  kube = await startFakeKubernetes();
  const registry = ociRegistry();
  const repoPath = `naisd-selfup/${run}`;
  const [v1, v2, v3, hangs] = await Promise.all([
    pushChart('demo-feature', { registry, repoPath, name: 'naisd', version: '0.1.0' }),
    pushChart('demo-feature', { registry, repoPath, name: 'naisd', version: '0.2.0' }),
    pushChart('demo-feature', { registry, repoPath, name: 'naisd', version: '0.3.0' }),
    pushChart('demo-feature', { registry, repoPath, name: 'slow', version: '1.0.0', files: { 'templates/deployment.yaml': NEVER_READY } }),
  ]);
  naisd = { v1, v2, v3 };
  slow = hangs;
  // naisd 0.1.0 installed by an operator, as the chart's README says: release "naisd" in its namespace.
  await exec('helm', [
    'install',
    'naisd',
    `${v1.ref}`,
    '--version',
    '0.1.0',
    '--namespace',
    NAMESPACE,
    '--create-namespace',
    '--set',
    'auth.token=t',
    '--kubeconfig',
    kube.kubeconfig,
    '--plain-http',
  ]);
  listener = createEventBus(config(ENV));
  stopListening = await listener.consume(
    'naisd.status.reported.v1',
    `it-${run}`,
    (payload) => {
      if (payload.tenant === TENANT) reports.push({ environment: payload.environment, report: payload.report });
      return Promise.resolve();
    },
    { maxInFlight: 64 },
  );
}, 120_000);

afterAll(async () => {
  for (const agent of agents.splice(0)) await agent.close();
  await stopListening?.();
  if (listener?.bus.kind === 'pubsub') await listener.bus.close();
  await kube?.stop();
});

describe('naisd self-upgrade against the fake Kubernetes API (validates nothing a real cluster would; no kubelet runs the Job: the test runs its helm command)', () => {
  let upgrade: Instruction;
  let upgradeSigned: SignedInstructionV2;
  let first: RunningNaisd;
  let second: RunningNaisd;

  it('creates the Job (its exact spec) and its values Secret only after a slow deploy queued before it finished, reports installing, and follows the Job', async () => {
    first = await start(ENV);
    // A deploy whose helm waits 11 s on a workload that never becomes ready, then the self-upgrade right behind it.
    const slowDeploy = instruction('slow', slow, 11_000, { auth: { token: 't' } });
    await publishSigned(slowDeploy, await sign(slowDeploy));
    await waitFor('the slow deploy to run', () => kube.helmReleases(NAMESPACE).some((r) => r.name === 'slow' && r.status === 'pending-install'));
    upgrade = instruction('naisd', naisd.v2);
    upgradeSigned = await sign(upgrade);
    await publishSigned(upgrade, upgradeSigned);

    const name = selfUpgradeJobName(upgrade.diid);
    const job = await waitFor('the Job', () => kube.get('jobs.batch', NAMESPACE, name), 90_000);
    // The slow deploy was over (failed, rolled back by helm) before naisd created the Job: its helm's last request
    // to the API came before the Job's creation.
    expect(terminals(slowDeploy.diid).map((r) => r.status)).toEqual(['failed']);
    const lastSlowRequest = kube.requests.findLastIndex((r) => r.url.includes('slow'));
    const jobCreated = kube.requests.findIndex((r) => r.method === 'POST' && r.url.split('?')[0] === `/apis/batch/v1/namespaces/${NAMESPACE}/jobs`);
    expect(lastSlowRequest).toBeGreaterThan(-1);
    expect(jobCreated).toBeGreaterThan(lastSlowRequest);

    // The exact Job: the running image and service account, naisd's release pinned to the signed digest.
    const expected = buildSelfUpgradeJob({
      diid: upgrade.diid,
      namespace: NAMESPACE,
      release: 'naisd',
      chartRef: `${naisd.v2.ref}@${naisd.v2.digest}`,
      version: '0.2.0',
      image: IMAGE,
      serviceAccountName: 'naisd',
      valuesSecretName: name,
      timeoutSeconds: 120,
      plainHttp: true,
    });
    expect(job['spec']).toEqual(expected['spec']);
    expect(job['metadata']).toMatchObject({
      name,
      namespace: NAMESPACE,
      labels: { 'app.kubernetes.io/name': 'naisd-self-upgrade', 'fasit.dev/diid': upgrade.diid },
    });
    const container = (job['spec'] as { template: { spec: { containers: { command: string[] }[] } } }).template.spec.containers[0]!;
    expect(container.command).toEqual([
      'helm',
      'upgrade',
      'naisd',
      `${naisd.v2.ref}@${naisd.v2.digest}`,
      '--version',
      '0.2.0',
      '--namespace',
      NAMESPACE,
      '-f',
      '/etc/naisd/self-upgrade/values.yaml',
      '--timeout',
      '120s',
      '--history-max',
      '10',
      '--labels',
      `fasit.dev/diid=${upgrade.diid}`,
      '--rollback-on-failure',
      '--wait=watcher',
      '--cleanup-on-fail',
      '--plain-http',
    ]);
    // The values Secret (created right after the Job): the instruction's (sealed) values, opened, owned by the Job so it goes with it.
    await waitFor('the values Secret', () => kube.get('secrets', NAMESPACE, name));
    expect(secretValues(name)).toEqual(VALUES);
    const jobUid = (job['metadata'] as { uid: string }).uid;
    expect((kube.get('secrets', NAMESPACE, name)!['metadata'] as { ownerReferences: unknown }).ownerReferences).toEqual([
      { apiVersion: 'batch/v1', kind: 'Job', name, uid: jobUid },
    ]);

    await waitFor('installing', () => helmReports(upgrade.diid).some((r) => r.status === 'installing'));
    await waitFor('the following line', () => logLines(upgrade.diid).some((l) => l.includes('following Job')));
    expect(logLines(upgrade.diid)).toContain(
      `naisd: self-upgrade from 0.1.0 to 0.2.0: created Job ${NAMESPACE}/${name} (image ${IMAGE}, service account naisd); it runs helm upgrade naisd ${naisd.v2.ref}@${naisd.v2.digest} --version 0.2.0`,
    );
    expect(terminals(upgrade.diid)).toEqual([]);
    // naisd's release is untouched by naisd itself: only the Job upgrades it.
    expect(history('naisd')).toEqual([[1, 'deployed', '0.1.0']]);
  }, 150_000);

  it('a redelivered instruction never creates a second Job: the next naisd finds it there (AlreadyExists) and follows it', async () => {
    // A copy of the instruction waits on the bus behind the one being followed (one instruction at a time).
    await publishSigned(upgrade, upgradeSigned);
    // The old naisd stops while its Job runs (the Job's helm replaces its Deployment): the instruction is not acked,
    // and the next naisd gets it again.
    await stop(first);
    second = await start(ENV);
    await waitFor('the next naisd to find the Job', () => logLines(upgrade.diid).some((l) => l.includes('already exists')), 90_000);
    expect(logLines(upgrade.diid)).toContain(
      `naisd: self-upgrade from 0.1.0 to 0.2.0: Job ${NAMESPACE}/${selfUpgradeJobName(upgrade.diid)} already exists (an earlier delivery of this instruction started it); following it`,
    );
    expect(jobPosts()).toEqual([201, 409]);
    expect(
      kube.list('jobs.batch', NAMESPACE).filter((j) => (j['metadata'] as { labels?: Record<string, string> }).labels?.['fasit.dev/diid'] === upgrade.diid),
    ).toHaveLength(1);
    expect(terminals(upgrade.diid)).toEqual([]);
  }, 150_000);

  it("reports deployed once the Job completed, with the Job's pod log in the deploy log; the release records the diid", async () => {
    const name = selfUpgradeJobName(upgrade.diid);
    const podLog = await playTheJob(name, 'run-helm');
    expect(podLog).toContain('Release "naisd" has been upgraded. Happy Helming!');
    const done = await waitFor('deployed', () => terminals(upgrade.diid)[0], 60_000);
    expect(done).toMatchObject({ status: 'deployed', error: null, featureVersion: '0.2.0', hash: 'hash-0.2.0', name: 'naisd' });
    const log = logLines(upgrade.diid);
    expect(log).toContain(`naisd: the log of pod ${name}-x7k2p of the self-upgrade Job:`);
    expect(log).toContain('Release "naisd" has been upgraded. Happy Helming!');
    expect(log).toContain(`naisd: self-upgrade from 0.1.0 to 0.2.0: Job ${NAMESPACE}/${name} completed`);
    expect(log.indexOf('Release "naisd" has been upgraded. Happy Helming!')).toBeLessThan(
      log.indexOf(`naisd: self-upgrade from 0.1.0 to 0.2.0: Job ${NAMESPACE}/${name} completed`),
    );
    expect(history('naisd')).toEqual([
      [1, 'superseded', '0.1.0'],
      [2, 'deployed', '0.2.0'],
    ]);
    expect(kube.helmReleases(NAMESPACE).find((r) => r.name === 'naisd' && r.revision === 2)?.labels['fasit.dev/diid']).toBe(upgrade.diid);
    // The copy that waited behind it: applied here, refused as a replay; still the one Job.
    const refused = await waitFor('the copy refused', () => reports.map((r) => r.report).find((r) => r.type === 'refused' && r.diid === upgrade.diid));
    expect(refused).toMatchObject({ reason: 'replayed', error: `instruction ${upgrade.diid} was already applied here; it is not run again` });
    expect(terminals(upgrade.diid)).toHaveLength(1);
    expect(jobPosts()).toEqual([201, 409]);
  }, 120_000);

  it('the upgraded naisd reports its new version in its heartbeat and inventory, and acknowledges the diid its release records without a new Job', async () => {
    await stop(second);
    const seen = reports.length;
    const upgraded = await start(ENV, { FASIT_AGENT_VERSION: '0.2.0', FASIT_NAISD_IMAGE: 'ghcr.io/nais/fasit/naisd:0.2.0' });
    const heartbeat = await waitFor('the heartbeat', () => reports.slice(seen).find((r) => r.environment === ENV && r.report.type === 'heartbeat'));
    expect(heartbeat.report).toEqual({ type: 'heartbeat', agentVersion: '0.2.0' });
    const inventory = await waitFor('the inventory', () =>
      reports
        .slice(seen)
        .map((r) => r.report)
        .find((r): r is InventoryReport => r.type === 'inventory'),
    );
    expect(inventory.real).toBe(true);
    expect(inventory.releases.find((r) => r.name === 'naisd')).toMatchObject({ name: 'naisd', chartVersion: '0.2.0', status: 'deployed', revision: 2 });

    // The instruction once more (an ack that was lost): the release records it, so it is reported, nothing is created.
    await publishSigned(upgrade, upgradeSigned);
    await waitFor('reported again', () => terminals(upgrade.diid)[1], 60_000);
    expect(terminals(upgrade.diid)[1]).toMatchObject({ status: 'deployed', error: null });
    // Said by the self-upgrade (`release "naisd" revision 2 records instruction <diid>, deployed; this naisd runs
    // 0.2.0`), or, when the instruction is older than this naisd by more than the clock skew, by the check every
    // deploy gets after a restart (decision 0015); both read the diid on the release.
    expect(logLines(upgrade.diid).filter((l) => l.includes('release "naisd" revision 2 records'))).toHaveLength(1);
    expect(jobPosts()).toEqual([201, 409]);
    expect(upgraded.url).toMatch(/^http:/);
  }, 120_000);

  it("a Job that fails is reported failed with helm's error from its pod's log", async () => {
    const next = instruction('naisd', naisd.v3);
    await publishSigned(next, await sign(next));
    const name = selfUpgradeJobName(next.diid);
    await waitFor('the Job', () => kube.get('jobs.batch', NAMESPACE, name), 60_000);
    await playTheJob(name, { fail: 'BackoffLimitExceeded', log: 'Pulled: registry/naisd:0.3.0\nError: UPGRADE FAILED: context deadline exceeded\n' });
    const done = await waitFor('failed', () => terminals(next.diid)[0], 60_000);
    expect(done).toMatchObject({
      status: 'failed',
      error: `self-upgrade Job ${NAMESPACE}/${name} failed (BackoffLimitExceeded: Job has reached the specified backoff limit): Error: UPGRADE FAILED: context deadline exceeded`,
    });
    expect(logLines(next.diid)).toContain('Error: UPGRADE FAILED: context deadline exceeded');
  }, 120_000);

  it("a Kubernetes API error creating the Job is a failed deploy with the API's error in its log; nothing is created", async () => {
    // This naisd's namespace does not exist: the API refuses the Job (404), as it would a Job naisd may not create.
    await start(BROKEN_ENV, { FASIT_NAISD_NAMESPACE: 'gone' });
    const i = instruction('naisd', naisd.v2, 120_000, VALUES, BROKEN_ENV);
    await publishSigned(i, await sign(i));
    const done = await waitFor('failed', () => terminals(i.diid)[0], 60_000);
    const error = `naisd could not create its self-upgrade Job gone/${selfUpgradeJobName(i.diid)}: 404 NotFound: namespaces "gone" not found`;
    expect(done).toMatchObject({ status: 'failed', error });
    expect(helmReports(i.diid).map((r) => r.status)).toEqual(['installing', 'failed']);
    expect(logLines(i.diid)).toContain(`naisd: ${error}`);
    expect(kube.get('secrets', 'gone', selfUpgradeJobName(i.diid))).toBeUndefined();
  }, 120_000);
});
