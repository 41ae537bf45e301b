import { Controller } from '@nestjs/common';
import { OnEvent, type AgentReportV1, type BusContext, type DeployRequestedV1, type UninstallRequestedV1 } from '@fasit/bus';
import { ReportService } from '../reports/report.service.js';
import { DeployService } from './deploy.service.js';

/**
 * Redelivery: a deploy request is idempotent by state (the diid's `sent` row, claimed with the publish); an
 * uninstall request records its event id with the publish; reports are idempotent by state (one deploy-log row
 * per diid and status; log lines keyed by the report's event id and position; heartbeats and inventories replace).
 */
@Controller()
export class DeployHandler {
  constructor(
    private readonly deploys: DeployService,
    private readonly reports: ReportService,
  ) {}

  @OnEvent('reconciler.deploy.requested.v1')
  async deployRequested(e: DeployRequestedV1, ctx: BusContext): Promise<'sent' | 'duplicate'> {
    return this.deploys.send(e, ctx.event.correlationId);
  }

  @OnEvent('catalog.uninstall.requested.v1')
  async uninstallRequested(e: UninstallRequestedV1, ctx: BusContext): Promise<void> {
    await this.deploys.uninstall(e, ctx.event.eventId, ctx.event.correlationId);
  }

  @OnEvent('naisd.status.reported.v1')
  async agentReport(e: AgentReportV1, ctx: BusContext): Promise<void> {
    await this.reports.handle(e, ctx.event);
  }
}
