// naisd end to end on this machine: the real helm 4 binary, charts pushed to the local OCI registry with
// `helm push`, and the bus (Google's Pub/Sub emulator when PUBSUB_EMULATOR_HOST is set, else the in-process
// bus). There is no Kubernetes API here, so naisd runs without FASIT_KUBECONFIG: helm pulls and renders
// the charts for real with `upgrade --install --dry-run=client` and the memory driver, and installs nothing.
// Needs `bash scripts/services.sh start` and `source "$(bash scripts/services.sh dir)/env"`.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { createEventBus, instructionTopic, InstructionSigner, type AgentReport, type AgentReportV1, type EventBus, type InstructionBody } from '@fasit/bus';
import { JsonLogger } from '@fasit/config';
import { deriveAgentKey, sealForAgent, verifyReport } from '@fasit/domain';
import { BROKEN_TEMPLATES_MESSAGE, ociRegistry, pushChart, type PushedChart } from '@fasit/testing';
import { loadNaisdConfig } from '../src/config/naisd.config.js';
import { OWN_RELEASE } from '../src/self-upgrade/self-upgrade.check.js';
import { startNaisd, type RunningNaisd } from '../src/naisd.app.js';

const emulator = process.env['PUBSUB_EMULATOR_HOST'];
const busLabel = emulator ? 'Pub/Sub emulator' : 'in-process bus';
const SECRET = 'naisd-integration-test-secret-of-some-length';
// The control plane's previous secret: this agent runs mid-rotation (FASIT_AGENT_KEY="new,old").
const RETIRING_SECRET = 'naisd-integration-test-retiring-secret-of-some-length';
// The dispatcher's instruction key, played by this test: naisd trusts its public half.
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const KID = `it-${randomUUID().slice(0, 8)}`;
const signer = new InstructionSigner({ kid: KID, privateKey }, 3_600_000);
const PUBLIC_KEYS = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KID }] });
const TENANT = 'acme';
const ENV = 'dev';
const run = randomUUID().slice(0, 8);
// A fresh emulator project per run: no subscription or message of an earlier run can leak in.
const busEnv = emulator ? { FASIT_BUS: 'pubsub', PUBSUB_EMULATOR_HOST: emulator, PUBSUB_PROJECT_ID: `naisd-it-${run}` } : { FASIT_BUS: 'memory' };

interface Received {
  payload: AgentReportV1;
  raw: string;
  attributes: Readonly<Record<string, string>>;
}
type HelmReport = Extract<AgentReport, { type: 'helm' }>;
type LogReport = Extract<AgentReport, { type: 'log' }>;
type UninstallReport = Extract<AgentReport, { type: 'uninstall' }>;
type RefusedReport = Extract<AgentReport, { type: 'refused' }>;
type DeployBody = Extract<InstructionBody, { action: 'deploy' }>;
/** An instruction as the dispatcher would sign it, for `environment` (default: this agent's). */
interface Instruction {
  diid: string;
  environment: string;
  body: InstructionBody;
  hash: string;
}

const received: Received[] = [];
const agentLog: Record<string, unknown>[] = [];
let naisd: RunningNaisd;
let listener: EventBus;
let stopListening: () => Promise<void>;
let demo: PushedChart;
let broken: PushedChart;

const VALUES = {
  clusterName: 'acme-dev-cluster',
  replicas: 3,
  allClusters: ['dev', 'prod'],
  image: { tag: '2.0.0' },
  auth: { token: 'top-secret-token-value' },
};

function instruction(o: Partial<Omit<DeployBody, 'action'>> & { diid?: string } = {}, environment = ENV): Instruction {
  const { diid = randomUUID(), ...overrides } = o;
  const body: DeployBody = {
    action: 'deploy',
    release: 'demo-feature',
    featureVersion: demo.version,
    chart: demo.ref,
    chartDigest: demo.digest,
    hash: `hash-${randomUUID().slice(0, 8)}`,
    timeoutMs: 60_000,
    sealedValues: sealForAgent(deriveAgentKey(SECRET, TENANT, environment), diid, VALUES),
    ...overrides,
  };
  return { diid, environment, body, hash: body.hash };
}

function uninstall(release: string): Instruction {
  return { diid: randomUUID(), environment: ENV, body: { action: 'uninstall', release, timeoutMs: 0 }, hash: '' };
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      const reports = JSON.stringify(received.map((r) => r.payload.report)).slice(0, 3000);
      const log = agentLog
        .slice(-15)
        .map((l) => JSON.stringify(l))
        .join('\n');
      throw new Error(`timed out waiting for ${what}\nreports so far: ${reports}\nlast agent log lines:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const reportsOf = <T extends AgentReport['type']>(type: T): Received[] => received.filter((r) => r.payload.report.type === type);
const helmReports = (diid: string): (HelmReport & { sentAt: string })[] =>
  reportsOf('helm')
    .map((r) => ({ ...(r.payload.report as HelmReport), sentAt: r.payload.sentAt }))
    .filter((r) => r.diid === diid);
const logLines = (diid: string): string[] =>
  reportsOf('log')
    .map((r) => r.payload.report as LogReport)
    .filter((r) => r.diid === diid)
    .flatMap((r) => r.lines.map((l) => l.msg));
const terminal = (diid: string): (HelmReport & { sentAt: string }) | undefined => helmReports(diid).find((r) => r.status !== 'installing');

async function publish(i: Instruction, topicEnvironment = ENV): Promise<void> {
  const signed = await signer.sign({ tenant: TENANT, environment: i.environment, diid: i.diid }, i.body);
  await listener.publish(instructionTopic(TENANT, topicEnvironment), signed, { correlationId: i.diid });
}

async function deployAndWait(i: Instruction, timeoutMs?: number): Promise<HelmReport & { sentAt: string }> {
  await publish(i);
  return waitFor(`a terminal report for ${i.diid}`, () => terminal(i.diid), timeoutMs);
}

/** A "registry" that accepts connections and never answers: helm waits on it forever. */
async function startBlackHole(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

beforeAll(async () => {
  const registry = ociRegistry();
  const repoPath = `naisd-it/${run}`;
  [demo, broken] = await Promise.all([pushChart('demo-feature', { registry, repoPath }), pushChart('broken-templates', { registry, repoPath })]);

  const config = loadNaisdConfig({
    ...busEnv,
    FASIT_TENANT: TENANT,
    FASIT_ENVIRONMENT: ENV,
    FASIT_AGENT_KEY: `${deriveAgentKey(SECRET, TENANT, ENV)},${deriveAgentKey(RETIRING_SECRET, TENANT, ENV)}`,
    FASIT_INSTRUCTION_PUBLIC_KEYS: PUBLIC_KEYS,
    FASIT_HTTP_HOST: '127.0.0.1',
    FASIT_HTTP_PORT: '0',
    // Kill a hung helm half a second after its own --timeout (30 s in production) to keep the suite short.
    FASIT_HELM_KILL_GRACE_MS: '500',
  });
  listener = createEventBus(config);
  stopListening = await listener.consume(
    'naisd.status.reported.v1',
    `it-${run}`,
    (payload, ctx) => {
      // Others may report on the shared status topic (in-process bus): keep this agent's reports only.
      if (payload.tenant === TENANT && payload.environment === ENV) received.push({ payload, raw: ctx.rawData, attributes: ctx.attributes });
      return Promise.resolve();
    },
    { maxInFlight: 64 },
  );
  const logger = new JsonLogger('naisd', 'info', (line) => agentLog.push(JSON.parse(line) as Record<string, unknown>));
  naisd = await startNaisd(config, { logger });
}, 60_000);

afterAll(async () => {
  await naisd?.close();
  await stopListening?.();
  if (listener?.bus.kind === 'pubsub') await listener.bus.close();
});

describe(`naisd (real helm 4, local OCI registry, ${busLabel}; helm dry-run, no Kubernetes API)`, () => {
  it('reports a heartbeat and the release inventory at start (the inventory is empty: the memory driver holds no releases)', async () => {
    await waitFor('a heartbeat', () => reportsOf('heartbeat')[0]);
    const inventory = await waitFor('an inventory', () => reportsOf('inventory')[0]);
    expect(inventory.payload.report).toEqual({ type: 'inventory', releases: [], real: false, takenAt: expect.any(String) });
    // dated when helm was asked for the list, which is before the report went out
    const { takenAt } = inventory.payload.report as { takenAt: string };
    expect(Date.parse(takenAt)).toBeLessThanOrEqual(Date.parse(inventory.payload.sentAt));
    const banner = agentLog.find((l) => l['level'] === 'warn' && String(l['msg']).startsWith('DRY-RUN MODE'));
    expect(banner).toBeDefined();
  });

  it('answers /healthz and /readyz (ready: helm works and the instruction topic is consumed)', async () => {
    const health = await fetch(`${naisd.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${naisd.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', tenant: TENANT, environment: ENV, mode: 'dry-run' });
  });

  it('deploys a chart from the registry, pinned to its signed digest: installing, then deployed, with the instruction’s diid and hash (helm dry-run)', async () => {
    const i = instruction();
    const done = await deployAndWait(i);
    expect(done).toMatchObject({ type: 'helm', diid: i.diid, name: 'demo-feature', featureVersion: '0.1.0', status: 'deployed', hash: i.hash, error: null });
    expect(logLines(i.diid).find((l) => l.startsWith('naisd: helm upgrade'))).toContain(
      `upgrade --install demo-feature ${demo.ref}@${demo.digest} --version 0.1.0`,
    );
    expect(helmReports(i.diid).map((r) => r.status)).toEqual(['installing', 'deployed']);
    expect(helmReports(i.diid).every((r) => r.hash === i.hash)).toBe(true);
    // An inventory follows every deploy.
    await waitFor('an inventory after the deploy', () => reportsOf('inventory').some((r) => r.payload.sentAt >= done.sentAt));
  });

  it('streams helm’s output as log reports: the rendered manifest shows the values helm received, with Secrets hidden', async () => {
    const i = instruction();
    await deployAndWait(i);
    const lines = await waitFor('log lines with the manifest', () => {
      const l = logLines(i.diid);
      return l.some((x) => x.includes('clusterName:')) ? l : undefined;
    });
    expect(lines[0]).toMatch(/DRY-RUN/);
    expect(lines).toContain('  clusterName: "acme-dev-cluster"');
    expect(lines).toContain('  replicas: "3"');
    expect(lines).toContain('  image: "registry.example.org/demo-feature:2.0.0"');
    expect(lines).toContain('  allClusters: "[\\"dev\\",\\"prod\\"]"');
    expect(lines).toContain('# HIDDEN: The Secret output has been suppressed');
    const all = lines.join('\n');
    // No cluster: no events are watched (and nothing says they could not be).
    expect(
      reportsOf('log')
        .flatMap((r) => ((r.payload.report as LogReport).diid === i.diid ? (r.payload.report as LogReport).lines : []))
        .filter((l) => l.kind !== 'helm'),
    ).toEqual([]);
    expect(all).not.toContain('events of the release cannot be watched');
    expect(all).not.toContain('top-secret-token-value');
    expect(all).not.toContain(Buffer.from('top-secret-token-value').toString('base64'));
  });

  it('a chart whose template fails ends failed with helm’s error text', async () => {
    const i = instruction({ release: 'broken-templates', chart: broken.ref, chartDigest: broken.digest, featureVersion: broken.version });
    const done = await deployAndWait(i);
    expect(helmReports(i.diid).map((r) => r.status)).toEqual(['installing', 'failed']);
    expect(done.error).toBe(`Error: execution error at (broken-templates/templates/fail.yaml:1:4): ${BROKEN_TEMPLATES_MESSAGE}`);
    await waitFor('the failure in the log', () => logLines(i.diid).some((l) => l.includes(BROKEN_TEMPLATES_MESSAGE)));
  });

  it('while its key rotates, values sealed under the retiring key still open (and reports are signed with the new one)', async () => {
    const diid = randomUUID();
    const done = await deployAndWait(instruction({ diid, sealedValues: sealForAgent(deriveAgentKey(RETIRING_SECRET, TENANT, ENV), diid, VALUES) }));
    expect(done.status).toBe('deployed');
    const report = received.find((r) => r.payload.report.type === 'helm' && r.payload.report.diid === diid)!;
    expect(verifyReport(deriveAgentKey(SECRET, TENANT, ENV), report.raw, report.attributes['signature'] ?? '')).toBe(true);
  });

  it("values sealed for another environment's agent do not open: failed, and helm never runs", async () => {
    const diid = randomUUID();
    const i = instruction({ diid, sealedValues: sealForAgent(deriveAgentKey(SECRET, TENANT, 'prod'), diid, VALUES) });
    const done = await deployAndWait(i);
    expect(helmReports(i.diid).map((r) => r.status)).toEqual(['failed']);
    expect(done.error).toBe("naisd could not prepare the values: the values were not sealed for this environment's agent key (or for this instruction)");
  });

  it('a version whose registry tag is not the signed digest ends failed with helm’s message, and the agent keeps going', async () => {
    const other = `sha256:${'0'.repeat(64)}`;
    const i = instruction({ chartDigest: other });
    const done = await deployAndWait(i);
    expect(done.status).toBe('failed');
    expect(done.error).toBe(`Error: chart reference digest mismatch: ${demo.digest} is not ${other}`);
    const next = await deployAndWait(instruction());
    expect(next.status).toBe('deployed');
  });

  it('runs two instructions published together one after the other (one helm operation at a time)', async () => {
    const a = instruction();
    const b = instruction({ release: 'broken-templates', chart: broken.ref, chartDigest: broken.digest, featureVersion: broken.version });
    await Promise.all([publish(a), publish(b)]);
    await waitFor('both instructions to finish', () => terminal(a.diid) && terminal(b.diid));
    const span = (diid: string): [number, number] => {
      const r = helmReports(diid);
      return [Date.parse(r.find((x) => x.status === 'installing')!.sentAt), Date.parse(terminal(diid)!.sentAt)];
    };
    const [aStart, aEnd] = span(a.diid);
    const [bStart, bEnd] = span(b.diid);
    const overlap = aStart < bEnd && bStart < aEnd;
    expect({ a: [aStart, aEnd], b: [bStart, bEnd], overlap }).toEqual({ a: [aStart, aEnd], b: [bStart, bEnd], overlap: false });
  });

  it('refuses a redelivered instruction whose diid it already applied, and reports it', async () => {
    const i = instruction();
    await deployAndWait(i);
    await publish(i);
    const refused = await waitFor('the refusal', () => reportsOf('refused').find((r) => (r.payload.report as RefusedReport).diid === i.diid));
    expect(refused.payload.report).toEqual({
      type: 'refused',
      diid: i.diid,
      reason: 'replayed',
      verified: true,
      error: `instruction ${i.diid} was already applied here; it is not run again`,
    });
    // Anything published after the duplicate is handled after it (serial lane): by then a rerun would show.
    await deployAndWait(instruction());
    expect(helmReports(i.diid).map((r) => r.status)).toEqual(['installing', 'deployed']);
  });

  it.each([
    ['a downgrade', '0.0.9', 'self-upgrade: version 0.0.9 is older than the running naisd 0.1.0; a downgrade is refused'],
    ['a malformed version', '1.5', 'self-upgrade: version "1.5" is not a SemVer version'],
    // In dry-run mode there is no cluster to run the upgrade Job in (with one: test/naisd-self-upgrade.int-spec.ts).
    [
      'a newer version in dry-run mode',
      '0.2.0',
      'self-upgrade from 0.1.0 to 0.2.0: naisd runs in dry-run mode (no FASIT_KUBECONFIG) and has no cluster to run its upgrade Job in',
    ],
  ])('refuses to deploy naisd itself with %s, says why in the deploy log, and runs helm for nothing', async (_what, featureVersion, error) => {
    const i = instruction({ release: OWN_RELEASE, featureVersion });
    const done = await deployAndWait(i);
    expect(helmReports(i.diid).map((r) => r.status)).toEqual(['failed']);
    expect(done.error).toBe(error);
    expect(logLines(i.diid)).toEqual([`naisd: ${error}`]);
  });

  it('refuses to uninstall naisd itself and runs helm for nothing', async () => {
    const i = uninstall('naisd');
    await publish(i);
    const r = await waitFor('the uninstall report', () => reportsOf('uninstall').find((x) => (x.payload.report as UninstallReport).diid === i.diid));
    expect(r.payload.report).toEqual({
      type: 'uninstall',
      diid: i.diid,
      release: 'naisd',
      status: 'failed',
      error: 'refusing to uninstall protected release "naisd"',
    });
    expect(logLines(i.diid)).toEqual([]);
  });

  it('uninstalls a release with helm uninstall (simulated: --dry-run against the empty memory driver)', async () => {
    const i = uninstall('demo-feature');
    await publish(i);
    const r = await waitFor('the uninstall report', () => reportsOf('uninstall').find((x) => (x.payload.report as UninstallReport).diid === i.diid));
    expect(r.payload.report).toEqual({ type: 'uninstall', diid: i.diid, release: 'demo-feature', status: 'uninstalled', error: null });
    const lines = await waitFor('uninstall log lines', () => (logLines(i.diid).length > 0 ? logLines(i.diid) : undefined));
    expect(lines.join('\n')).toMatch(/helm uninstall demo-feature --namespace nais-system .*--dry-run/);
  });

  it('kills a helm that outlives its timeout, reports failed, and takes the next instruction', async () => {
    const blackHole = await startBlackHole();
    try {
      // 11 s: the shortest instruction timeout that is not replaced by the 5 min default.
      const i = instruction({ chart: `oci://127.0.0.1:${blackHole.port}/charts/demo-feature`, timeoutMs: 11_000 });
      const done = await deployAndWait(i, 30_000);
      expect(helmReports(i.diid).map((r) => r.status)).toEqual(['installing', 'failed']);
      expect(done.error).toMatch(/^helm did not finish within 12s and was killed by naisd/);
      expect(Date.parse(done.sentAt) - Date.parse(helmReports(i.diid)[0]!.sentAt)).toBeGreaterThanOrEqual(11_000);
    } finally {
      await blackHole.close();
    }
    expect((await deployAndWait(instruction())).status).toBe('deployed');
  }, 45_000);

  it('signs every report with this environment’s key: each verifies with acme/dev’s key and with no other', () => {
    const own = deriveAgentKey(SECRET, TENANT, ENV);
    const other = deriveAgentKey(SECRET, TENANT, 'prod');
    expect(new Set(received.map((r) => r.payload.report.type))).toEqual(new Set(['heartbeat', 'inventory', 'helm', 'log', 'uninstall', 'refused']));
    for (const r of received) {
      expect(r.attributes['tenant']).toBe(TENANT);
      expect(r.attributes['environment']).toBe(ENV);
      const signature = r.attributes['signature'] ?? '';
      expect(verifyReport(own, r.raw, signature)).toBe(true);
      expect(verifyReport(other, r.raw, signature)).toBe(false);
    }
  });
});

describe('naisd stop', () => {
  it('stops taking instructions but lets the running helm finish, report and be acked before it exits', async () => {
    const env = `stop-${run}`;
    const config = loadNaisdConfig({
      ...busEnv,
      FASIT_TENANT: TENANT,
      FASIT_ENVIRONMENT: env,
      FASIT_AGENT_KEY: deriveAgentKey(SECRET, TENANT, env),
      FASIT_INSTRUCTION_PUBLIC_KEYS: PUBLIC_KEYS,
      FASIT_HTTP_HOST: '127.0.0.1',
      FASIT_HTTP_PORT: '0',
      FASIT_HELM_KILL_GRACE_MS: '500',
    });
    const reports: AgentReportV1[] = [];
    const stop = await listener.consume('naisd.status.reported.v1', `it-stop-${run}`, (payload) => {
      if (payload.environment === env) reports.push(payload);
      return Promise.resolve();
    });
    const blackHole = await startBlackHole();
    const agent = await startNaisd(config, { logger: new JsonLogger('naisd', 'error', () => undefined) });
    try {
      // A helm that hangs on a registry that never answers: killed 11.5 s after it started.
      const hung = instruction({ chart: `oci://127.0.0.1:${blackHole.port}/charts/demo-feature`, timeoutMs: 11_000 }, env);
      await publish(hung, env);
      const helmOf = (diid: string): HelmReport[] => reports.flatMap((r) => (r.report.type === 'helm' && r.report.diid === diid ? [r.report] : []));
      await waitFor('installing', () => helmOf(hung.diid).length > 0);
      await agent.close();
      const closedAt = Date.now();
      // The running instruction reported its outcome before close() resolved.
      await waitFor('the failed report', () => helmOf(hung.diid).length === 2, 5_000);
      expect(helmOf(hung.diid).map((r) => r.status)).toEqual(['installing', 'failed']);
      const failedAt = reports.find((r) => r.report.type === 'helm' && r.report.status === 'failed')!.sentAt;
      expect(Date.parse(failedAt)).toBeLessThanOrEqual(closedAt);
      const ready = await fetch(`${agent.url}/readyz`).catch(() => undefined);
      expect(ready).toBeUndefined();
      // Its instruction was acked within the drain time, not nacked: the next naisd of the environment does not get it.
      const next = await startNaisd(config, { logger: new JsonLogger('naisd', 'error', () => undefined) });
      try {
        await new Promise((r) => setTimeout(r, 3000));
        expect(helmOf(hung.diid).map((r) => r.status)).toEqual(['installing', 'failed']);
      } finally {
        await next.close();
      }
    } finally {
      await agent.close().catch(() => undefined);
      await blackHole.close();
      await stop();
    }
  }, 60_000);
});

describe('naisd start', () => {
  it('refuses to start when the helm binary does not run, naming it', async () => {
    const config = loadNaisdConfig({
      ...busEnv,
      FASIT_TENANT: TENANT,
      FASIT_ENVIRONMENT: 'no-helm',
      FASIT_HTTP_PORT: '0',
      FASIT_HELM_BIN: '/nonexistent/helm',
    });
    await expect(startNaisd(config, { logger: new JsonLogger('naisd', 'error', () => undefined) })).rejects.toThrow(
      '/nonexistent/helm version failed: /nonexistent/helm: spawn /nonexistent/helm ENOENT',
    );
  });
});
