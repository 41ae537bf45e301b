import { Injectable } from '@nestjs/common';
import type { AgentReportV1, DeployRequestedV1, EventContext, EventHandlers, HandlerOutcome, UninstallRequestedV1 } from '@fasit/bus';
import { ReportService } from '../reports/report.service.js';
import { DeployService } from './deploy.service.js';

/**
 * The dispatcher's handler table. Redelivery: a deploy request is idempotent by state (the diid's `sent` row,
 * claimed with the publish); an uninstall request records its event id with the publish; reports are idempotent
 * by state (one deploy-log row per diid and status; log lines keyed by the report's event id and position;
 * heartbeats and inventories replace).
 */
@Injectable()
export class DeployHandler implements EventHandlers<'dispatcher'> {
  constructor(
    private readonly deploys: DeployService,
    private readonly reports: ReportService,
  ) {}

  /** A request whose diid was sent before counts as a duplicate (nothing is sent again). */
  async 'reconciler.deploy.requested.v1'(e: DeployRequestedV1, ctx: EventContext): Promise<HandlerOutcome> {
    return (await this.deploys.send(e, ctx.correlationId)) === 'duplicate' ? 'duplicate' : undefined;
  }

  async 'catalog.uninstall.requested.v1'(e: UninstallRequestedV1, ctx: EventContext): Promise<void> {
    await this.deploys.uninstall(e, ctx.eventId, ctx.correlationId);
  }

  async 'naisd.status.reported.v1'(e: AgentReportV1, ctx: EventContext): Promise<void> {
    await this.reports.handle(e, ctx);
  }
}
