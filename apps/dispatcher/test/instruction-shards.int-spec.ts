// The rolling upgrade to the v3 instruction layout (decision 0024), against the real PostgreSQL, the real catalog API
// and a real bus (in-process, and the Pub/Sub emulator when scripts/services.sh started it): the dispatcher records
// what each agent's heartbeat announces, sends an agent that announced `instructions.v3` its instructions on its
// shard with the `environment` attribute, and every other agent (an older naisd) on its own v2 topic.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readConfig } from '@fasit/config';
import { instructionShardTopic, instructionTopic, InstructionVerifier, type AgentReport, type AgentReportV1, type SignedInstructionV2 } from '@fasit/bus';
import { deriveAgentKey, signReport } from '@fasit/domain';
import { dispatcherService, dispatcherSpec } from '../src/index.js';
import { startHarness, transports, unique, until, type Harness, type Recording } from '@fasit/harness';
import { deployRequests } from './deploy-requests.js';

const AGENT_SECRET = unique('agent-secret-of-at-least-32-characters');
const KEY = generateKeyPairSync('ed25519');
const KID = unique('dispatcher-shards');
const SIGNING_KEY = JSON.stringify({ ...KEY.privateKey.export({ format: 'jwk' }), kid: KID });
const REPORTS = 'naisd.status.reported.v1.dispatcher';
const diidOf = (i: SignedInstructionV2): string => (JSON.parse(Buffer.from(i.jws.split('.')[1] ?? '', 'base64url').toString()) as { jti: string }).jti;

describe.each(transports)('dispatcher: v3 instructions to agents that announced them, v2 to the others (%s, PostgreSQL, catalog API)', (transport) => {
  const tenant = unique('shards');
  const env: Record<string, string> = {};
  const v2: Record<string, Recording<SignedInstructionV2>> = {};
  const shard: Record<string, Recording<SignedInstructionV2>> = {};
  let h: Harness;

  const verifierFor = (environment: string) =>
    new InstructionVerifier({ keys: [{ ...KEY.publicKey.export({ format: 'jwk' }), kid: KID }] }, tenant, environment);

  const request = deployRequests({ tenant, environmentIds: env, agentSecret: AGENT_SECRET });

  /** An agent's heartbeat, signed with its key; resolves when the dispatcher has recorded it (acked). */
  async function heartbeat(environment: string, capabilities?: string[]): Promise<void> {
    const r: AgentReport = { type: 'heartbeat', agentVersion: '1.0.0', ...(capabilities ? { capabilities } : {}) };
    const body: AgentReportV1 = { version: 'v1', tenant, environment, sentAt: new Date().toISOString(), report: r };
    const eventId = randomUUID();
    await h.bus.publish('naisd.status.reported.v1', body, {
      eventId,
      attributes: { signature: signReport(deriveAgentKey(AGENT_SECRET, tenant, environment), JSON.stringify(body)) },
    });
    await h.raw.acked(REPORTS, eventId);
  }

  const capabilitiesOf = async (environment: string): Promise<string[]> =>
    (await h.query<{ capabilities: string[] }>(`SELECT capabilities FROM dispatcher.agent_health WHERE environment_id = $1`, [env[environment]]))[0]
      ?.capabilities ?? [];

  beforeAll(async () => {
    h = await startHarness({
      prefix: 'dispatcher-shards',
      transport,
      service: (e) => {
        const config = readConfig(dispatcherSpec, { ...e, FASIT_AGENT_KEY_SECRET: AGENT_SECRET, FASIT_INSTRUCTION_SIGNING_KEY: SIGNING_KEY });
        return { definition: dispatcherService(config), config };
      },
    });
    await h.ok('POST', '/api/v1/tenants', { name: tenant });
    for (const name of ['older', 'newer']) {
      env[name] = (await h.ok<{ id: string }>('POST', `/api/v1/tenants/${tenant}/environments`, { name, kind: 'tenant' })).id;
      v2[name] = await h.record<'naisd.instructions.v2'>(instructionTopic(tenant, name));
      // The whole shard, unfiltered (as the fleet simulator reads it): what the dispatcher put there, with its attributes.
      shard[name] = await h.record<'naisd.instructions.v3'>(instructionShardTopic(tenant, name));
    }
  });

  afterAll(async () => {
    await h?.close();
  });

  it("records each agent's announced capabilities (none from an older agent) and sends each its instruction on its own layout", async () => {
    await heartbeat('older');
    await heartbeat('newer', ['instructions.v3']);
    expect(await capabilitiesOf('older')).toEqual([]);
    expect(await capabilitiesOf('newer')).toEqual(['instructions.v3']);

    const toOlder = request('older');
    const toNewer = request('newer');
    // Both in flight at once: one pull's batch may carry both, each still goes its own way.
    await Promise.all([h.bus.publish('reconciler.deploy.requested.v1', toOlder), h.bus.publish('reconciler.deploy.requested.v1', toNewer)]);

    const onShard = await shard['newer']!.waitFor('the newer agent’s instruction on its shard', (i) => diidOf(i) === toNewer.diid);
    expect(onShard.attributes['environment']).toBe(`${tenant}/newer`);
    expect(await verifierFor('newer').verify(onShard.payload.jws)).toMatchObject({ diid: toNewer.diid, environment: 'newer', release: toNewer.feature });
    const onTopic = await v2['older']!.waitFor('the older agent’s instruction on its v2 topic', (i) => diidOf(i) === toOlder.diid);
    expect(onTopic.attributes['environment']).toBeUndefined();
    expect(await verifierFor('older').verify(onTopic.payload.jws)).toMatchObject({ diid: toOlder.diid, environment: 'older' });

    // Each went one way only.
    await until('both recorded as sent', async () => {
      const rows = await h.query<{ n: number }>(`SELECT count(*)::int AS n FROM dispatcher.deploy_statuses WHERE diid = ANY($1) AND status = 'sent'`, [
        [toOlder.diid, toNewer.diid],
      ]);
      return rows[0]?.n === 2 || undefined;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(v2['newer']!.all().map(diidOf)).not.toContain(toNewer.diid);
    expect(shard['older']!.all().map(diidOf)).not.toContain(toOlder.diid);
  });

  it('goes back to v2 for an agent whose heartbeat no longer announces v3 (a rollback of naisd)', async () => {
    await heartbeat('newer');
    expect(await capabilitiesOf('newer')).toEqual([]);
    const r = request('newer');
    await h.bus.publish('reconciler.deploy.requested.v1', r);
    const got = await v2['newer']!.waitFor('the instruction on the v2 topic', (i) => diidOf(i) === r.diid);
    expect(await verifierFor('newer').verify(got.payload.jws)).toMatchObject({ diid: r.diid });
    await new Promise((res) => setTimeout(res, 300));
    expect(shard['newer']!.all().map(diidOf)).not.toContain(r.diid);
  });
});
