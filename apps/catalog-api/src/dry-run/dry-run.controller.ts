import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Allow, policies } from '../auth/policy.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { sendEvents } from '../common/sse.js';
import { DryRunService } from './dry-run.service.js';

@Controller('api/v1/reconciler')
export class DryRunController {
  constructor(private readonly dryRun: DryRunService) {}

  /** Server-sent events: `decision` per (environment, feature) as the reconciler would decide it now, then `summary`. Writes nothing. */
  @Get('dry-run')
  @Allow(policies.scopedList)
  async run(@CurrentActor() actor: Actor, @Req() req: Request, @Res() res: Response): Promise<void> {
    await sendEvents(req, res, (signal) => this.dryRun.run(actor, signal));
  }
}
