// Batched report ingestion (decision 0026) against the real PostgreSQL, the real catalog API and a real bus
// (in-process, and the Pub/Sub emulator when scripts/services.sh started it): the reports of one pull are written in
// one transaction, and each report still has the outcome it would have alone. The test holds the dispatcher's
// report deliveries at the bus until a whole batch has arrived, then lets them through at once (as one Pull hands
// them over), and compares every report's outcome: written, dropped as a duplicate or as older, dead-lettered with
// its reason.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readConfig } from '@fasit/config';
import { type AgentReport, type AgentReportV1, type DeployRequestedV1, type DeployStatusChangedV1, type InventoryReportedV1 } from '@fasit/bus';
import { deriveAgentKey, signReport } from '@fasit/domain';
import { dispatcherService, dispatcherSpec } from '../src/index.js';
import { startHarness, transports, unique, until, type Harness, type Recording } from '@fasit/harness';
import { deployRequests } from './deploy-requests.js';
import { HeldDeliveries } from './held-deliveries.js';

const AGENT_SECRET = unique('agent-secret-of-at-least-32-characters');
const KEY = generateKeyPairSync('ed25519');
const SIGNING_KEY = JSON.stringify({ ...KEY.privateKey.export({ format: 'jwk' }), kid: unique('batch-it') });
const REPORTS = 'naisd.status.reported.v1.dispatcher';
const DEAD_LETTERS = `${REPORTS}.dead-letter`;

let h: Harness;
let held: HeldDeliveries;
let statuses: Recording<DeployStatusChangedV1>;
let announced: Recording<InventoryReportedV1>;
const deadLetters: { reason: string; eventId: string }[] = [];
const tenant = unique('acme');
const env: Record<string, string> = {};

const request = deployRequests({ tenant, environmentIds: env, agentSecret: AGENT_SECRET });

const helm = (d: { diid: string; feature: string; hash: string }, status: 'installing' | 'deployed' | 'failed', error: string | null = null): AgentReport => ({
  type: 'helm',
  diid: d.diid,
  name: d.feature,
  featureVersion: '1.0.0',
  status,
  hash: d.hash,
  error,
});

const inventory = (takenAt: string, releases: string[]): AgentReport => ({
  type: 'inventory',
  real: true,
  takenAt,
  releases: releases.map((name) => ({ name, chartVersion: '1.0.0', status: 'deployed', revision: 1, lastDeployed: takenAt, valuesHash: 'a'.repeat(64) })),
});

/** Publishes a report as the agent of `environment` (signed with `signedAs`'s key under `secret`); returns its event id. */
async function publish(environment: string, r: AgentReport, o: { signedAs?: string; secret?: string; eventId?: string } = {}): Promise<string> {
  const body: AgentReportV1 = { version: 'v1', tenant, environment, sentAt: new Date().toISOString(), report: r };
  const eventId = o.eventId ?? randomUUID();
  await h.bus.publish('naisd.status.reported.v1', body, {
    eventId,
    attributes: { signature: signReport(deriveAgentKey(o.secret ?? AGENT_SECRET, tenant, o.signedAs ?? environment), JSON.stringify(body)) },
  });
  return eventId;
}

async function statusesOf(diid: string): Promise<string[]> {
  return (await h.query<{ status: string }>(`SELECT status FROM dispatcher.deploy_statuses WHERE diid = $1 ORDER BY id`, [diid])).map((r) => r.status);
}

/** A deploy request sent (its `sent` row recorded), then the given statuses reported one at a time. */
async function sentDeploy(environment: string, ...reported: ('installing' | 'deployed' | 'failed')[]): Promise<DeployRequestedV1> {
  const r = request(environment);
  await h.bus.publish('reconciler.deploy.requested.v1', r);
  await until(`${r.diid} sent`, async () => (await statusesOf(r.diid)).length === 1);
  await statuses.waitFor(`${r.diid} sent announced`, (e) => e.diid === r.diid && e.status === 'sent');
  for (const s of reported) {
    await h.raw.acked(REPORTS, await publish(environment, helm(r, s)));
    await statuses.waitFor(`${r.diid} ${s} announced`, (e) => e.diid === r.diid && e.status === s);
  }
  return r;
}

const deadLetter = (eventId: string) => until(`the dead letter of ${eventId}`, () => Promise.resolve(deadLetters.find((d) => d.eventId === eventId)), 30_000);
const batches = (outcome: 'written' | 'split') => h.counter('fasit_dispatcher_report_batches_total', { outcome });

async function start(transport: (typeof transports)[number], replicas: number): Promise<void> {
  h = await startHarness({
    prefix: 'report-batch',
    transport,
    replicas,
    faults: (bus) => (held = new HeldDeliveries(bus, REPORTS)),
    service: (e) => {
      const config = readConfig(dispatcherSpec, {
        ...e,
        FASIT_AGENT_KEY_SECRET: AGENT_SECRET,
        FASIT_INSTRUCTION_SIGNING_KEY: SIGNING_KEY,
        FASIT_DEPLOY_TIMEOUT_MS: '3600000',
        FASIT_DEPLOY_TIMEOUT_SWEEP_MS: '3600000',
      });
      return { definition: dispatcherService(config), config };
    },
  });
  deadLetters.length = 0;
  statuses = await h.record('dispatcher.deploy-status.changed.v1');
  announced = await h.record('dispatcher.inventory.reported.v1');
  await h.raw.subscribe(DEAD_LETTERS, `${DEAD_LETTERS}.test`, (m) => {
    deadLetters.push({ reason: m.attributes['deadLetterReason'] ?? '', eventId: m.attributes['eventId'] ?? '' });
    return Promise.resolve();
  });
  await h.ok('POST', '/api/v1/tenants', { name: tenant });
  for (const name of ['dev', 'prod']) env[name] = (await h.ok<{ id: string }>('POST', `/api/v1/tenants/${tenant}/environments`, { name, kind: 'tenant' })).id;
}

describe.each(transports)('a batch of agent reports (%s, PostgreSQL, catalog API)', (transport) => {
  beforeAll(() => start(transport, 1));

  afterAll(async () => {
    await h?.close();
  });

  it('is written in one transaction; a duplicate, an older report, a malformed, a forged one and one for an unknown diid or environment each get their own outcome', async () => {
    const fresh = await sentDeploy('dev');
    const again = await sentDeploy('dev', 'deployed');
    const finished = await sentDeploy('prod', 'installing', 'deployed');
    const unknownDiid = { diid: randomUUID(), feature: 'made-up', hash: 'h' };
    const [written, split] = [await batches('written'), await batches('split')];
    statuses.reset();

    held.hold(10);
    const malformed = randomUUID();
    await h.raw.publish('naisd.status.reported.v1', Buffer.from('{"version":"v1","tenant":'), { eventId: malformed });
    const ids = {
      malformed,
      deployed: await publish('dev', helm(fresh, 'deployed')),
      duplicate: await publish('dev', helm(again, 'deployed')),
      older: await publish('prod', helm(finished, 'installing')),
      unknownDiid: await publish('dev', helm(unknownDiid, 'deployed')),
      forged: await publish('dev', { type: 'heartbeat', agentVersion: 'forged' }, { secret: unique('someone-elses-secret-of-32-characters') }),
      unknownEnvironment: await publish('ghost', { type: 'heartbeat', agentVersion: '1.0.0' }),
      heartbeat: await publish('dev', { type: 'heartbeat', agentVersion: '9.9.9' }),
      newerInventory: await publish('prod', inventory('2026-12-07T12:00:05.000Z', ['kept'])),
      olderInventory: await publish('prod', inventory('2026-12-07T12:00:01.000Z', ['stale-a', 'stale-b'])),
    };

    for (const id of [ids.deployed, ids.duplicate, ids.older, ids.heartbeat, ids.newerInventory, ids.olderInventory]) await h.raw.acked(REPORTS, id);
    // The new status is recorded and announced once; the duplicate and the late `installing` append nothing.
    expect(await statusesOf(fresh.diid)).toEqual(['sent', 'deployed']);
    expect(await statusesOf(again.diid)).toEqual(['sent', 'deployed']);
    expect(await statusesOf(finished.diid)).toEqual(['sent', 'installing', 'deployed']);
    await statuses.waitFor('deployed announced', (s) => s.diid === fresh.diid && s.status === 'deployed');
    expect(statuses.since().map((s) => `${s.diid} ${s.status}`)).toEqual([`${fresh.diid} deployed`]);
    // The heartbeat is recorded; the forged one and the one from an unknown environment are refused.
    expect(await h.query(`SELECT agent_version FROM dispatcher.agent_health WHERE environment_id = $1`, [env['dev']])).toEqual([{ agent_version: '9.9.9' }]);
    expect((await deadLetter(ids.forged)).reason).toBe(`report claiming ${tenant}/dev is not signed with that environment's agent key; refused`);
    expect((await deadLetter(ids.unknownEnvironment)).reason).toBe(`report from unknown environment ${tenant}/ghost`);
    expect((await deadLetter(ids.malformed)).reason).toMatch(/^invalid JSON: /);
    // Of two inventories of one environment, the one taken later stands, whichever came first.
    expect(await h.query(`SELECT name FROM dispatcher.releases WHERE environment_id = $1 ORDER BY name`, [env['prod']])).toEqual([{ name: 'kept' }]);
    expect(await h.query(`SELECT reported_at FROM dispatcher.inventories WHERE environment_id = $1`, [env['prod']])).toEqual([
      { reported_at: new Date('2026-12-07T12:00:05.000Z') },
    ]);
    await announced.waitFor('the newer inventory announced', (i) => i.environmentId === env['prod']);
    // A status of a diid nobody sent is redelivered (its `sent` may still commit elsewhere), then dead-lettered.
    expect((await deadLetter(ids.unknownDiid)).reason).toBe(
      `status deployed for deploy ${unknownDiid.diid}, of which no request was received and none recorded as sent`,
    );
    expect(await statusesOf(unknownDiid.diid)).toEqual([]);
    // All of it in one transaction.
    expect(await batches('written')).toBe(written + 1);
    expect(await batches('split')).toBe(split);
    expect(deadLetters.map((d) => d.eventId).sort()).toEqual([ids.malformed, ids.forged, ids.unknownEnvironment, ids.unknownDiid].sort());
  });

  it('a report PostgreSQL refuses (a malformed log time, a NUL in an error) fails alone: the rest of its batch is written, and it is dead-lettered', async () => {
    const a = await sentDeploy('dev');
    const b = await sentDeploy('dev');
    const c = await sentDeploy('prod');
    const d = await sentDeploy('prod');
    const split = await batches('split');
    deadLetters.length = 0;

    held.hold(5);
    const ids = {
      badTime: await publish('dev', { type: 'log', diid: a.diid, lines: [{ time: 'not-a-time', msg: 'hello', kind: 'helm' }] }),
      nul: await publish('dev', helm(b, 'failed', 'helm said \u0000 here')),
      deployed: await publish('prod', helm(c, 'deployed')),
      log: await publish('prod', { type: 'log', diid: d.diid, lines: [{ time: '2026-12-07T12:00:00.000Z', msg: 'installed', kind: 'helm' }] }),
      heartbeat: await publish('prod', { type: 'heartbeat', agentVersion: '7.7.7' }),
    };
    for (const id of [ids.deployed, ids.log, ids.heartbeat]) await h.raw.acked(REPORTS, id);
    expect(await statusesOf(c.diid)).toEqual(['sent', 'deployed']);
    expect(await h.query(`SELECT msg FROM dispatcher.deploy_log_lines WHERE diid = $1`, [d.diid])).toEqual([{ msg: 'installed' }]);
    expect(await h.query(`SELECT agent_version FROM dispatcher.agent_health WHERE environment_id = $1`, [env['prod']])).toEqual([{ agent_version: '7.7.7' }]);
    expect(await batches('split')).toBeGreaterThan(split);
    // The refused ones are tried again on their own (maybe PostgreSQL was briefly away), then dead-lettered, having written nothing.
    expect((await deadLetter(ids.badTime)).reason).toBe('invalid input syntax for type timestamp with time zone: "not-a-time"');
    expect((await deadLetter(ids.nul)).reason).toBe('invalid byte sequence for encoding "UTF8": 0x00');
    expect(await h.query(`SELECT msg FROM dispatcher.deploy_log_lines WHERE diid = $1`, [a.diid])).toEqual([]);
    expect(await statusesOf(b.diid)).toEqual(['sent']);
  });

  it('two batches at once over the same inventories (and outbox aggregates): each report written once, the newest inventory stands, no batch failed', async () => {
    const deploys = await Promise.all(Array.from({ length: 8 }, (_, i) => sentDeploy(i % 2 === 0 ? 'dev' : 'prod')));
    const [written, split] = [await batches('written'), await batches('split')];
    deadLetters.length = 0;
    // Each half: four deploys' `deployed` and an inventory of each environment; the halves' batches lock the same
    // environments and bump the same aggregates' versions at the same time.
    const half = (n: number, takenAt: string) => [
      ...deploys.slice(n * 4, n * 4 + 4).map((d) => publish(d.environment, helm(d, 'deployed'))),
      publish('dev', inventory(takenAt, [`dev-${n}`])),
      publish('prod', inventory(takenAt, [`prod-${n}`])),
    ];
    held.hold(12, 2);
    const ids = await Promise.all([...half(0, '2026-12-07T13:00:02.000Z'), ...half(1, '2026-12-07T13:00:01.000Z')]);
    for (const id of ids) await h.raw.acked(REPORTS, id);
    for (const d of deploys) expect(await statusesOf(d.diid)).toEqual(['sent', 'deployed']);
    expect(await h.query(`SELECT name FROM dispatcher.releases WHERE environment_id = ANY($1::uuid[]) ORDER BY name`, [[env['dev'], env['prod']]])).toEqual([
      { name: 'dev-0' },
      { name: 'prod-0' },
    ]);
    expect(await batches('written')).toBe(written + 2);
    expect(await batches('split')).toBe(split);
    expect(deadLetters).toEqual([]);
  });
});
