// Batched deploy requests (decision 0029) against the real PostgreSQL, the real catalog API and a real bus
// (in-process, and the Pub/Sub emulator when scripts/services.sh started it): the requests of one pull are sent in
// one transaction, and each request still has the outcome it would have alone. The test holds the dispatcher's
// deploy-request deliveries at the bus until a whole batch has arrived, then lets them through at once (as one Pull
// hands them over), and compares every request's outcome: sent once, dropped as a duplicate or as older, or
// dead-lettered with the broker's reason.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readConfig } from '@fasit/config';
import { instructionTopic, type DeployRequestedV1, type SignedInstructionV2 } from '@fasit/bus';
import { dispatcherService, dispatcherSpec } from '../src/index.js';
import { startHarness, transports, unique, until, type Harness, type Recording } from '@fasit/harness';
import { deployRequests } from './deploy-requests.js';
import { HeldDeliveries } from './held-deliveries.js';

const AGENT_SECRET = unique('agent-secret-of-at-least-32-characters');
const KEY = generateKeyPairSync('ed25519');
const SIGNING_KEY = JSON.stringify({ ...KEY.privateKey.export({ format: 'jwk' }), kid: unique('deploy-batch-it') });
const REQUESTS = 'reconciler.deploy.requested.v1.dispatcher';
const DEAD_LETTERS = `${REQUESTS}.dead-letter`;
const ENVIRONMENTS = ['dev', 'prod', 'refusing'];

let h: Harness;
let held: HeldDeliveries;
const instructions: Record<string, Recording<SignedInstructionV2>> = {};
const deadLetters: { reason: string; eventId: string }[] = [];
const tenant = unique('acme');
const env: Record<string, string> = {};

const diidOf = (i: SignedInstructionV2): string => (JSON.parse(Buffer.from(i.jws.split('.')[1] ?? '', 'base64url').toString()) as { jti: string }).jti;

const request = deployRequests({ tenant, environmentIds: env, agentSecret: AGENT_SECRET });

/** Publishes a request as the reconciler would; returns its event id. */
async function publish(r: DeployRequestedV1): Promise<string> {
  const eventId = randomUUID();
  await h.bus.publish('reconciler.deploy.requested.v1', r, { eventId });
  return eventId;
}

const statusesOf = async (diid: string) =>
  (await h.query<{ status: string }>(`SELECT status FROM dispatcher.deploy_statuses WHERE diid = $1 ORDER BY id`, [diid])).map((r) => r.status);
/** The transactions that wrote these diids' `sent` rows. */
const sentIn = async (diids: string[]) =>
  (
    await h.query<{ xmin: string }>(`SELECT DISTINCT xmin::text AS xmin FROM dispatcher.deploy_statuses WHERE diid = ANY($1::uuid[]) AND status = 'sent'`, [
      diids,
    ])
  ).length;
const instructionsOf = (environment: string, diid: string) => instructions[environment]!.all().filter((i) => diidOf(i) === diid);
const batches = (outcome: 'sent' | 'split') => h.counter('fasit_dispatcher_deploy_batches_total', { outcome });

describe.each(transports)('a batch of deploy requests (%s, PostgreSQL, catalog API)', (transport) => {
  beforeAll(async () => {
    h = await startHarness({
      prefix: 'deploy-batch',
      transport,
      faults: (bus) => (held = new HeldDeliveries(bus, REQUESTS)),
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
    await h.raw.subscribe(DEAD_LETTERS, `${DEAD_LETTERS}.test`, (m) => {
      deadLetters.push({ reason: m.attributes['deadLetterReason'] ?? '', eventId: m.attributes['eventId'] ?? '' });
      return Promise.resolve();
    });
    await h.ok('POST', '/api/v1/tenants', { name: tenant });
    for (const name of ENVIRONMENTS) {
      env[name] = (await h.ok<{ id: string }>('POST', `/api/v1/tenants/${tenant}/environments`, { name, kind: 'tenant' })).id;
      instructions[name] = await h.record<'naisd.instructions.v2'>(instructionTopic(tenant, name));
    }
  });

  afterAll(async () => {
    await h?.close();
  });

  it('sends the fresh requests of one pull in one transaction; a redelivered request and one older than a sent one send nothing', async () => {
    // Sent before the batch: a request that comes again (the same event version), and a pair that then gets an older request.
    const before = request('dev');
    const newer = request('prod');
    for (const r of [before, newer]) {
      await h.raw.acked(REQUESTS, await publish(r));
      expect(await statusesOf(r.diid)).toEqual(['sent']);
    }
    const older = request('prod', { feature: newer.feature, aggregateVersion: newer.aggregateVersion - 1 });
    const fresh = Array.from({ length: 5 }, (_, i) => request(i % 2 === 0 ? 'dev' : 'prod'));
    const sentBatches = await batches('sent');

    held.hold(7);
    const ids = await Promise.all([...fresh, before, older].map(publish));
    for (const id of ids) await h.raw.acked(REQUESTS, id);

    // The five fresh ones: each `sent` once, all in one transaction, each instruction at its environment's agent once.
    for (const r of fresh) expect(await statusesOf(r.diid)).toEqual(['sent']);
    expect(await sentIn(fresh.map((r) => r.diid))).toBe(1);
    for (const r of fresh) await instructions[r.environment]!.waitFor(`the instruction of ${r.diid}`, (i) => diidOf(i) === r.diid);
    // Instructions are published before the batch commits, so before the acks above: none more can come.
    for (const r of fresh) expect(instructionsOf(r.environment, r.diid)).toHaveLength(1);
    expect(instructionsOf('dev', before.diid)).toHaveLength(1);
    // The older request of a pair already sent newer: dropped, nothing of it reaches the agent.
    expect(await statusesOf(older.diid)).toEqual([]);
    expect(instructionsOf('prod', older.diid)).toEqual([]);
    expect(await h.query(`SELECT diid FROM dispatcher.received_requests WHERE diid = ANY($1::uuid[])`, [fresh.map((r) => r.diid)])).toEqual([]);
    expect(await batches('sent')).toBe(sentBatches + 1);
    expect(deadLetters).toEqual([]);
  });

  it("a publish the broker refuses fails its request alone: the rest of the batch is sent, and it is dead-lettered with the broker's reason", async () => {
    const good = [request('dev'), request('prod'), request('dev')];
    const refused = request('refusing');
    const split = await batches('split');
    deadLetters.length = 0;
    held.refuse(instructionTopic(tenant, 'refusing'), 'PERMISSION_DENIED: the topic refuses publishes');
    try {
      held.hold(4);
      const ids = await Promise.all([...good, refused].map(publish));
      for (const id of ids.slice(0, 3)) await h.raw.acked(REQUESTS, id);
      for (const r of good) expect(await statusesOf(r.diid)).toEqual(['sent']);
      expect(await batches('split')).toBe(split + 1);
      // Tried again on its own (the broker may have been briefly away), then dead-lettered, having recorded nothing.
      const dead = await until('the refused request dead-lettered', () => Promise.resolve(deadLetters.find((d) => d.eventId === ids[3])), 30_000);
      expect(dead.reason).toBe('PERMISSION_DENIED: the topic refuses publishes');
      expect(await statusesOf(refused.diid)).toEqual([]);
      // Kept as received (decision 0023) until it expires: a report naming it could still record its `sent` row.
      expect(await h.query(`SELECT diid FROM dispatcher.received_requests WHERE diid = $1`, [refused.diid])).toEqual([{ diid: refused.diid }]);
    } finally {
      held.refuse(instructionTopic(tenant, 'refusing'));
    }
    // The good ones went out; any second copy (the failed batch published some before it rolled back) has the same diid.
    for (const r of good) {
      await instructions[r.environment]!.waitFor(`the instruction of ${r.diid}`, (i) => diidOf(i) === r.diid);
      expect(new Set(instructionsOf(r.environment, r.diid).map(diidOf))).toEqual(new Set([r.diid]));
    }
  });
});
