// Takes an instruction from the bus and runs it only if it is the control plane's and meant for now and here: the
// signature is verified first (a trusted Ed25519 key, this environment, not expired, not early), then the diid is
// checked against what was applied (a replay, or a redelivery, is not run twice). Anything else is refused: a
// signed `refused` report says why, and helm runs for nothing. An instruction is remembered as applied only
// after its final report went out, so one whose reports could not be published runs again on redelivery. A deploy
// applied before this naisd started (its release says so, ReleaseAppliedInstructions) is not run again: its
// recorded outcome is reported again, since whether its reports went out before the restart is unknown.
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import {
  ENVIRONMENT_ATTRIBUTE,
  INSTRUCTION_CLOCK_SKEW_SECONDS,
  catalogueEntryOf,
  environmentAttribute,
  InstructionRefused,
  InstructionVerifier,
  refusalOfUnreadable,
  type EventContext,
  type SignedInstructionV2,
  type VerifiedInstruction,
} from '@fasit/bus';
import type { ContextLogger, JsonLogger } from '@fasit/config';
import { ServiceMetrics } from '@fasit/metrics';
import { NAISD_CONFIG, type NaisdConfig } from '../config/naisd.config.js';
import { DeployService } from '../deploy/deploy.service.js';
import { NAISD_LOGGER } from '../naisd.tokens.js';
import { ReportPublisher } from '../reports/report.publisher.js';
import { UninstallService } from '../uninstall/uninstall.service.js';
import type { AppliedInstructions } from './applied-instructions.js';

export const INSTRUCTION_VERIFIER = Symbol('INSTRUCTION_VERIFIER');
export const APPLIED_INSTRUCTIONS = Symbol('APPLIED_INSTRUCTIONS');

/** `duplicate`: a diid applied (or being applied) before, here or by an earlier naisd; nothing runs again. Counted apart in the metrics. */
export type InstructionResult = 'done' | 'refused' | 'duplicate';

const tracer = trace.getTracer('naisd');

@Injectable()
export class InstructionService implements OnModuleDestroy {
  private readonly inProgress = new Set<string>();
  private current: Promise<unknown> = Promise.resolve();
  private readonly log: ContextLogger;

  constructor(
    private readonly deploys: DeployService,
    private readonly uninstalls: UninstallService,
    private readonly reports: ReportPublisher,
    @Inject(INSTRUCTION_VERIFIER) private readonly verifier: InstructionVerifier,
    @Inject(APPLIED_INSTRUCTIONS) private readonly applied: AppliedInstructions,
    @Inject(NAISD_LOGGER) logger: JsonLogger,
    @Inject(NAISD_CONFIG) private readonly config: Pick<NaisdConfig, 'tenant' | 'environment'>,
    private readonly metrics: ServiceMetrics,
  ) {
    this.log = logger.child('instructions');
  }

  /**
   * Whether a message on a v3 shard names another environment in its `environment` attribute (or none): another
   * agent's, to be dropped before verification and counted (decision 0024; only the emulator delivers them).
   */
  isForeign(ctx: Pick<EventContext, 'topic' | 'attributes' | 'eventId'>): boolean {
    if (catalogueEntryOf(ctx.topic) !== 'naisd.instructions.v3') return false;
    if (ctx.attributes[ENVIRONMENT_ATTRIBUTE] === environmentAttribute(this.config.tenant, this.config.environment)) return false;
    this.metrics.counter('fasit_naisd_instructions_filtered_total').inc({});
    this.log.debug("dropped another environment's instruction on the shard", { eventId: ctx.eventId, environment: ctx.attributes[ENVIRONMENT_ATTRIBUTE] });
    return true;
  }

  async handle(message: SignedInstructionV2, eventId: string): Promise<InstructionResult> {
    let instruction: VerifiedInstruction;
    try {
      instruction = await this.verifier.verify(message.jws);
    } catch (e) {
      if (!(e instanceof InstructionRefused)) throw e;
      await this.refuse(e, eventId);
      return 'refused';
    }
    const { diid } = instruction;
    const running = this.inProgress.has(diid);
    const applied = running ? undefined : await this.applied.find(instruction);
    if (running || applied?.by === 'this-naisd') {
      await this.refuse(
        new InstructionRefused('replayed', `instruction ${diid} was already ${running ? 'being applied' : 'applied'} here; it is not run again`, diid, true),
        eventId,
      );
      return 'duplicate';
    }
    if (applied?.by === 'release' && instruction.action === 'deploy') {
      // Applied before this naisd started: whether its reports went out then is unknown, so they go out again.
      this.log.info('instruction applied before this naisd started; reporting its outcome again', {
        diid,
        eventId,
        release: instruction.release,
        revision: applied.revision,
        status: applied.status,
      });
      await this.deploys.reportApplied(instruction, applied);
      await this.rememberApplied(instruction);
      return 'duplicate';
    }
    this.inProgress.add(diid);
    const work = this.run(instruction, eventId);
    this.current = work.catch(() => undefined);
    return work;
  }

  /** A message on the instruction topic that breaks its contract (not JSON, unsigned, too long): refused and reported. */
  async refuseUnreadable(ctx: EventContext, violation: string): Promise<void> {
    if (this.isForeign(ctx)) return;
    await this.refuse(refusalOfUnreadable(ctx.rawData, violation), ctx.eventId);
  }

  /** At shutdown: let the running instruction finish and send its reports. */
  async onModuleDestroy(): Promise<void> {
    await this.current;
  }

  /** The instruction's span (`naisd <action>`), with its helm runs and reports as children. */
  private run(instruction: VerifiedInstruction, eventId: string): Promise<InstructionResult> {
    const span = tracer.startSpan(`naisd ${instruction.action}`, {
      attributes: { 'fasit.diid': instruction.diid, 'fasit.release': instruction.release, 'fasit.action': instruction.action },
    });
    return context.with(trace.setSpan(context.active(), span), () =>
      this.apply(instruction, eventId).then(
        (result) => {
          span.end();
          return result;
        },
        (e: unknown) => {
          span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
          span.end();
          throw e;
        },
      ),
    );
  }

  private async apply(instruction: VerifiedInstruction, eventId: string): Promise<InstructionResult> {
    const { diid } = instruction;
    try {
      this.log.info('instruction received', {
        diid,
        eventId,
        action: instruction.action,
        release: instruction.release,
        ...(instruction.action === 'deploy' ? { version: instruction.featureVersion } : {}),
      });
      switch (instruction.action) {
        case 'deploy':
          await this.deploys.deploy(instruction);
          break;
        case 'uninstall':
          await this.uninstalls.uninstall(instruction);
          break;
      }
      await this.rememberApplied(instruction);
      return 'done';
    } finally {
      this.inProgress.delete(diid);
    }
  }

  /** Until it expires (plus the clock skew the verifier allows): after that a copy is refused as expired. */
  private rememberApplied(instruction: VerifiedInstruction): Promise<void> {
    return this.applied.remember(instruction.diid, new Date(instruction.expiresAt.getTime() + INSTRUCTION_CLOCK_SKEW_SECONDS * 1000));
  }

  private async refuse(r: InstructionRefused, eventId: string): Promise<void> {
    this.log.warn('instruction refused', { diid: r.diid, eventId, reason: r.reason, verified: r.verified, error: r.message });
    await this.reports.publish({ type: 'refused', diid: r.diid, reason: r.reason, verified: r.verified, error: r.message.slice(0, 2000) }, r.diid ?? undefined);
  }
}
