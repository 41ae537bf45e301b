import { Injectable } from '@nestjs/common';
import type { AgentReportV1, DeployRequestedV1, EventContext, EventHandlers, UninstallRequestedV1 } from '@fasit/bus';
import { ReportService } from '../reports/report.service.js';
import { DeployService } from './deploy.service.js';

/** The dispatcher's handler table. */
@Injectable()
export class DeployHandler implements EventHandlers<'dispatcher'> {
  constructor(
    private readonly deploys: DeployService,
    private readonly reports: ReportService,
  ) {}

  async 'reconciler.deploy.requested.v1'(e: DeployRequestedV1, ctx: EventContext): Promise<void> {
    await this.deploys.send(e, ctx.correlationId);
  }

  async 'catalog.uninstall.requested.v1'(e: UninstallRequestedV1, ctx: EventContext): Promise<void> {
    await this.deploys.uninstall(e, ctx.correlationId);
  }

  async 'naisd.status.reported.v1'(e: AgentReportV1, ctx: EventContext): Promise<void> {
    await this.reports.handle(e, ctx);
  }
}
