// naisd on its shard (decision 0024, FASIT_INSTRUCTIONS=v3), on every bus this machine has: it announces
// `instructions.v3` in its heartbeat, pulls its filtered subscription on its shard and applies its own instructions;
// another environment's instruction on the same shard never runs — the in-process bus (like Pub/Sub) filters it out,
// the emulator (which ignores filters) delivers it and naisd drops it before verification, counted in
// fasit_naisd_instructions_filtered_total —; an instruction whose `environment` attribute is forged to name this
// environment still has to verify, and one with a wrong signature is refused and reported.
// Real helm 4 in dry-run (no cluster); needs `bash scripts/services.sh start` for the emulator run.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import {
  createEventBus,
  instructionAttributes,
  instructionShard,
  instructionShardTopic,
  InstructionSigner,
  type AgentReport,
  type AgentReportV1,
  type EventBus,
} from '@fasit/bus';
import { busSpec, JsonLogger, readConfig } from '@fasit/config';
import { deriveAgentKey } from '@fasit/domain';
import { loadNaisdConfig } from '../src/config/naisd.config.js';
import { startNaisd, type RunningNaisd } from '../src/naisd.app.js';

const emulator = readConfig({ pubsubEmulatorHost: busSpec.pubsubEmulatorHost }).pubsubEmulatorHost;
const SECRET = 'naisd-shard-test-secret-of-some-length-000';
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const KID = `shard-${randomUUID().slice(0, 8)}`;
const signer = new InstructionSigner({ kid: KID, privateKey }, 3_600_000);
// Someone with a publisher role on the shard but not the dispatcher's key: the real key id, another key.
const impostor = new InstructionSigner({ kid: KID, privateKey: generateKeyPairSync('ed25519').privateKey }, 3_600_000);
const PUBLIC_KEYS = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KID }] });
const TENANT = 'acme';

const transports: { name: string; env: Record<string, string> }[] = [{ name: 'in-process bus', env: { FASIT_BUS: 'memory' } }];
if (emulator)
  transports.push({
    name: 'Pub/Sub emulator',
    env: { FASIT_BUS: 'pubsub', PUBSUB_EMULATOR_HOST: emulator, PUBSUB_PROJECT_ID: `naisd-shard-${randomUUID().slice(0, 8)}` },
  });

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Another environment of the tenant on the same shard as `environment`. */
function neighbour(environment: string): string {
  for (let i = 0; ; i++) if (instructionShard(TENANT, `n${i}-${environment}`) === instructionShard(TENANT, environment)) return `n${i}-${environment}`;
}

describe.each(transports)('naisd on its shard (FASIT_INSTRUCTIONS=v3, $name; real helm, dry-run)', ({ name, env: busEnv }) => {
  const ENV = `shard-${randomUUID().slice(0, 8)}`;
  const OTHER = neighbour(ENV);
  const topic = instructionShardTopic(TENANT, ENV);
  const reports: AgentReportV1[] = [];
  let naisd: RunningNaisd;
  let listener: EventBus;
  let stopListening: () => Promise<void>;

  const ofType = <T extends AgentReport['type']>(type: T) =>
    reports.map((r) => r.report).filter((r): r is Extract<AgentReport, { type: T }> => r.type === type);
  const filtered = async (): Promise<number> => {
    const text = await (await fetch(`${naisd.url}/metrics`)).text();
    return Number(/^fasit_naisd_instructions_filtered_total(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? 0);
  };
  const uninstall = (release: string) => ({ action: 'uninstall' as const, release, timeoutMs: 0 });

  beforeAll(async () => {
    const config = loadNaisdConfig({
      ...busEnv,
      FASIT_TENANT: TENANT,
      FASIT_ENVIRONMENT: ENV,
      FASIT_INSTRUCTIONS: 'v3',
      FASIT_AGENT_KEY: deriveAgentKey(SECRET, TENANT, ENV),
      FASIT_INSTRUCTION_PUBLIC_KEYS: PUBLIC_KEYS,
      FASIT_HTTP_HOST: '127.0.0.1',
      FASIT_HTTP_PORT: '0',
    });
    listener = createEventBus(config);
    stopListening = await listener.consume(
      'naisd.status.reported.v1',
      `shard-it-${ENV}`,
      (payload: AgentReportV1) => {
        if (payload.tenant === TENANT && payload.environment === ENV) reports.push(payload);
        return Promise.resolve();
      },
      { maxInFlight: 64 },
    );
    naisd = await startNaisd(config, { logger: new JsonLogger('naisd', 'warn', () => undefined) });
  }, 60_000);

  afterAll(async () => {
    await naisd?.close();
    await stopListening?.();
    if (listener?.bus.kind === 'pubsub') await listener.bus.close();
  });

  it('announces instructions.v3 in its heartbeat', async () => {
    const beat = await waitFor('a heartbeat', () => ofType('heartbeat')[0]);
    expect(beat).toEqual({ type: 'heartbeat', agentVersion: expect.any(String), capabilities: ['instructions.v3'] });
  });

  it(`applies its own instruction from the shard and never runs another environment's on it (${name === 'in-process bus' ? 'filtered by the bus' : 'the emulator delivers it: dropped before verification and counted'})`, async () => {
    expect(instructionShardTopic(TENANT, OTHER)).toBe(topic);
    const before = await filtered();
    const foreign = randomUUID();
    await listener.publish(topic, await signer.sign({ tenant: TENANT, environment: OTHER, diid: foreign }, uninstall('theirs')), {
      attributes: instructionAttributes(TENANT, OTHER),
    });
    const own = randomUUID();
    await listener.publish(topic, await signer.sign({ tenant: TENANT, environment: ENV, diid: own }, uninstall('ours')), {
      attributes: instructionAttributes(TENANT, ENV),
    });
    expect(await waitFor('the uninstall report of its own instruction', () => ofType('uninstall').find((r) => r.diid === own))).toMatchObject({
      release: 'ours',
      status: 'uninstalled',
    });
    if (name === 'in-process bus') {
      // The bus never delivered it: nothing to drop.
      await new Promise((r) => setTimeout(r, 500));
      expect(await filtered()).toBe(before);
    } else {
      expect(await waitFor('the foreign instruction counted as filtered', async () => ((await filtered()) === before + 1 ? true : undefined))).toBe(true);
    }
    // Neither run nor refused (a refusal would be a report): another agent's business.
    expect(reports.map((r) => r.report).filter((r) => 'diid' in r && r.diid === foreign)).toEqual([]);
  }, 60_000);

  it("refuses an instruction whose environment attribute is forged to name this environment when its signature is not the dispatcher's", async () => {
    const forged = randomUUID();
    const signed = await impostor.sign({ tenant: TENANT, environment: ENV, diid: forged }, uninstall('victim'));
    // Straight onto the shard, as a publisher without the dispatcher's key would.
    await listener.bus.publish(topic, Buffer.from(JSON.stringify(signed)), { ...instructionAttributes(TENANT, ENV), eventId: forged });
    expect(await waitFor('the refusal', () => ofType('refused').find((r) => r.diid === forged))).toMatchObject({ reason: 'bad-signature' });
    expect(ofType('uninstall').filter((r) => r.diid === forged)).toEqual([]);
  }, 60_000);
});
