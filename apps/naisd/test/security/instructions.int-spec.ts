// The instruction attack suite: what someone who can publish on an agent's instruction topic (a Pub/Sub publisher
// role, or a stolen agent key) might send, and what naisd does with it. Each message is refused before anything
// else, reported (a signed `refused` report with the reason), and runs nothing: the real helm 4 sits behind a
// counting wrapper (FASIT_HELM_BIN), and no case adds a `helm upgrade` or `helm uninstall` to its count. The
// control plane's own instructions still deploy, with the chart pinned to the signed digest.
//
// naisd runs as in production (FASIT_AUTH_MODE=oidc: its own keys, no development key), in dry-run mode (no
// Kubernetes API here: helm --dry-run=client with the memory driver), on Google's Pub/Sub emulator when
// PUBSUB_EMULATOR_HOST is set (a fresh project per run), else the in-process bus. Messages are published raw
// (`bus.publish`), past the checks our own publishers make.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import {
  createEventBus,
  instructionTopic,
  InstructionSigner,
  type AgentReport,
  type AgentReportV1,
  type EventBus,
  type InstructionBody,
  type InstructionRefusalReason,
} from '@fasit/bus';
import { JsonLogger } from '@fasit/config';
import { deriveAgentKey, sealForAgent, verifyReport } from '@fasit/domain';
import { ociRegistry, pushChart, type PushedChart } from '@fasit/testing';
import { loadNaisdConfig } from '../../src/config/naisd.config.js';
import { startNaisd, type RunningNaisd } from '../../src/naisd.app.js';

const emulator = process.env['PUBSUB_EMULATOR_HOST'];
const busLabel = emulator ? 'Pub/Sub emulator' : 'in-process bus';
const run = randomUUID().slice(0, 8);
const TENANT = 'acme';
const ENV = `sec-${run}`;
const SECRET = `control-plane-agent-key-secret-${run}`;
const AGENT_KEY = deriveAgentKey(SECRET, TENANT, ENV);
const busEnv = emulator ? { FASIT_BUS: 'pubsub', PUBSUB_EMULATOR_HOST: emulator, PUBSUB_PROJECT_ID: `naisd-sec-${run}` } : { FASIT_BUS: 'memory' };

function keyPair(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { kid, privateKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid } };
}
// The dispatcher's key and the next one, published to agents ahead of a rotation; and an attacker's.
const current = keyPair(`current-${run}`);
const next = keyPair(`next-${run}`);
const attacker = keyPair(`attacker-${run}`);
const signer = new InstructionSigner(current, 3_600_000);

type Refused = Extract<AgentReport, { type: 'refused' }>;
interface Received {
  payload: AgentReportV1;
  raw: string;
  signature: string;
}
const received: Received[] = [];
let naisd: RunningNaisd;
let bus: EventBus;
let stopListening: () => Promise<void>;
let helmDir: string;
let demo: PushedChart;

const reports = <T extends AgentReport['type']>(type: T): Extract<AgentReport, { type: T }>[] =>
  received.flatMap((r) => (r.payload.report.type === type ? [r.payload.report as Extract<AgentReport, { type: T }>] : []));

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; reports: ${JSON.stringify(received.map((r) => r.payload.report)).slice(0, 3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** How many times naisd ran `helm upgrade` and `helm uninstall` (the wrapper's record). */
async function helmRuns(): Promise<{ upgrade: number; uninstall: number }> {
  const lines = (await readFile(join(helmDir, 'calls'), 'utf8').catch(() => '')).split('\n');
  return { upgrade: lines.filter((l) => l === 'upgrade').length, uninstall: lines.filter((l) => l === 'uninstall').length };
}

const deployBody = (diid: string, o: Partial<Extract<InstructionBody, { action: 'deploy' }>> = {}): InstructionBody => ({
  action: 'deploy',
  release: 'demo-feature',
  chart: demo.ref,
  chartDigest: demo.digest,
  featureVersion: demo.version,
  hash: `hash-${diid.slice(0, 8)}`,
  timeoutMs: 60_000,
  sealedValues: sealForAgent(AGENT_KEY, diid, { clusterName: ENV, image: { tag: '1.0.0' }, auth: { token: 'tok' } }),
  ...o,
});

/** A message the control plane would send: signed by its current key, for this environment unless told otherwise. */
async function signed(
  o: { diid?: string; environment?: string; now?: Date; body?: (diid: string) => InstructionBody } = {},
): Promise<{ diid: string; raw: string }> {
  const diid = o.diid ?? randomUUID();
  const message = await signer.sign({ tenant: TENANT, environment: o.environment ?? ENV, diid }, (o.body ?? deployBody)(diid), o.now);
  return { diid, raw: JSON.stringify(message) };
}

/** The same signature over changed claims: what an attacker can do to a captured instruction. */
function tamper(raw: string, change: (claims: Record<string, unknown> & { instruction: Record<string, unknown> }) => void): string {
  const { jws } = JSON.parse(raw) as { jws: string };
  const [header, payload, signature] = jws.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown> & { instruction: Record<string, unknown> };
  change(claims);
  return JSON.stringify({ version: 'v2', jws: `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}` });
}

/** A JWT with this environment's instruction claims, signed however the attacker likes. */
async function forged(alg: string, key: KeyObject | Uint8Array, kid: string, diid = randomUUID()): Promise<{ diid: string; raw: string }> {
  const now = Math.floor(Date.now() / 1000);
  const jws = await new SignJWT({
    iss: 'fasit-dispatcher',
    aud: `${TENANT}/${ENV}`,
    jti: diid,
    iat: now,
    nbf: now,
    exp: now + 600,
    instruction: deployBody(diid),
  })
    .setProtectedHeader({ alg, kid, typ: 'fasit-instruction+jwt' })
    .sign(key);
  return { diid, raw: JSON.stringify({ version: 'v2', jws }) };
}

async function publishRaw(raw: string): Promise<void> {
  const id = randomUUID();
  await bus.bus.publish(instructionTopic(TENANT, ENV), Buffer.from(raw), { eventId: id, correlationId: id });
}

/** Publishes `raw` and returns the refusal it caused, checking that helm ran for nothing meanwhile. */
async function refusalOf(raw: string): Promise<Refused> {
  const before = await helmRuns();
  const count = reports('refused').length;
  await publishRaw(raw);
  const refusal = await waitFor('the refusal', () => reports('refused')[count]);
  expect(await helmRuns()).toEqual(before);
  return refusal;
}

async function deployed(raw: string, diid: string): Promise<Extract<AgentReport, { type: 'helm' }>> {
  await publishRaw(raw);
  return waitFor(`the outcome of ${diid}`, () => reports('helm').find((r) => r.diid === diid && r.status !== 'installing'), 60_000);
}

const BAD_SIGNATURE = "the instruction's signature does not verify: it was changed after signing, or signed by another key";
const v1 = (o: object) => JSON.stringify({ version: 'v1', diid: randomUUID(), featureVersion: '', chart: '', hash: '', timeoutMs: 0, sealedValues: '', ...o });

beforeAll(async () => {
  helmDir = await mkdtemp(join(tmpdir(), 'naisd-sec-helm-'));
  const realHelm = execFileSync('sh', ['-c', 'command -v helm'], { encoding: 'utf8' }).trim();
  // The real helm, behind a wrapper that writes down each command (its first argument) before running it.
  await writeFile(join(helmDir, 'helm'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${join(helmDir, 'calls')}'\nexec '${realHelm}' "$@"\n`);
  await chmod(join(helmDir, 'helm'), 0o755);
  demo = await pushChart('demo-feature', { registry: ociRegistry(), repoPath: `naisd-sec/${run}` });
  const config = loadNaisdConfig({
    ...busEnv,
    FASIT_AUTH_MODE: 'oidc',
    FASIT_TENANT: TENANT,
    FASIT_ENVIRONMENT: ENV,
    FASIT_AGENT_KEY: AGENT_KEY,
    FASIT_INSTRUCTION_PUBLIC_KEYS: JSON.stringify({ keys: [current.publicJwk, next.publicJwk] }),
    FASIT_HELM_BIN: join(helmDir, 'helm'),
    FASIT_HTTP_HOST: '127.0.0.1',
    FASIT_HTTP_PORT: '0',
  });
  bus = createEventBus(config);
  stopListening = await bus.consume(
    'naisd.status.reported.v1',
    `sec-${run}`,
    (payload, ctx) => {
      if (payload.tenant === TENANT && payload.environment === ENV) received.push({ payload, raw: ctx.rawData, signature: ctx.attributes['signature'] ?? '' });
      return Promise.resolve();
    },
    { maxInFlight: 64 },
  );
  naisd = await startNaisd(config, { logger: new JsonLogger('naisd', 'error', () => undefined) });
  // The agent is up and its helm works before the attacks start.
  await waitFor('the first inventory', () => reports('inventory')[0]);
}, 90_000);

afterAll(async () => {
  await naisd?.close();
  await stopListening?.();
  if (bus?.bus.kind === 'pubsub') await bus.bus.close();
  if (helmDir) await rm(helmDir, { recursive: true, force: true });
});

describe(`naisd refuses every instruction that is not the control plane's, for it, now (real helm behind a counter, ${busLabel}, helm dry-run)`, () => {
  it("runs the control plane's own instruction with the real helm, the chart pinned to the signed digest", async () => {
    const before = await helmRuns();
    const { diid, raw } = await signed();
    expect(await deployed(raw, diid)).toMatchObject({ diid, status: 'deployed', error: null });
    expect(await helmRuns()).toEqual({ ...before, upgrade: before.upgrade + 1 });
  });

  // One case per part of the signed content: the same signature over a changed instruction.
  it.each<[string, (c: Record<string, unknown> & { instruction: Record<string, unknown> }) => void]>([
    ['environment (audience): another environment of the tenant', (c) => (c['aud'] = `${TENANT}/prod`)],
    ['environment (audience): another tenant', (c) => (c['aud'] = `other/${ENV}`)],
    ['diid', (c) => (c['jti'] = randomUUID())],
    ['issuer', (c) => (c['iss'] = 'fasit-dispatcher-2')],
    ['issued-at', (c) => (c['iat'] = Number(c['iat']) + 1)],
    ['not-before', (c) => (c['nbf'] = Number(c['nbf']) + 1)],
    ['expiry', (c) => (c['exp'] = Number(c['exp']) + 30 * 86_400)],
    ['action', (c) => (c.instruction = { action: 'uninstall', release: c.instruction['release'], timeoutMs: 0 })],
    ['release', (c) => (c.instruction['release'] = 'ingress-nginx')],
    ['chart', (c) => (c.instruction['chart'] = 'oci://evil.example.org/features/demo-feature')],
    ['chart digest', (c) => (c.instruction['chartDigest'] = `sha256:${'e'.repeat(64)}`)],
    ['version', (c) => (c.instruction['featureVersion'] = '6.6.6')],
    ['hash', (c) => (c.instruction['hash'] = 'forged-hash')],
    ['timeout', (c) => (c.instruction['timeoutMs'] = 86_400_000)],
    ['sealed values', (c) => (c.instruction['sealedValues'] = sealForAgent(AGENT_KEY, String(c['jti']), { evil: true }))],
  ])('a changed %s: refused (bad-signature), reported, helm not run', async (_, change) => {
    const { raw } = await signed();
    const r = await refusalOf(tamper(raw, change));
    expect([r.reason, r.verified, r.error]).toEqual(['bad-signature', false, BAD_SIGNATURE]);
  });

  it('a signed uninstall with another release: refused (bad-signature), helm not run', async () => {
    const { diid, raw } = await signed({ body: () => ({ action: 'uninstall', release: 'demo-feature', timeoutMs: 0 }) });
    const r = await refusalOf(tamper(raw, (c) => (c.instruction['release'] = 'cert-manager')));
    expect(r).toEqual({ type: 'refused', diid, reason: 'bad-signature', verified: false, error: BAD_SIGNATURE });
  });

  it.each<[string, () => Promise<{ diid: string | null; raw: string }>, InstructionRefusalReason, boolean, string | RegExp]>([
    [
      "another environment's instruction (validly signed for acme/prod)",
      () => signed({ environment: 'prod' }),
      'wrong-environment',
      true,
      `the instruction is for "${TENANT}/prod", not for this environment (${TENANT}/${ENV})`,
    ],
    ['an expired instruction', () => signed({ now: new Date(Date.now() - 2 * 3_600_000) }), 'expired', true, /^the instruction expired at \d{4}-/],
    [
      'an instruction issued in the future beyond the clock skew',
      () => signed({ now: new Date(Date.now() + 10 * 60_000) }),
      'not-yet-valid',
      true,
      /^the instruction is valid from \d{4}-.*, later than this agent's clock \(60 s of skew allowed\)$/,
    ],
    [
      'an unsigned deploy (the v1 shape)',
      () => {
        const diid = randomUUID();
        return Promise.resolve({ diid, raw: v1({ diid, action: 'deploy', name: 'demo-feature', chart: demo.ref, featureVersion: demo.version }) });
      },
      'unsigned',
      false,
      'the instruction carries no signature (no "jws")',
    ],
    [
      'an unsigned uninstall (the v1 shape)',
      () => {
        const diid = randomUUID();
        return Promise.resolve({ diid, raw: v1({ diid, action: 'uninstall', name: 'demo-feature' }) });
      },
      'unsigned',
      false,
      'the instruction carries no signature (no "jws")',
    ],
    [
      'alg "none"',
      async () => {
        const { diid, raw } = await signed();
        const { jws } = JSON.parse(raw) as { jws: string };
        const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'fasit-instruction+jwt' })).toString('base64url');
        return { diid, raw: JSON.stringify({ version: 'v2', jws: `${none}.${jws.split('.')[1]}.` }) };
      },
      'unsigned',
      false,
      'the instruction carries no signature',
    ],
    [
      'a signature by an unknown key',
      () => forged('Ed25519', attacker.privateKey, attacker.kid),
      'unknown-key',
      false,
      `the instruction is signed with key "${attacker.kid}", which is not among this agent's FASIT_INSTRUCTION_PUBLIC_KEYS`,
    ],
    [
      "a signature by an unknown key under the trusted key's id",
      () => forged('Ed25519', attacker.privateKey, current.kid),
      'bad-signature',
      false,
      BAD_SIGNATURE,
    ],
    [
      "a signature with the agent's own key (a stolen agent key, HS256)",
      () => forged('HS256', Buffer.from(AGENT_KEY), current.kid),
      'algorithm',
      false,
      'the instruction is signed with "HS256"; only Ed25519 signatures by the control plane are accepted',
    ],
    [
      "a signature with the agent key as an HMAC of the control plane's secret",
      () => forged('HS256', createHmac('sha256', SECRET).update('x').digest(), current.kid),
      'algorithm',
      false,
      'the instruction is signed with "HS256"; only Ed25519 signatures by the control plane are accepted',
    ],
    ['garbage (not JSON)', () => Promise.resolve({ diid: null, raw: '\u0000\u00ff garbage' }), 'malformed', false, 'the message is not JSON'],
    [
      'a JSON array',
      () => Promise.resolve({ diid: null, raw: '[1,2,3]' }),
      'malformed',
      false,
      /^the message breaks the instruction contract: .*must be object/,
    ],
    [
      'an envelope without a JWS',
      () => Promise.resolve({ diid: null, raw: JSON.stringify({ version: 'v2', jws: 'garbage' }) }),
      'malformed',
      false,
      'the instruction is not a signed instruction (a compact JWS)',
    ],
    [
      'an oversized message (a 6 MB JWS)',
      () => Promise.resolve({ diid: null, raw: JSON.stringify({ version: 'v2', jws: 'A'.repeat(6_000_001) }) }),
      'malformed',
      false,
      /^the message breaks the instruction contract: .*\/jws must NOT have more than 6000000 characters/,
    ],
  ])(
    '%s: refused, reported, helm not run',
    async (_, message, reason, verified, error) => {
      const { diid, raw } = await message();
      const r = await refusalOf(raw);
      expect({ reason: r.reason, verified: r.verified, diid: r.diid }).toEqual({ reason, verified, diid });
      expect(r.error).toMatch(error);
    },
    60_000,
  );

  it('a replayed instruction (one already applied, published again): refused, reported, helm not run again', async () => {
    const { diid, raw } = await signed();
    expect((await deployed(raw, diid)).status).toBe('deployed');
    const r = await refusalOf(raw);
    expect(r).toEqual({
      type: 'refused',
      diid,
      reason: 'replayed',
      verified: true,
      error: `instruction ${diid} was already applied here; it is not run again`,
    });
    expect(
      reports('helm')
        .filter((h) => h.diid === diid)
        .map((h) => h.status),
    ).toEqual(['installing', 'deployed']);
  });

  it('accepts the next key published ahead of a rotation, and runs a signed uninstall', async () => {
    const before = await helmRuns();
    const diid = randomUUID();
    const rotated = await new InstructionSigner(next, 3_600_000).sign({ tenant: TENANT, environment: ENV, diid }, deployBody(diid));
    expect((await deployed(JSON.stringify(rotated), diid)).status).toBe('deployed');
    const u = await signed({ body: () => ({ action: 'uninstall', release: 'demo-feature', timeoutMs: 0 }) });
    await publishRaw(u.raw);
    await waitFor('the uninstall', () => reports('uninstall').find((r) => r.diid === u.diid));
    expect(await helmRuns()).toEqual({ upgrade: before.upgrade + 1, uninstall: before.uninstall + 1 });
  });

  it('a chart swapped in the registry under the signed version does not deploy: helm refuses the digest mismatch', async () => {
    const repoPath = `naisd-sec/${run}/swap`;
    const original = await pushChart('demo-feature', { registry: ociRegistry(), repoPath });
    const marker = `swapped-${run}`;
    const swapped = await pushChart('demo-feature', {
      registry: ociRegistry(),
      repoPath,
      files: { 'templates/swapped.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${marker}\n` },
    });
    expect(swapped.digest).not.toBe(original.digest);
    const { diid, raw } = await signed({ body: (d) => deployBody(d, { chart: original.ref, chartDigest: original.digest }) });
    const outcome = await deployed(raw, diid);
    expect(outcome).toMatchObject({ status: 'failed', error: `Error: chart reference digest mismatch: ${swapped.digest} is not ${original.digest}` });
    const logs = reports('log')
      .filter((l) => l.diid === diid)
      .flatMap((l) => l.lines.map((x) => x.msg));
    expect(logs.join('\n')).not.toContain(marker);
  });

  it("every report, refusals included, is signed with this environment's agent key", () => {
    expect(reports('refused').length).toBeGreaterThanOrEqual(30);
    for (const r of received) expect(verifyReport(AGENT_KEY, r.raw, r.signature)).toBe(true);
  });
});
