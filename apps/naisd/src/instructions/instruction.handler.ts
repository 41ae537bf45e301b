// The bus edge: this environment's instruction topic, consumed one message at a time (see naisd.app.ts). A message
// that breaks the topic's contract never reaches this handler: naisd.app.ts hands it to
// InstructionService.refuseUnreadable before the bus dead-letters it.
import { Injectable } from '@nestjs/common';
import type { EventContext, EventHandlers, HandlerOutcome, SignedInstructionV2 } from '@fasit/bus';
import { InstructionService } from './instruction.service.js';

/** naisd's handler table. */
@Injectable()
export class InstructionHandler implements EventHandlers<'naisd'> {
  constructor(private readonly instructions: InstructionService) {}

  /** An instruction applied before (here or by an earlier naisd) counts as a duplicate: nothing ran again. */
  async 'naisd.instructions.v2'(message: SignedInstructionV2, ctx: EventContext): Promise<HandlerOutcome> {
    return (await this.instructions.handle(message, ctx.eventId)) === 'duplicate' ? 'duplicate' : undefined;
  }

  /**
   * The same instruction on this environment's shard (decision 0024). One whose `environment` attribute is not this
   * environment's is another agent's: dropped (acked) before verification, counted. Pub/Sub's filter lets none
   * through; the emulator delivers the whole shard. A forged attribute gains nothing: the verifier still refuses an
   * instruction not signed for this environment.
   */
  async 'naisd.instructions.v3'(message: SignedInstructionV2, ctx: EventContext): Promise<HandlerOutcome> {
    if (this.instructions.isForeign(ctx)) return undefined;
    return (await this.instructions.handle(message, ctx.eventId)) === 'duplicate' ? 'duplicate' : undefined;
  }
}
