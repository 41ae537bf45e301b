// The bus edge: this environment's instruction topic, consumed one message at a time (see naisd.app.ts).
import { Injectable } from '@nestjs/common';
import type { DeployInstructionV1, EventContext, EventHandlers } from '@fasit/bus';
import { InstructionService } from './instruction.service.js';

/** naisd's handler table. */
@Injectable()
export class InstructionHandler implements EventHandlers<'naisd'> {
  constructor(private readonly instructions: InstructionService) {}

  async 'naisd.instructions.v1'(instruction: DeployInstructionV1, ctx: EventContext): Promise<void> {
    await this.instructions.handle(instruction, ctx.eventId);
  }
}
