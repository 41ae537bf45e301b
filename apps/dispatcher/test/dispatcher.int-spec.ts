// The dispatcher against the real PostgreSQL, the real catalog API (tenants and environments) and a real bus: the
// in-process bus, and the Pub/Sub emulator too when scripts/services.sh started it. The test plays the reconciler
// (deploy requests) and the agents (signed reports on `naisd.status.reported.v1`). Observed through the
// dispatcher's tables and the topics it publishes.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readConfig } from '@fasit/config';
import {
  instructionTopic,
  InstructionVerifier,
  type AgentReport,
  type AgentReportV1,
  type DeployRequestedV1,
  type DeployStatusChangedV1,
  type SignedInstructionV2,
  type UninstallRequestedV1,
} from '@fasit/bus';
import { deriveAgentKey, openForAgent, sealForAgent, signReport } from '@fasit/domain';
import { dispatcherService, dispatcherSpec } from '../src/index.js';
import { startHarness, transports, unique, until, type Harness, type Recording } from '@fasit/harness';

const AGENT_SECRET = unique('agent-secret-of-at-least-32-characters');
// The secret being rotated out: the suite's dispatcher runs mid-rotation (FASIT_AGENT_KEY_SECRET="new,old").
const RETIRING_SECRET = unique('retiring-agent-secret-of-32-characters');
// The dispatcher's instruction key; the test's agents trust its public half.
const KEY = generateKeyPairSync('ed25519');
const KID = unique('dispatcher-it');
const SIGNING_KEY = JSON.stringify({ ...KEY.privateKey.export({ format: 'jwk' }), kid: KID });
const verifierFor = (environment: string) => new InstructionVerifier({ keys: [{ ...KEY.publicKey.export({ format: 'jwk' }), kid: KID }] }, tenant, environment);
/** The diid an instruction claims (to find it among those recorded; what counts is what verifies). */
const diidOf = (i: SignedInstructionV2): string => (JSON.parse(Buffer.from(i.jws.split('.')[1] ?? '', 'base64url').toString()) as { jti: string }).jti;
const TIMEOUT_MS = 2000;
const REPORTS = 'naisd.status.reported.v1.dispatcher';
const DEAD_LETTERS = `${REPORTS}.dead-letter`;

let h: Harness;
let statuses: Recording<DeployStatusChangedV1>;
const instructions: Record<string, Recording<SignedInstructionV2>> = {};
const deadLetters: { reason: string; eventId: string }[] = [];
const tenant = unique('acme');
const env: Record<string, string> = {};

interface LogRow {
  diid: string;
  status: string;
  hash: string;
  error: string | null;
}

const VALUES = { image: { tag: '1.0.0' }, auth: { token: 's3cret' } };

/**
 * The versions the test issues as producer of deploy and uninstall requests: one counter for every aggregate, so a
 * request made later is newer than any made before it, whatever its pair.
 */
let issued = 0;

/** A deploy request as the reconciler publishes it: the values sealed for that environment's agent and diid. */
function request(environment: string, patch: Partial<DeployRequestedV1> = {}): DeployRequestedV1 {
  const diid = patch.diid ?? randomUUID();
  return {
    version: 'v1',
    aggregateVersion: ++issued,
    diid,
    environmentId: env[environment]!,
    tenant,
    environment,
    assignmentId: randomUUID(),
    feature: unique('feature'),
    featureVersion: '1.0.0',
    chart: 'oci://registry.example.org/charts/feature',
    chartDigest: `sha256:${'0'.repeat(64)}`,
    hash: randomUUID(),
    timeoutMs: 300_000,
    sealedValues: sealForAgent(deriveAgentKey(AGENT_SECRET, tenant, environment), diid, VALUES),
    ...patch,
  };
}

async function deployLog(diid: string): Promise<LogRow[]> {
  return h.query<LogRow>(`SELECT diid, status, hash, error FROM dispatcher.deploy_statuses l WHERE diid = $1 ORDER BY l.id`, [diid]);
}

/** The reconciler's side: a deploy request, and the dispatcher has recorded it as sent. */
async function sent(r: DeployRequestedV1): Promise<DeployRequestedV1> {
  await h.bus.publish('reconciler.deploy.requested.v1', r);
  await until(`${r.diid} sent`, async () => (await deployLog(r.diid)).some((l) => l.status === 'sent'));
  return r;
}

/** The agent's side: a report signed with the key of `signedAs` (by default the environment it claims), derived from `secret`. */
async function report(environment: string, r: AgentReport, signedAs = environment, secret = AGENT_SECRET): Promise<string> {
  const body: AgentReportV1 = { version: 'v1', tenant, environment, sentAt: new Date().toISOString(), report: r };
  const eventId = randomUUID();
  await h.bus.publish('naisd.status.reported.v1', body, {
    eventId,
    attributes: { signature: signReport(deriveAgentKey(secret, tenant, signedAs), JSON.stringify(body)) },
  });
  return eventId;
}

/** Reports and waits until the dispatcher has finished with the report (acked: recorded, ignored or dead-lettered). */
async function reported(environment: string, r: AgentReport, signedAs = environment, secret = AGENT_SECRET): Promise<string> {
  const eventId = await report(environment, r, signedAs, secret);
  await h.raw.acked(REPORTS, eventId);
  return eventId;
}

const helm = (d: DeployRequestedV1, status: 'installing' | 'deployed' | 'failed', error: string | null = null): AgentReport => ({
  type: 'helm',
  diid: d.diid,
  name: d.feature,
  featureVersion: d.featureVersion,
  status,
  hash: d.hash,
  error,
});

describe.each(transports)('dispatcher, two replicas at once (%s, PostgreSQL, catalog API)', (transport) => {
  beforeAll(async () => {
    h = await startHarness({
      prefix: 'dispatcher',
      transport,
      replicas: 2,
      service: (e) => {
        const config = readConfig(dispatcherSpec, {
          ...e,
          FASIT_AGENT_KEY_SECRET: `${AGENT_SECRET},${RETIRING_SECRET}`,
          FASIT_INSTRUCTION_SIGNING_KEY: SIGNING_KEY,
          FASIT_DEPLOY_TIMEOUT_MS: String(TIMEOUT_MS),
          FASIT_DEPLOY_TIMEOUT_SWEEP_MS: '3600000',
        });
        return { definition: dispatcherService(config), config };
      },
    });
    deadLetters.length = 0;
    statuses = await h.record('dispatcher.deploy-status.changed.v1');
    await h.raw.subscribe(DEAD_LETTERS, `${DEAD_LETTERS}.test`, (m) => {
      deadLetters.push({ reason: m.attributes['deadLetterReason'] ?? '', eventId: m.attributes['eventId'] ?? '' });
      return Promise.resolve();
    });
    await h.ok('POST', '/api/v1/tenants', { name: tenant });
    for (const name of ['dev', 'prod']) {
      env[name] = (await h.ok<{ id: string }>('POST', `/api/v1/tenants/${tenant}/environments`, { name, kind: 'tenant' })).id;
      instructions[name] = await h.record<'naisd.instructions.v2'>(instructionTopic(tenant, name));
    }
  });

  afterAll(async () => {
    await h?.close();
  });

  it('publishes a deploy request, signed for the environment, on its instruction topic and appends sent', async () => {
    const r = await sent(request('dev'));
    const got = await instructions['dev']!.waitFor('the instruction', (i) => diidOf(i) === r.diid);
    expect(got.payload.version).toBe('v2');
    // Everything the agent will act on is what the signature covers.
    const verified = await verifierFor('dev').verify(got.payload.jws);
    expect(verified).toEqual({
      diid: r.diid,
      tenant,
      environment: 'dev',
      action: 'deploy',
      release: r.feature,
      chart: r.chart,
      chartDigest: r.chartDigest,
      featureVersion: '1.0.0',
      hash: r.hash,
      timeoutMs: 300_000,
      sealedValues: r.sealedValues,
      issuedAt: expect.any(Date),
      expiresAt: expect.any(Date),
    });
    // It expires when the dispatcher would give the deploy up (FASIT_DEPLOY_TIMEOUT_MS).
    expect(verified.expiresAt.getTime() - verified.issuedAt.getTime()).toBe(TIMEOUT_MS);
    // prod's agent refuses it.
    await expect(verifierFor('prod').verify(got.payload.jws)).rejects.toMatchObject({ reason: 'wrong-environment' });
    // The values travel sealed for dev's agent, forwarded as the reconciler sealed them: not readable on the bus,
    // and prod's agent cannot open them.
    expect(got.payload.jws).not.toContain(Buffer.from('s3cret').toString('base64url'));
    expect(openForAgent(deriveAgentKey(AGENT_SECRET, tenant, 'dev'), r.diid, verified.action === 'deploy' ? verified.sealedValues : '')).toEqual(VALUES);
    expect(() => openForAgent(deriveAgentKey(AGENT_SECRET, tenant, 'prod'), r.diid, r.sealedValues)).toThrow("not sealed for this environment's agent key");
    expect(instructions['prod']!.all().filter((i) => diidOf(i) === r.diid)).toEqual([]);
    expect(await deployLog(r.diid)).toEqual([{ diid: r.diid, status: 'sent', hash: r.hash, error: null }]);
    await statuses.waitFor('sent announced', (s) => s.diid === r.diid && s.status === 'sent');
  });

  it('does not send the same diid twice', async () => {
    const r = await sent(request('dev'));
    await instructions['dev']!.waitFor('the first instruction', (i) => diidOf(i) === r.diid);
    const eventId = randomUUID();
    await h.bus.publish('reconciler.deploy.requested.v1', r, { eventId });
    await h.raw.acked('reconciler.deploy.requested.v1.dispatcher', eventId);
    // A second instruction would have been published before that ack; give the bus time to deliver one.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(instructions['dev']!.all().filter((i) => diidOf(i) === r.diid)).toHaveLength(1);
    expect(await deployLog(r.diid)).toHaveLength(1);
  });

  it('a newer deploy or uninstall request of a pair, then an older one: the older one is dropped as stale and nothing of it reaches the agent', async () => {
    const feature = unique('feature');
    const older = request('dev', { feature });
    const newer = request('dev', { feature });
    const deliver = async (topic: 'reconciler.deploy.requested.v1' | 'catalog.uninstall.requested.v1', payload: unknown): Promise<string> => {
      const eventId = randomUUID();
      await h.bus.publish(topic, payload as never, { eventId });
      await h.raw.acked(`${topic}.dispatcher`, eventId);
      return eventId;
    };
    const staleCount = (topic: string) => h.counter('fasit_events_consumed_total', { topic, result: 'stale' });
    await deliver('reconciler.deploy.requested.v1', newer);
    await instructions['dev']!.waitFor('the newer instruction', (i) => diidOf(i) === newer.diid);
    const stale = await staleCount('reconciler.deploy.requested.v1');
    const olderId = await deliver('reconciler.deploy.requested.v1', older);
    expect(await staleCount('reconciler.deploy.requested.v1')).toBe(stale + 1);
    expect(h.logs.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({ level: 'debug', msg: 'event dropped: older than what was applied', topic: 'reconciler.deploy.requested.v1', eventId: olderId }),
    );
    expect(await deployLog(older.diid)).toEqual([]);
    expect((await deployLog(newer.diid)).map((l) => l.status)).toEqual(['sent']);

    const uninstall = (): UninstallRequestedV1 => ({
      version: 'v1',
      aggregateVersion: ++issued,
      diid: randomUUID(),
      environmentId: env['dev']!,
      tenant,
      environment: 'dev',
      release: feature,
      requestedBy: 'tester',
    });
    const [olderUninstall, newerUninstall] = [uninstall(), uninstall()];
    await deliver('catalog.uninstall.requested.v1', newerUninstall);
    await instructions['dev']!.waitFor('the newer uninstall', (i) => diidOf(i) === newerUninstall.diid);
    const staleUninstalls = await staleCount('catalog.uninstall.requested.v1');
    await deliver('catalog.uninstall.requested.v1', olderUninstall);
    expect(await staleCount('catalog.uninstall.requested.v1')).toBe(staleUninstalls + 1);
    // The instruction topic: what the agent would get. Nothing of either older request, after a moment for a late one.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(instructions['dev']!.all().filter((i) => [older.diid, olderUninstall.diid].includes(diidOf(i)))).toEqual([]);
  });

  it('agent reports move a deploy through installing to deployed, or to failed with the error', async () => {
    const ok = await sent(request('dev'));
    await reported('dev', helm(ok, 'installing'));
    await reported('dev', helm(ok, 'deployed'));
    expect((await deployLog(ok.diid)).map((l) => l.status)).toEqual(['sent', 'installing', 'deployed']);
    await statuses.waitFor('deployed announced', (s) => s.diid === ok.diid && s.status === 'deployed');

    const bad = await sent(request('dev'));
    await reported('dev', helm(bad, 'failed', 'helm: UPGRADE FAILED: timed out'));
    expect(await deployLog(bad.diid)).toEqual([
      { diid: bad.diid, status: 'sent', hash: bad.hash, error: null },
      { diid: bad.diid, status: 'failed', hash: bad.hash, error: 'helm: UPGRADE FAILED: timed out' },
    ]);
    const announced = await statuses.waitFor('failed announced', (s) => s.diid === bad.diid && s.status === 'failed');
    expect(announced.payload.error).toBe('helm: UPGRADE FAILED: timed out');

    // The same report again changes nothing.
    await reported('dev', helm(ok, 'deployed'));
    expect((await deployLog(ok.diid)).map((l) => l.status)).toEqual(['sent', 'installing', 'deployed']);
  });

  it('an installing that arrives after deployed does not make the deploy look in progress', async () => {
    const r = await sent(request('dev'));
    await reported('dev', helm(r, 'deployed'));
    await reported('dev', helm(r, 'installing'));
    expect((await deployLog(r.diid)).map((l) => l.status)).toEqual(['sent', 'deployed']);
    const [latest] = await h.query<{ status: string }>(
      `SELECT status FROM dispatcher.deploy_statuses l WHERE environment_id = $1 AND feature = $2 ORDER BY l.id DESC LIMIT 1`,
      [env['dev'], r.feature],
    );
    expect(latest?.status).toBe('deployed');
    expect(statuses.all().filter((s) => s.diid === r.diid && s.status === 'installing')).toEqual([]);
  });

  it('an installing and a deployed handled at the same time never leave the deploy looking in progress', async () => {
    const deploys = await Promise.all(Array.from({ length: 12 }, () => sent(request('dev'))));
    // Each agent report pair published back to back: the dispatcher handles them concurrently.
    await Promise.all(deploys.map(async (d) => Promise.all([reported('dev', helm(d, 'deployed')), reported('dev', helm(d, 'installing'))])));
    for (const d of deploys) {
      const statuses = (await deployLog(d.diid)).map((l) => l.status);
      expect(statuses.at(-1)).toBe('deployed');
      expect(statuses.slice(statuses.indexOf('deployed') + 1)).toEqual([]);
    }
  });

  it('an agent that answers at once is heard: its statuses are not lost while sent is being recorded', async () => {
    const r = request('prod');
    await reported('prod', { type: 'heartbeat', agentVersion: '1.0.0' });
    const stop = await h.bus.consume(instructionTopic(tenant, 'prod'), unique('eager-agent'), async (payload) => {
      if (diidOf(payload as SignedInstructionV2) !== r.diid) return;
      await report('prod', helm(r, 'installing'));
      await report('prod', helm(r, 'deployed'));
    });
    try {
      await h.bus.publish('reconciler.deploy.requested.v1', r);
      await until(`${r.diid} deployed`, async () => (await deployLog(r.diid)).some((l) => l.status === 'deployed'));
      expect((await deployLog(r.diid)).map((l) => l.status)).toEqual(expect.arrayContaining(['sent', 'deployed']));
      expect((await deployLog(r.diid))[0]?.status).toBe('sent');
    } finally {
      await stop();
    }
  });

  describe('refused reports change nothing and are dead-lettered', () => {
    it("a report signed with another environment's key", async () => {
      const r = await sent(request('dev'));
      const eventId = await reported('dev', helm(r, 'deployed'), 'prod');
      const dead = await until('the dead letter', () => Promise.resolve(deadLetters.find((d) => d.eventId === eventId)));
      expect(dead.reason).toContain("not signed with that environment's agent key");
      expect((await deployLog(r.diid)).map((l) => l.status)).toEqual(['sent']);

      const hb = await reported('prod', { type: 'heartbeat', agentVersion: 'forged' }, 'dev');
      await until('the heartbeat dead letter', () => Promise.resolve(deadLetters.some((d) => d.eventId === hb)));
      expect(await h.query(`SELECT 1 FROM dispatcher.agent_health WHERE agent_version = 'forged'`)).toEqual([]);
    });

    it('a status for a deploy that was sent to another environment', async () => {
      const r = await sent(request('dev'));
      const eventId = await reported('prod', helm(r, 'deployed'));
      const dead = await until('the dead letter', () => Promise.resolve(deadLetters.find((d) => d.eventId === eventId)));
      expect(dead.reason).toContain('sent to another environment');
      expect((await deployLog(r.diid)).map((l) => l.status)).toEqual(['sent']);
    });
  });

  it('while the agent key secret rotates, reports signed with a key derived from either secret count, and from no other', async () => {
    const fresh = await sent(request('dev'));
    const stale = await sent(request('dev'));
    await reported('dev', helm(fresh, 'deployed'));
    await reported('dev', helm(stale, 'deployed'), 'dev', RETIRING_SECRET);
    expect((await deployLog(fresh.diid)).map((l) => l.status)).toEqual(['sent', 'deployed']);
    expect((await deployLog(stale.diid)).map((l) => l.status)).toEqual(['sent', 'deployed']);
    const forged = await sent(request('dev'));
    const eventId = await reported('dev', helm(forged, 'deployed'), 'dev', unique('someone-elses-secret-of-32-characters'));
    const dead = await until('the dead letter', () => Promise.resolve(deadLetters.find((d) => d.eventId === eventId)));
    expect(dead.reason).toContain("not signed with that environment's agent key");
    expect((await deployLog(forged.diid)).map((l) => l.status)).toEqual(['sent']);
  });

  it('heartbeats upsert the agent health of the environment', async () => {
    await reported('dev', { type: 'heartbeat', agentVersion: '1.0.0' });
    const [first] = await h.query<{ reported_at: Date; agent_version: string }>(
      `SELECT reported_at, agent_version FROM dispatcher.agent_health WHERE environment_id = $1`,
      [env['dev']],
    );
    expect(first?.agent_version).toBe('1.0.0');
    await until('the clock to move', () => Promise.resolve(Date.now() > first!.reported_at.getTime() + 5));
    await reported('dev', { type: 'heartbeat', agentVersion: '1.1.0' });
    const rows = await h.query<{ reported_at: Date; agent_version: string; tenant: string; environment: string }>(
      `SELECT reported_at, agent_version, tenant, environment FROM dispatcher.agent_health WHERE environment_id = $1`,
      [env['dev']],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ agent_version: '1.1.0', tenant, environment: 'dev' });
    expect(rows[0]!.reported_at.getTime()).toBeGreaterThan(first!.reported_at.getTime());
  });

  it('an environment deleted and created again under the same name gets the reports of its new agent', async () => {
    const oldId = (await h.ok<{ id: string }>('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'phoenix', kind: 'tenant' })).id;
    await reported('phoenix', { type: 'heartbeat', agentVersion: 'old' });
    expect(await h.query(`SELECT 1 FROM dispatcher.agent_health WHERE environment_id = $1`, [oldId])).toHaveLength(1);
    await h.ok('DELETE', `/api/v1/tenants/${tenant}/environments/phoenix?force=true`);
    const newId = (await h.ok<{ id: string }>('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'phoenix', kind: 'tenant' })).id;
    await reported('phoenix', { type: 'heartbeat', agentVersion: 'new' });
    expect(await h.query(`SELECT agent_version FROM dispatcher.agent_health WHERE environment_id = $1`, [newId])).toEqual([{ agent_version: 'new' }]);
  });

  it("an inventory replaces the environment's releases", async () => {
    const release = (name: string, revision: number) => ({
      name,
      chartVersion: '1.0.0',
      status: 'deployed',
      revision,
      lastDeployed: '2026-11-24T08:00:00.000Z',
    });
    await reported('dev', { type: 'inventory', releases: [release('loki', 1), release('tempo', 3)] });
    await reported('prod', { type: 'inventory', releases: [release('loki', 7)] });
    await reported('dev', { type: 'inventory', releases: [release('tempo', 4), release('mimir', 1)] });
    const rows = await h.query<{ environment_id: string; name: string; revision: number }>(
      `SELECT environment_id, name, revision FROM dispatcher.releases ORDER BY environment_id, name`,
    );
    expect(rows.filter((r) => r.environment_id === env['dev']).map((r) => [r.name, r.revision])).toEqual([
      ['mimir', 1],
      ['tempo', 4],
    ]);
    expect(rows.filter((r) => r.environment_id === env['prod']).map((r) => [r.name, r.revision])).toEqual([['loki', 7]]);
  });

  it("a real inventory's values hashes are kept with its releases; whether the environment's last inventory was real is kept too", async () => {
    const hash = 'a'.repeat(64);
    await reported('dev', {
      type: 'inventory',
      real: true,
      releases: [{ name: 'loki', chartVersion: '2.0.0', status: 'deployed', revision: 2, lastDeployed: null, valuesHash: hash }],
    });
    expect(await h.query(`SELECT name, chart_version, revision, values_hash FROM dispatcher.releases WHERE environment_id = $1`, [env['dev']])).toEqual([
      { name: 'loki', chart_version: '2.0.0', revision: 2, values_hash: hash },
    ]);
    expect(await h.query(`SELECT real FROM dispatcher.inventories WHERE environment_id = $1`, [env['dev']])).toEqual([{ real: true }]);
    // A dry-run agent's inventory says it is not real; one that says nothing (an older naisd) is not real either.
    await reported('dev', { type: 'inventory', real: false, releases: [] });
    expect(await h.query(`SELECT real FROM dispatcher.inventories WHERE environment_id = $1`, [env['dev']])).toEqual([{ real: false }]);
    await reported('prod', { type: 'inventory', releases: [] });
    expect(await h.query(`SELECT real FROM dispatcher.inventories WHERE environment_id = $1`, [env['prod']])).toEqual([{ real: false }]);
    // A values hash is a SHA-256 in hex, or the report breaks the contract (oneOf: the message names the report).
    await expect(
      report('dev', {
        type: 'inventory',
        real: true,
        releases: [{ name: 'loki', chartVersion: '2.0.0', status: 'deployed', revision: 3, lastDeployed: null, valuesHash: 'not-a-hash' }],
      }),
    ).rejects.toThrow('payload does not match the naisd.status.reported.v1 contract: /report');
  });

  it('an inventory taken before the last one recorded, delivered (or sent) late, changes nothing and announces nothing', async () => {
    const inventories = await h.record('dispatcher.inventory.reported.v1');
    const taken = (ms: number) => new Date(Date.now() - ms).toISOString();
    // older naisd: only sentAt says when; naisd now says when it listed (takenAt), which a deploy may follow before the report goes out
    const send = async (at: string, releases: { name: string; revision: number }[], how: 'sentAt' | 'takenAt' = 'sentAt') => {
      const report: AgentReport = {
        type: 'inventory',
        real: true,
        releases: releases.map((r) => ({ ...r, chartVersion: '1.0.0', status: 'deployed', lastDeployed: null })),
        ...(how === 'takenAt' ? { takenAt: at } : {}),
      };
      const body: AgentReportV1 = { version: 'v1', tenant, environment: 'prod', sentAt: how === 'sentAt' ? at : new Date().toISOString(), report };
      const eventId = randomUUID();
      await h.bus.publish('naisd.status.reported.v1', body, {
        eventId,
        attributes: { signature: signReport(deriveAgentKey(AGENT_SECRET, tenant, 'prod'), JSON.stringify(body)) },
      });
      await h.raw.acked(REPORTS, eventId);
    };
    const newer = taken(0);
    await send(newer, [{ name: 'loki', revision: 8 }]);
    await inventories.waitFor('the newer inventory announced', (p) => p.environmentId === env['prod']);
    const announced = inventories.since().length;
    await send(taken(60_000), [
      { name: 'loki', revision: 7 },
      { name: 'gone', revision: 1 },
    ]);
    await send(taken(30_000), [{ name: 'loki', revision: 6 }], 'takenAt');
    expect(await h.query(`SELECT name, revision, reported_at FROM dispatcher.releases WHERE environment_id = $1`, [env['prod']])).toEqual([
      { name: 'loki', revision: 8, reported_at: new Date(newer) },
    ]);
    expect(await h.query(`SELECT reported_at FROM dispatcher.inventories WHERE environment_id = $1`, [env['prod']])).toEqual([
      { reported_at: new Date(newer) },
    ]);
    expect(inventories.since().length).toBe(announced);
  });

  it("log lines land in the deploy's logs, in order", async () => {
    const r = await sent(request('dev'));
    await reported('dev', {
      type: 'log',
      diid: r.diid,
      lines: [
        { time: '2026-11-24T08:00:00.000Z', msg: 'Release "x" does not exist. Installing it now.', kind: 'helm' },
        { time: '2026-11-24T08:00:01.000Z', msg: 'Pulled: registry.example.org/charts/feature:1.0.0', kind: 'helm' },
        { time: '2026-11-24T08:00:02.000Z', msg: 'Scaled up replica set x-1 to 1', kind: 'event' },
      ],
    });
    const rows = await h.query<{ msg: string; kind: string }>(`SELECT msg, kind FROM dispatcher.deploy_log_lines l WHERE diid = $1 ORDER BY time, l.id`, [
      r.diid,
    ]);
    expect(rows).toEqual([
      { msg: 'Release "x" does not exist. Installing it now.', kind: 'helm' },
      { msg: 'Pulled: registry.example.org/charts/feature:1.0.0', kind: 'helm' },
      { msg: 'Scaled up replica set x-1 to 1', kind: 'event' },
    ]);
  });

  it(`a deploy with no answer within FASIT_DEPLOY_TIMEOUT_MS is marked failed by the periodic job; a late installing is ignored`, async () => {
    const lost = await sent(request('dev'));
    const stuck = await sent(request('dev'));
    await reported('dev', helm(stuck, 'installing'));
    const finished = await sent(request('dev'));
    await reported('dev', helm(finished, 'deployed'));
    const job = h.service.jobs.get('deploy-timeouts')!;
    await until('both lost deploys to be marked failed', async () => {
      await job.trigger();
      const [a, b] = [await deployLog(lost.diid), await deployLog(stuck.diid)];
      return a.at(-1)?.status === 'failed' && b.at(-1)?.status === 'failed';
    });
    const failed = (await deployLog(lost.diid)).at(-1)!;
    expect(failed.error).toMatch(/no result from the agent within 2s/);
    await statuses.waitFor('the timeout announced', (s) => s.diid === lost.diid && s.status === 'failed');
    expect((await deployLog(finished.diid)).map((l) => l.status)).toEqual(['sent', 'deployed']);

    await reported('dev', helm(lost, 'installing'));
    expect((await deployLog(lost.diid)).map((l) => l.status)).toEqual(['sent', 'failed']);
  });

  it('uninstall: refuses naisd and fasitd, sends any other release to the agent', async () => {
    const uninstall = (release: string) => ({
      version: 'v1' as const,
      aggregateVersion: ++issued,
      diid: randomUUID(),
      environmentId: env['dev']!,
      tenant,
      environment: 'dev',
      release,
      requestedBy: 'tester',
    });
    const refused = [uninstall('naisd'), uninstall('fasitd')];
    for (const u of refused) {
      const eventId = randomUUID();
      await h.bus.publish('catalog.uninstall.requested.v1', u, { eventId });
      await h.raw.acked('catalog.uninstall.requested.v1.dispatcher', eventId);
    }
    const ok = uninstall('loki');
    await h.bus.publish('catalog.uninstall.requested.v1', ok);
    const got = await instructions['dev']!.waitFor('the uninstall instruction', (i) => diidOf(i) === ok.diid);
    // Signed like any instruction: an agent runs no unsigned uninstall.
    expect(await verifierFor('dev').verify(got.payload.jws)).toMatchObject({ action: 'uninstall', release: 'loki', diid: ok.diid, tenant, environment: 'dev' });
    expect(instructions['dev']!.all().filter((i) => refused.some((u) => u.diid === diidOf(i)))).toEqual([]);
  });

  describe('instructions an agent refused to run', () => {
    const refusal = (diid: string | null, reason: Extract<AgentReport, { type: 'refused' }>['reason'], verified: boolean, error: string): AgentReport => ({
      type: 'refused',
      diid,
      reason,
      verified,
      error,
    });
    const refusals = (environment: string) =>
      h.query<{ diid: string | null; reason: string; verified: boolean; error: string }>(
        `SELECT diid, reason, verified, error FROM dispatcher.refused_instructions r WHERE environment_id = $1 ORDER BY r.id`,
        [env[environment]],
      );
    const logLines = (diid: string) =>
      h.query<{ msg: string; kind: string }>(`SELECT msg, kind FROM dispatcher.deploy_log_lines l WHERE diid = $1 ORDER BY time, l.id`, [diid]);

    it('a forged or tampered copy of a deploy sent here is recorded and shown in its log, and changes no status', async () => {
      const r = await sent(request('dev'));
      const error = "the instruction's signature does not verify: it was changed after signing, or signed by another key";
      await reported('dev', refusal(r.diid, 'bad-signature', false, error));
      expect((await refusals('dev')).filter((x) => x.diid === r.diid)).toEqual([{ diid: r.diid, reason: 'bad-signature', verified: false, error }]);
      expect(await logLines(r.diid)).toEqual([
        { msg: `naisd refused an instruction claiming to be this one (its signature did not verify): bad-signature: ${error}`, kind: 'refusal' },
      ]);
      expect((await deployLog(r.diid)).map((l) => l.status)).toEqual(['sent']);
      // The real instruction still runs and reports.
      await reported('dev', helm(r, 'deployed'));
      expect((await deployLog(r.diid)).map((l) => l.status)).toEqual(['sent', 'deployed']);
    });

    it.each([
      ['expired', 'the instruction expired at 2026-12-07T11:00:00.000Z'],
      ['not-yet-valid', "the instruction is valid from 2026-12-07T11:00:00.000Z, later than this agent's clock (60 s of skew allowed)"],
    ] as const)("the control plane's own instruction refused as %s fails its deploy, with the reason", async (reason, error) => {
      const r = await sent(request('dev'));
      await reported('dev', refusal(r.diid, reason, true, error));
      expect(await deployLog(r.diid)).toEqual([
        { diid: r.diid, status: 'sent', hash: r.hash, error: null },
        { diid: r.diid, status: 'failed', hash: r.hash, error: `naisd refused the instruction (${reason}): ${error}` },
      ]);
      await statuses.waitFor('the failure announced', (s) => s.diid === r.diid && s.status === 'failed');
      expect((await logLines(r.diid)).map((l) => l.msg)).toEqual([`naisd refused this instruction: ${reason}: ${error}`]);
    });

    it('a replay of a deploy already done is shown in its log, and the deploy stays done', async () => {
      const r = await sent(request('dev'));
      await reported('dev', helm(r, 'deployed'));
      await reported('dev', refusal(r.diid, 'replayed', true, `instruction ${r.diid} was already applied here; it is not run again`));
      expect((await deployLog(r.diid)).map((l) => l.status)).toEqual(['sent', 'deployed']);
      expect((await logLines(r.diid)).map((l) => l.kind)).toEqual(['refusal']);
    });

    it("a refusal naming another environment's deploy, or no deploy at all, is recorded only", async () => {
      const r = await sent(request('dev'));
      await reported('prod', refusal(r.diid, 'expired', true, 'the instruction expired at 2026-12-07T11:00:00.000Z'));
      await reported('prod', refusal(null, 'malformed', false, 'the message is not JSON'));
      expect((await refusals('prod')).slice(-2)).toEqual([
        { diid: r.diid, reason: 'expired', verified: true, error: 'the instruction expired at 2026-12-07T11:00:00.000Z' },
        { diid: null, reason: 'malformed', verified: false, error: 'the message is not JSON' },
      ]);
      expect((await deployLog(r.diid)).map((l) => l.status)).toEqual(['sent']);
      expect(await logLines(r.diid)).toEqual([]);
      // And the record is the dispatcher's own: append-only.
      await expect(h.query(`DELETE FROM dispatcher.refused_instructions`)).rejects.toThrow('refused_instructions is append-only');
    });
  });

  describe('every event type delivered three times at once, to two replicas, takes effect once', () => {
    /** Publishes the same event (one event id) three times at once, as Pub/Sub redelivers it, and waits for the acks. */
    async function thrice(
      topic: 'reconciler.deploy.requested.v1' | 'catalog.uninstall.requested.v1',
      payload: DeployRequestedV1 | UninstallRequestedV1,
    ): Promise<void> {
      const eventId = randomUUID();
      await Promise.all([1, 2, 3].map(() => h.bus.publish(topic, payload as never, { eventId })));
      await h.raw.acked(`${topic}.dispatcher`, eventId, 3);
    }
    async function reportThrice(environment: string, r: AgentReport): Promise<void> {
      const body: AgentReportV1 = { version: 'v1', tenant, environment, sentAt: new Date().toISOString(), report: r };
      const eventId = randomUUID();
      const signature = signReport(deriveAgentKey(AGENT_SECRET, tenant, environment), JSON.stringify(body));
      await Promise.all([1, 2, 3].map(() => h.bus.publish('naisd.status.reported.v1', body, { eventId, attributes: { signature } })));
      await h.raw.acked(REPORTS, eventId, 3);
    }
    it('a deploy request: one instruction, one sent', async () => {
      const r = request('dev');
      await thrice('reconciler.deploy.requested.v1', r);
      await instructions['dev']!.waitFor('the instruction', (i) => diidOf(i) === r.diid);
      // the sent status goes out through the outbox relay, which may take a turn longer than the instruction
      await statuses.waitFor('the sent status', (s) => s.diid === r.diid);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(instructions['dev']!.all().filter((i) => diidOf(i) === r.diid)).toHaveLength(1);
      expect(await deployLog(r.diid)).toEqual([{ diid: r.diid, status: 'sent', hash: r.hash, error: null }]);
      expect(statuses.all().filter((s) => s.diid === r.diid)).toHaveLength(1);
    });

    it('an uninstall request: one uninstall instruction', async () => {
      const u: UninstallRequestedV1 = {
        version: 'v1',
        aggregateVersion: ++issued,
        diid: randomUUID(),
        environmentId: env['dev']!,
        tenant,
        environment: 'dev',
        release: 'loki',
        requestedBy: 'tester',
      };
      await thrice('catalog.uninstall.requested.v1', u);
      await instructions['dev']!.waitFor('the uninstall instruction', (i) => diidOf(i) === u.diid);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(instructions['dev']!.all().filter((i) => diidOf(i) === u.diid)).toHaveLength(1);
    });

    it('status, log, uninstall, heartbeat and inventory reports: recorded once', async () => {
      const r = await sent(request('dev'));
      await reportThrice('dev', helm(r, 'installing'));
      await reportThrice('dev', helm(r, 'deployed'));
      expect((await deployLog(r.diid)).map((l) => l.status)).toEqual(['sent', 'installing', 'deployed']);
      await reportThrice('dev', {
        type: 'log',
        diid: r.diid,
        lines: [
          { time: '2026-11-24T08:00:00.000Z', msg: 'Upgrading', kind: 'helm' },
          { time: '2026-11-24T08:00:00.000Z', msg: 'Upgrading', kind: 'helm' },
        ],
      });
      await reportThrice('dev', { type: 'uninstall', diid: r.diid, release: r.feature, status: 'uninstalled', error: null });
      const lines = await h.query<{ msg: string }>(`SELECT msg FROM dispatcher.deploy_log_lines l WHERE diid = $1 ORDER BY l.id`, [r.diid]);
      // the two identical lines of one report are two lines; its redeliveries add none
      expect(lines.map((l) => l.msg)).toEqual(['Upgrading', 'Upgrading', `uninstall ${r.feature}: uninstalled`]);
      await reportThrice('dev', { type: 'heartbeat', agentVersion: '9.9.9' });
      expect(await h.query(`SELECT agent_version FROM dispatcher.agent_health WHERE environment_id = $1`, [env['dev']])).toEqual([{ agent_version: '9.9.9' }]);
      await reportThrice('dev', {
        type: 'inventory',
        releases: [{ name: 'loki', chartVersion: '1.0.0', status: 'deployed', revision: 3, lastDeployed: null }],
      });
      expect(await h.query(`SELECT name, revision FROM dispatcher.releases WHERE environment_id = $1`, [env['dev']])).toEqual([{ name: 'loki', revision: 3 }]);
    });

    it('a refusal report: recorded once, one line in the deploy log, one failure', async () => {
      const r = await sent(request('dev'));
      const error = 'the instruction expired at 2026-12-07T11:00:00.000Z';
      await reportThrice('dev', { type: 'refused', diid: r.diid, reason: 'expired', verified: true, error });
      expect(await h.query(`SELECT reason FROM dispatcher.refused_instructions WHERE diid = $1`, [r.diid])).toEqual([{ reason: 'expired' }]);
      expect((await h.query<{ kind: string }>(`SELECT kind FROM dispatcher.deploy_log_lines WHERE diid = $1`, [r.diid])).map((l) => l.kind)).toEqual([
        'refusal',
      ]);
      expect((await deployLog(r.diid)).map((l) => l.status)).toEqual(['sent', 'failed']);
    });
  });
});
