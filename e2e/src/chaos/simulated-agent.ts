// An agent played by the chaos process: it consumes its environment's instruction topic on naisd's own
// subscription, reports `installing`, "applies" the instruction (counted per diid, no helm), and reports `deployed`
// (or `uninstalled`), every report signed with the environment's key as naisd signs them. It keeps the diids it
// applied and their outcome in a store that survives its crashes, as naisd keeps them with its releases: a
// redelivered instruction is not applied again, its outcome is reported again (the dispatcher records each status
// once). `crash()` stands for kill -9: the subscription goes, in-flight handlers fail (their messages are
// redelivered), nothing is flushed.
//
// With `messy` on, its reports reach the platform as a bad network delivers them: each 1-3 times (copies carry the
// same event id, as Pub/Sub redeliveries do, and go out up to 3 s late) and `installing` goes out in the
// background up to 1 s late, so `deployed` often arrives first.
import { randomUUID } from 'node:crypto';
import { instructionTopic, InstructionVerifier, type AgentReport, type AgentReportV1, type EventBus, type SignedInstructionV2 } from '@fasit/bus';
import { DEVELOPMENT_KEYS, parseInstructionPublicKeys } from '@fasit/config';
import { deriveAgentKey, signReport } from '@fasit/domain';

export interface AgentLedger {
  /** How often each diid was applied (a "helm run"), by any agent. */
  applies: Map<string, number>;
  /** The event ids each diid arrived with (more than one: the dispatcher published it more than once). */
  deliveries: Map<string, Set<string>>;
  /** Reports sent again as duplicates, and reports sent late (out of order). */
  duplicatedReports: number;
  delayedReports: number;
}

export interface MessyDelivery {
  random: () => number;
  /** Background sends (copies, late reports) still running: awaited before the invariants are read. */
  pending: Set<Promise<void>>;
}

class Crashed extends Error {
  constructor() {
    super('the simulated agent crashed');
  }
}

export class SimulatedAgent {
  private stopConsuming: (() => Promise<void>) | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private generation = 0;
  /** diid → the terminal report it ended with; survives crashes. */
  private readonly outcomes = new Map<string, AgentReport>();

  constructor(
    private readonly bus: EventBus,
    readonly tenant: string,
    readonly environment: string,
    private readonly agentKeySecret: string,
    private readonly ledger: AgentLedger,
    private readonly pause: () => Promise<void>,
    private readonly messy?: MessyDelivery,
  ) {}

  get alive(): boolean {
    return this.stopConsuming !== undefined;
  }

  async start(): Promise<void> {
    const generation = ++this.generation;
    const alive = () => {
      if (generation !== this.generation) throw new Crashed();
    };
    this.stopConsuming = await this.bus.consume(
      instructionTopic(this.tenant, this.environment),
      'naisd',
      async (message, ctx) => {
        alive();
        // The platform runs in development mode: its dispatcher signs with the development key.
        const v = await new InstructionVerifier(
          parseInstructionPublicKeys(DEVELOPMENT_KEYS.FASIT_INSTRUCTION_PUBLIC_KEYS),
          this.tenant,
          this.environment,
        ).verify((message as SignedInstructionV2).jws);
        const i =
          v.action === 'deploy'
            ? { diid: v.diid, action: v.action, name: v.release, featureVersion: v.featureVersion, hash: v.hash }
            : { diid: v.diid, action: v.action, name: v.release, featureVersion: '', hash: '' };
        const seen = this.ledger.deliveries.get(i.diid) ?? new Set<string>();
        seen.add(ctx.eventId);
        this.ledger.deliveries.set(i.diid, seen);
        const known = this.outcomes.get(i.diid);
        if (known) {
          await this.report(known);
          return;
        }
        if (i.action === 'deploy') {
          const installing: AgentReport = {
            type: 'helm',
            diid: i.diid,
            name: i.name,
            featureVersion: i.featureVersion,
            status: 'installing',
            hash: i.hash,
            error: null,
          };
          if (this.messy) this.later(installing, this.messy.random() * 1000);
          else await this.report(installing);
        }
        alive();
        await this.pause();
        alive();
        this.ledger.applies.set(i.diid, (this.ledger.applies.get(i.diid) ?? 0) + 1);
        const outcome: AgentReport =
          i.action === 'deploy'
            ? { type: 'helm', diid: i.diid, name: i.name, featureVersion: i.featureVersion, status: 'deployed', hash: i.hash, error: null }
            : { type: 'uninstall', diid: i.diid, release: i.name, status: 'uninstalled', error: null };
        this.outcomes.set(i.diid, outcome);
        alive();
        await this.report(outcome);
      },
      { maxInFlight: 1 },
    );
    await this.report({ type: 'heartbeat', agentVersion: 'chaos' });
    this.heartbeat = setInterval(() => void this.report({ type: 'heartbeat', agentVersion: 'chaos' }).catch(() => undefined), 20_000);
  }

  /** kill -9: in-flight work fails and is redelivered; the applied store stays. */
  async crash(): Promise<void> {
    this.generation++;
    clearInterval(this.heartbeat);
    const stop = this.stopConsuming;
    this.stopConsuming = undefined;
    await stop?.();
  }

  /** A report first sent late, in the background (out of order with what this agent sends meanwhile). */
  private later(r: AgentReport, delayMs: number): void {
    this.ledger.delayedReports++;
    this.background(delayMs, () => this.report(r));
  }

  /** Sends the report; with messy delivery, also 0-2 identical copies (same body, same event id) up to 3 s late. */
  private async report(r: AgentReport): Promise<void> {
    const body: AgentReportV1 = { version: 'v1', tenant: this.tenant, environment: this.environment, sentAt: new Date().toISOString(), report: r };
    const eventId = randomUUID();
    await this.send(body, eventId);
    if (!this.messy || r.type === 'heartbeat') return;
    const copies = Math.floor(this.messy.random() * 3);
    for (let c = 0; c < copies; c++) {
      this.ledger.duplicatedReports++;
      this.background(this.messy.random() * 3000, () => this.send(body, eventId));
    }
  }

  private background(delayMs: number, send: () => Promise<void>): void {
    const messy = this.messy;
    if (!messy) return;
    const p: Promise<void> = new Promise<void>((resolve) => setTimeout(resolve, delayMs))
      .then(send)
      .catch(() => undefined)
      .finally(() => messy.pending.delete(p));
    messy.pending.add(p);
  }

  private async send(body: AgentReportV1, eventId: string): Promise<void> {
    await this.bus.publish('naisd.status.reported.v1', body, {
      eventId,
      attributes: { signature: signReport(deriveAgentKey(this.agentKeySecret, this.tenant, this.environment), JSON.stringify(body)) },
    });
  }
}
