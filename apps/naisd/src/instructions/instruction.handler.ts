// The bus edge: this environment's instruction topic, consumed one message at a time (see naisd.app.ts). A message
// that breaks the topic's contract never reaches this handler: naisd.app.ts hands it to
// InstructionService.refuseUnreadable before the bus dead-letters it.
import { Injectable } from '@nestjs/common';
import type { EventContext, EventHandlers, SignedInstructionV2 } from '@fasit/bus';
import { InstructionService } from './instruction.service.js';

/** naisd's handler table. */
@Injectable()
export class InstructionHandler implements EventHandlers<'naisd'> {
  constructor(private readonly instructions: InstructionService) {}

  async 'naisd.instructions.v2'(message: SignedInstructionV2, ctx: EventContext): Promise<void> {
    await this.instructions.handle(message, ctx.eventId);
  }
}
