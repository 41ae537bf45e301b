import { Injectable } from '@nestjs/common';
import type { AgentReportV1, DeployRequestedV1, EventContext, EventHandlers, HandlerOutcome, UninstallRequestedV1 } from '@fasit/bus';
import { ReportService } from '../reports/report.service.js';
import { DeployService } from './deploy.service.js';

/**
 * The dispatcher's handler table. Redelivery and reordering: a deploy request and an uninstall request carry the
 * version of their (environment, feature or release), claimed with the publish: one not newer than the last sent is
 * dropped (`duplicate`, `stale`); a deploy request is idempotent by state besides (the diid's `sent` row). Reports
 * carry no version (an older naisd must still be understood): they are idempotent by state (one deploy-log row per
 * diid and status, and no `installing` after `deployed` or `failed`; log lines keyed by the report's event id and
 * position; heartbeats and inventories replace), a refusal records its event id.
 */
@Injectable()
export class DeployHandler implements EventHandlers<'dispatcher'> {
  constructor(
    private readonly deploys: DeployService,
    private readonly reports: ReportService,
  ) {}

  /** A request sent before counts as a duplicate, one older than the last sent for its pair as stale (nothing is sent). */
  async 'reconciler.deploy.requested.v1'(e: DeployRequestedV1, ctx: EventContext): Promise<HandlerOutcome> {
    const sent = await this.deploys.send(e, ctx.correlationId);
    return sent === 'sent' ? undefined : sent;
  }

  async 'catalog.uninstall.requested.v1'(e: UninstallRequestedV1, ctx: EventContext): Promise<HandlerOutcome> {
    return this.deploys.uninstall(e, ctx.correlationId);
  }

  async 'naisd.status.reported.v1'(e: AgentReportV1, ctx: EventContext): Promise<void> {
    await this.reports.handle(e, ctx);
  }
}
