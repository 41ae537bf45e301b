// The bus edge: this environment's instruction topic, consumed one message at a time (see naisd.app.ts).
import { Controller } from '@nestjs/common';
import { BusContext, OnEvent, type DeployInstructionV1 } from '@fasit/bus';
import { InstructionService, type InstructionResult } from './instruction.service.js';

@Controller()
export class InstructionHandler {
  constructor(private readonly instructions: InstructionService) {}

  @OnEvent('naisd.instructions.v1')
  async onInstruction(instruction: DeployInstructionV1, ctx: BusContext): Promise<InstructionResult> {
    return this.instructions.handle(instruction, ctx.event.eventId);
  }
}
