// A fleet of lightweight agents over the real bus, for the benchmarks: on the v3 layout (decision 0024), one process
// playing every agent reads each of the 16 instruction shards with one subscription and routes each instruction by its
// `environment` attribute to its agent (naisd pulls its own filtered subscription; the simulator needs none per
// environment, which at 10,000 environments was what its setup died on). Each agent announces `instructions.v3` in
// its heartbeat, so the dispatcher sends it v3; verifies every instruction as naisd does, and answers it as naisd
// would (`installing`, then `deployed`, `failed` or `uninstalled` after a configurable latency), every report signed
// with the environment's key. It sends heartbeats and an inventory of what it "runs". No helm: what is measured is
// the control plane and the bus, not a cluster. One process plays the whole fleet (the chaos run's SimulatedAgent
// is the crash-prone single agent; this is the many cheap ones).
import {
  ENVIRONMENT_ATTRIBUTE,
  environmentAttribute,
  INSTRUCTIONS_V3_CAPABILITY,
  InstructionVerifier,
  shardTopics,
  type AgentReport,
  type AgentReportV1,
  type EventBus,
  type SignedInstructionV2,
  type VerifiedInstruction,
} from '@fasit/bus';
import { DEVELOPMENT_KEYS, parseInstructionPublicKeys } from '@fasit/config';
import { deriveAgentKey, signReport } from '@fasit/domain';

export interface FleetOptions {
  bus: EventBus;
  tenant: string;
  environments: readonly string[];
  agentKeySecret: string;
  /** Answer instructions (installing → outcome)? Off: the fleet only records what arrived. Default on. */
  answer?: boolean;
  /** Time between `installing` and the outcome, as helm would take (default 0). */
  answerLatencyMs?: number;
  /** Share of deploys answered `failed` (0–1, default 0). */
  failureRate?: number;
  random?: () => number;
  /** Reports sent this many at a time (default 32). */
  concurrency?: number;
}

export interface Received {
  at: number;
  instruction: VerifiedInstruction;
}

const PUBLIC_KEYS = parseInstructionPublicKeys(DEVELOPMENT_KEYS.FASIT_INSTRUCTION_PUBLIC_KEYS);

export class SimulatedFleet {
  /** What each environment received, in order. */
  readonly received = new Map<string, Received[]>();
  /** Instructions that failed verification (never expected: the platform signs with the development key). */
  readonly refused: string[] = [];
  /** Reports sent, and their bodies' bytes (JSON), since the start. */
  reportsSent = 0;
  reportBytes = 0;
  private readonly stops: (() => Promise<void>)[] = [];
  /** environment → release → what it "runs" (for the inventory). */
  private readonly running = new Map<string, Map<string, { chartVersion: string; revision: number }>>();
  private readonly pendingAnswers = new Set<Promise<void>>();
  private readonly keys = new Map<string, string>();

  constructor(private readonly o: FleetOptions) {
    for (const e of o.environments) {
      this.received.set(e, []);
      this.running.set(e, new Map());
    }
  }

  get environments(): readonly string[] {
    return this.o.environments;
  }

  /**
   * Reads the 16 instruction shards, one subscription each (`<shard>.fleet-simulator`), and hands each instruction
   * to the agent its `environment` attribute names (another tenant's is not this fleet's: ignored).
   */
  async start(): Promise<void> {
    const verifiers = new Map(
      this.o.environments.map((e) => [
        environmentAttribute(this.o.tenant, e),
        { environment: e, verifier: new InstructionVerifier(PUBLIC_KEYS, this.o.tenant, e) },
      ]),
    );
    for (const topic of shardTopics()) {
      this.stops.push(
        await this.o.bus.consume<'naisd.instructions.v3'>(
          topic,
          'fleet-simulator',
          async (message: SignedInstructionV2, ctx) => {
            const agent = verifiers.get(ctx.attributes[ENVIRONMENT_ATTRIBUTE] ?? '');
            if (!agent) return;
            let instruction: VerifiedInstruction;
            try {
              instruction = await agent.verifier.verify(message.jws);
            } catch (e) {
              this.refused.push(`${agent.environment}: ${(e as Error).message}`);
              return;
            }
            this.received.get(agent.environment)!.push({ at: Date.now(), instruction });
            if (this.o.answer ?? true) this.track(this.answer(agent.environment, instruction));
          },
          // One environment's instructions one at a time (their ordering key), many environments at once.
          { maxInFlight: 256 },
        ),
      );
    }
  }

  /** Deploy instructions an environment received. */
  deploys(environment: string): Received[] {
    return this.received.get(environment)!.filter((r) => r.instruction.action === 'deploy');
  }

  /** Every agent sends a heartbeat; resolves when all are published. */
  async heartbeats(): Promise<void> {
    await pool(this.o.environments, this.o.concurrency ?? 32, (e) =>
      this.report(e, { type: 'heartbeat', agentVersion: 'fleet-simulator', capabilities: [INSTRUCTIONS_V3_CAPABILITY] }),
    );
  }

  /**
   * Every agent reports its inventory (not real: a simulated agent runs nothing a cluster could show), `concurrency`
   * at a time (all of them: a status storm).
   */
  async inventories(concurrency = this.o.concurrency ?? 32): Promise<void> {
    await pool(this.o.environments, concurrency, (e) =>
      this.report(e, {
        type: 'inventory',
        real: false,
        takenAt: new Date().toISOString(),
        releases: [...this.running.get(e)!].map(([name, r]) => ({
          name,
          chartVersion: r.chartVersion,
          status: 'deployed',
          revision: r.revision,
          lastDeployed: new Date().toISOString(),
        })),
      }),
    );
  }

  /** Waits for the answers still being sent, then stops every subscription. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.pendingAnswers]);
    await Promise.all(this.stops.map((s) => s().catch(() => undefined)));
  }

  async report(environment: string, r: AgentReport): Promise<void> {
    const body: AgentReportV1 = { version: 'v1', tenant: this.o.tenant, environment, sentAt: new Date().toISOString(), report: r };
    const json = JSON.stringify(body);
    this.reportsSent++;
    this.reportBytes += json.length;
    await this.o.bus.publish('naisd.status.reported.v1', body, { attributes: { signature: signReport(this.key(environment), json) } });
  }

  private key(environment: string): string {
    let k = this.keys.get(environment);
    if (!k) {
      k = deriveAgentKey(this.o.agentKeySecret, this.o.tenant, environment);
      this.keys.set(environment, k);
    }
    return k;
  }

  private async answer(environment: string, i: VerifiedInstruction): Promise<void> {
    if (i.action === 'uninstall') {
      this.running.get(environment)!.delete(i.release);
      await this.report(environment, { type: 'uninstall', diid: i.diid, release: i.release, status: 'uninstalled', error: null });
      return;
    }
    const helm = (status: 'installing' | 'deployed' | 'failed', error: string | null): AgentReport => ({
      type: 'helm',
      diid: i.diid,
      name: i.release,
      featureVersion: i.featureVersion,
      status,
      hash: i.hash,
      error,
    });
    await this.report(environment, helm('installing', null));
    if (this.o.answerLatencyMs) await new Promise((r) => setTimeout(r, this.o.answerLatencyMs));
    if ((this.o.random ?? Math.random)() < (this.o.failureRate ?? 0)) {
      await this.report(environment, helm('failed', 'fleet simulator: a failure drawn at the configured failure rate'));
      return;
    }
    const releases = this.running.get(environment)!;
    releases.set(i.release, { chartVersion: i.featureVersion, revision: (releases.get(i.release)?.revision ?? 0) + 1 });
    await this.report(environment, helm('deployed', null));
  }

  private track(p: Promise<void>): void {
    const t = p.catch(() => undefined).finally(() => this.pendingAnswers.delete(t));
    this.pendingAnswers.add(t);
  }
}

/** Runs `f` over `items` with at most `limit` in flight. */
export async function pool<T>(items: readonly T[], limit: number, f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await f(items[next++]!);
    }),
  );
}
