// The bus edge: this environment's instruction topic, consumed one message at a time (see naisd.app.ts). A message
// that breaks the topic's contract never reaches this handler: naisd.app.ts hands it to
// InstructionService.refuseUnreadable before the bus dead-letters it.
import { Controller } from '@nestjs/common';
import { BusContext, OnEvent, type SignedInstructionV2 } from '@fasit/bus';
import { InstructionService, type InstructionResult } from './instruction.service.js';

@Controller()
export class InstructionHandler {
  constructor(private readonly instructions: InstructionService) {}

  @OnEvent('naisd.instructions.v2')
  async onInstruction(message: SignedInstructionV2, ctx: BusContext): Promise<InstructionResult> {
    return this.instructions.handle(message, ctx.event.eventId);
  }
}
