// A report for a deploy whose `sent` row never committed (decision 0023), against the real PostgreSQL, the real
// catalog API, a real bus (in-process, and the Pub/Sub emulator when scripts/services.sh started it) and one
// dispatcher. The chain of the full-size chaos run, reproduced with real parts: the dispatcher publishes an
// instruction inside the transaction that claims its `sent` row, the database connection of that transaction is
// terminated before the commit (as by a PostgreSQL restart), so the row rolls back for real; the request comes back
// for redelivery and is lost (as when the emulator was restarted empty); the agent applied the instruction and
// reports. Before this, the report was retried a few times and dead-lettered, and the outcome was lost.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readConfig } from '@fasit/config';
import {
  instructionTopic,
  type AgentReport,
  type AgentReportV1,
  type Bus,
  type BusMessage,
  type DeployRequestedV1,
  type DeployStatusChangedV1,
  type AttributeFilter,
  type OutgoingMessage,
  type PublishMessageOptions,
  type RawHandler,
  type SignedInstructionV2,
  type SubscribeOptions,
  type Unsubscribe,
} from '@fasit/bus';
import { deriveAgentKey, signReport } from '@fasit/domain';
import { dispatcherService, dispatcherSpec } from '../src/index.js';
import { startHarness, transports, unique, until, type Harness, type Recording } from '@fasit/harness';
import { deployRequests } from './deploy-requests.js';

const AGENT_SECRET = unique('agent-secret-of-at-least-32-characters');
const KEY = generateKeyPairSync('ed25519');
const SIGNING_KEY = JSON.stringify({ ...KEY.privateKey.export({ format: 'jwk' }), kid: unique('recovery-it') });
const REQUESTS = 'reconciler.deploy.requested.v1.dispatcher';
const REPORTS = 'naisd.status.reported.v1.dispatcher';
const DEAD_LETTERS = `${REPORTS}.dead-letter`;
const diidOf = (i: SignedInstructionV2): string => (JSON.parse(Buffer.from(i.jws.split('.')[1] ?? '', 'base64url').toString()) as { jti: string }).jti;

/**
 * The real bus with two faults on call: the next publish on a topic is followed, before it returns, by the
 * termination of every database connection idle in a transaction (the dispatcher's, waiting to commit `sent`);
 * the deploy requests of chosen event ids are delivered once, and a redelivery is acked unseen (lost).
 */
class ChainFaults implements Bus {
  private cutAfter: string | undefined;
  private readonly once = new Set<string>();
  private readonly seen = new Set<string>();
  readonly lost = new Set<string>();
  /** How many open transactions the last cut terminated. */
  lastCut = 0;
  /** Terminates the transactions left open; returns how many. */
  cut: () => Promise<number> = () => Promise.reject(new Error('no database to cut yet'));

  constructor(private readonly inner: Bus) {}

  get kind(): Bus['kind'] {
    return this.inner.kind;
  }
  cutAfterNextPublish(topic: string): void {
    this.cutAfter = topic;
  }
  deliverOnce(eventId: string): void {
    this.once.add(eventId);
  }
  ensureTopic(topic: string): Promise<void> {
    return this.inner.ensureTopic(topic);
  }
  async publish(topic: string, data: Buffer, attributes: Record<string, string>, options?: PublishMessageOptions): Promise<string> {
    const id = await this.inner.publish(topic, data, attributes, options);
    if (topic === this.cutAfter) {
      this.cutAfter = undefined;
      this.lastCut = await this.cut();
    }
    return id;
  }
  createSubscription(topic: string, subscription: string, options?: { filter?: AttributeFilter }): Promise<void> {
    return this.inner.createSubscription(topic, subscription, options);
  }
  deleteSubscription(subscription: string): Promise<void> {
    return this.inner.deleteSubscription(subscription);
  }
  publishBatch(topic: string, messages: readonly OutgoingMessage[]): Promise<string[]> {
    return this.inner.publishBatch(topic, messages);
  }
  subscribe(topic: string, subscription: string, handler: RawHandler, options?: SubscribeOptions): Promise<Unsubscribe> {
    if (subscription !== REQUESTS) return this.inner.subscribe(topic, subscription, handler, options);
    return this.inner.subscribe(
      topic,
      subscription,
      async (m: BusMessage) => {
        const eventId = m.attributes['eventId'] ?? '';
        if (this.once.has(eventId) && this.seen.has(eventId)) {
          this.lost.add(eventId);
          return;
        }
        this.seen.add(eventId);
        await handler(m);
      },
      options,
    );
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

let h: Harness;
let faults: ChainFaults;
let statuses: Recording<DeployStatusChangedV1>;
const instructions: Record<string, Recording<SignedInstructionV2>> = {};
const deadLetters: { reason: string; eventId: string }[] = [];
const tenant = unique('acme');
const env: Record<string, string> = {};

const request = deployRequests({ tenant, environmentIds: env, agentSecret: AGENT_SECRET });

const helm = (d: DeployRequestedV1, status: 'installing' | 'deployed' | 'failed'): AgentReport => ({
  type: 'helm',
  diid: d.diid,
  name: d.feature,
  featureVersion: d.featureVersion,
  status,
  hash: d.hash,
  error: null,
});

async function deployLog(diid: string): Promise<{ status: string; environment_id: string; assignment_id: string; feature: string; hash: string }[]> {
  return h.query(`SELECT status, environment_id, assignment_id, feature, hash FROM dispatcher.deploy_statuses l WHERE diid = $1 ORDER BY l.id`, [diid]);
}

async function received(diid: string): Promise<unknown[]> {
  return h.query(`SELECT diid FROM dispatcher.received_requests WHERE diid = $1`, [diid]);
}

/** Reports as the agent of `environment` (signed with `signedAs`'s key) and waits until the dispatcher acked it. */
async function reported(environment: string, r: AgentReport, signedAs = environment, secret = AGENT_SECRET): Promise<string> {
  const body: AgentReportV1 = { version: 'v1', tenant, environment, sentAt: new Date().toISOString(), report: r };
  const eventId = randomUUID();
  await h.bus.publish('naisd.status.reported.v1', body, {
    eventId,
    attributes: { signature: signReport(deriveAgentKey(secret, tenant, signedAs), JSON.stringify(body)) },
  });
  await h.raw.acked(REPORTS, eventId);
  return eventId;
}

/**
 * The chain: the instruction goes out, the transaction claiming `sent` is cut before its commit, the request's
 * redelivery is lost. Checks that this happened for real: the agent has the instruction, the deploy log nothing.
 */
async function sentThenRolledBack(r: DeployRequestedV1): Promise<void> {
  const eventId = randomUUID();
  faults.cutAfterNextPublish(instructionTopic(tenant, r.environment));
  faults.deliverOnce(eventId);
  await h.bus.publish('reconciler.deploy.requested.v1', r, { eventId });
  await instructions[r.environment]!.waitFor('the instruction', (i) => diidOf(i) === r.diid);
  await until('the redelivery of the request (lost)', () => Promise.resolve(faults.lost.has(eventId)));
  expect(faults.lastCut).toBeGreaterThan(0);
  expect(await deployLog(r.diid)).toEqual([]);
  expect(await received(r.diid)).toHaveLength(1);
}

describe.each(transports)('a report of a deploy whose sent row rolled back after the publish (%s, PostgreSQL, catalog API)', (transport) => {
  beforeAll(async () => {
    h = await startHarness({
      prefix: 'recovery',
      transport,
      faults: (bus) => (faults = new ChainFaults(bus)),
      service: (e) => {
        const config = readConfig(dispatcherSpec, {
          ...e,
          FASIT_AGENT_KEY_SECRET: AGENT_SECRET,
          FASIT_INSTRUCTION_SIGNING_KEY: SIGNING_KEY,
          FASIT_DEPLOY_TIMEOUT_MS: '3600000',
          FASIT_DEPLOY_TIMEOUT_SWEEP_MS: '500',
        });
        return { definition: dispatcherService(config), config };
      },
    });
    // Another connection of the pool (the dispatcher's transaction holds one): the server ends that transaction's.
    faults.cut = async () =>
      (
        await h.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND pid <> pg_backend_pid()`,
        )
      ).length;
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

  it("records the agent's outcome: the sent row from the received request, then the statuses, announced; nothing dead-lettered", async () => {
    const r = request('dev');
    await sentThenRolledBack(r);
    const installing = await reported('dev', helm(r, 'installing'));
    const deployed = await reported('dev', helm(r, 'deployed'));
    expect(await deployLog(r.diid)).toEqual(
      ['sent', 'installing', 'deployed'].map((status) => ({
        status,
        environment_id: r.environmentId,
        assignment_id: r.assignmentId,
        feature: r.feature,
        hash: r.hash,
      })),
    );
    for (const status of ['sent', 'installing', 'deployed']) await statuses.waitFor(`${status} announced`, (s) => s.diid === r.diid && s.status === status);
    expect(deadLetters.filter((d) => d.eventId === installing || d.eventId === deployed)).toEqual([]);
    expect(await received(r.diid)).toEqual([]);
    expect(await h.counter('fasit_dispatcher_received_requests_total', { outcome: 'recovered' })).toBe(1);
    expect(h.logs.some((l) => l.includes('recorded its deploy') && l.includes(r.diid))).toBe(true);
  });

  it('a normal send keeps no received request, and a report of it recovers nothing', async () => {
    const recoveredBefore = await h.counter('fasit_dispatcher_received_requests_total', { outcome: 'recovered' });
    const r = request('dev');
    await h.bus.publish('reconciler.deploy.requested.v1', r);
    await until(`${r.diid} sent`, async () => (await deployLog(r.diid)).length === 1);
    expect(await received(r.diid)).toEqual([]);
    await reported('dev', helm(r, 'deployed'));
    expect((await deployLog(r.diid)).map((l) => l.status)).toEqual(['sent', 'deployed']);
    expect(await h.counter('fasit_dispatcher_received_requests_total', { outcome: 'recovered' })).toBe(recoveredBefore);
  });

  it("a report not signed with the environment's agent key writes nothing and keeps the request; the real report still counts", async () => {
    const r = request('dev');
    await sentThenRolledBack(r);
    const forged = await reported('dev', helm(r, 'deployed'), 'dev', unique('someone-elses-secret-of-32-characters'));
    const dead = await until('the dead letter', () => Promise.resolve(deadLetters.find((d) => d.eventId === forged)));
    expect(dead.reason).toContain("not signed with that environment's agent key");
    expect(await deployLog(r.diid)).toEqual([]);
    expect(await received(r.diid)).toHaveLength(1);
    await reported('dev', helm(r, 'deployed'));
    expect((await deployLog(r.diid)).map((l) => l.status)).toEqual(['sent', 'deployed']);
  });

  it("another environment's agent naming the diid (signed with its own key) is refused and writes nothing", async () => {
    const r = request('dev');
    await sentThenRolledBack(r);
    const hostile = await reported('prod', helm(r, 'deployed'));
    const dead = await until('the dead letter', () => Promise.resolve(deadLetters.find((d) => d.eventId === hostile)));
    expect(dead.reason).toBe(`${tenant}/prod reported on deploy ${r.diid}, which was sent to another environment; refused`);
    expect(await deployLog(r.diid)).toEqual([]);
    expect(await received(r.diid)).toHaveLength(1);
  });

  it('a status for a diid of which no request was received is dead-lettered and writes nothing', async () => {
    const diid = randomUUID();
    const eventId = await reported('dev', { type: 'helm', diid, name: 'made-up', featureVersion: '1.0.0', status: 'deployed', hash: 'h', error: null });
    const dead = await until('the dead letter', () => Promise.resolve(deadLetters.find((d) => d.eventId === eventId)), 30_000);
    expect(dead.reason).toBe(`status deployed for deploy ${diid}, of which no request was received and none recorded as sent`);
    expect(await deployLog(diid)).toEqual([]);
  });

  it('a received request left unsent for twice the deploy timeout expires: counted and logged', async () => {
    const r = request('dev');
    await sentThenRolledBack(r);
    await h.query(`UPDATE dispatcher.received_requests SET received_at = now() - interval '3 hours' WHERE diid = $1`, [r.diid]);
    await until('the request to expire', async () => (await received(r.diid)).length === 0);
    expect(await h.counter('fasit_dispatcher_received_requests_total', { outcome: 'expired' })).toBe(1);
    expect(h.logs.some((l) => l.includes('received deploy requests expired unsent') && l.includes(r.diid))).toBe(true);
    // Its report now finds nothing to record.
    const late = await reported('dev', helm(r, 'deployed'));
    await until('the dead letter', () => Promise.resolve(deadLetters.find((d) => d.eventId === late)), 30_000);
    expect(await deployLog(r.diid)).toEqual([]);
  });
});
