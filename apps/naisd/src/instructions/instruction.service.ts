// Routes an instruction to deploy or uninstall, once per diid: a redelivered instruction that was already
// handled (or is being handled) is ignored. A diid is remembered only after its final report went out, so an
// instruction whose reports could not be published runs again on redelivery (helm upgrade is idempotent).
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { DeployInstructionV1 } from '@fasit/bus';
import type { ContextLogger, JsonLogger } from '@fasit/config';
import { DeployService } from '../deploy/deploy.service.js';
import { NAISD_LOGGER } from '../naisd.tokens.js';
import { UninstallService } from '../uninstall/uninstall.service.js';
import { RecentIds } from './recent-ids.js';

export type InstructionResult = 'done' | 'duplicate';

@Injectable()
export class InstructionService implements OnModuleDestroy {
  private readonly handled = new RecentIds();
  private readonly inProgress = new Set<string>();
  private current: Promise<unknown> = Promise.resolve();
  private readonly log: ContextLogger;

  constructor(
    private readonly deploys: DeployService,
    private readonly uninstalls: UninstallService,
    @Inject(NAISD_LOGGER) logger: JsonLogger,
  ) {
    this.log = logger.child('instructions');
  }

  async handle(instruction: DeployInstructionV1, eventId: string): Promise<InstructionResult> {
    const { diid } = instruction;
    if (this.handled.has(diid) || this.inProgress.has(diid)) {
      this.log.info('duplicate instruction ignored', { diid, eventId, action: instruction.action, feature: instruction.name });
      return 'duplicate';
    }
    this.inProgress.add(diid);
    const work = this.run(instruction, eventId);
    this.current = work.catch(() => undefined);
    return work;
  }

  /** At shutdown: let the running instruction finish and send its reports. */
  async onModuleDestroy(): Promise<void> {
    await this.current;
  }

  private async run(instruction: DeployInstructionV1, eventId: string): Promise<InstructionResult> {
    const { diid } = instruction;
    try {
      this.log.info('instruction received', { diid, eventId, action: instruction.action, feature: instruction.name, version: instruction.featureVersion });
      switch (instruction.action) {
        case 'deploy':
          await this.deploys.deploy(instruction);
          break;
        case 'uninstall':
          await this.uninstalls.uninstall(instruction);
          break;
      }
      this.handled.remember(diid);
      return 'done';
    } finally {
      this.inProgress.delete(diid);
    }
  }
}
