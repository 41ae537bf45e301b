import { Injectable } from '@nestjs/common';
import type { DeployStatusChangedV1, EventContext, EventHandlers, InventoryReportedV1, TargetsChangedV1 } from '@fasit/bus';
import { ReconcileService } from './reconcile.service.js';

/**
 * The reconciler's handler table. Redelivery: both handlers are idempotent by state (a pair is decided again from
 * the desired-state hash, the latest decision and the deploy log; an unchanged decision appends nothing), except a
 * forced decision (a redeploy), which records its event id with the decision and is forced once per event.
 */
@Injectable()
export class ReconcileHandler implements EventHandlers<'reconciler'> {
  constructor(private readonly reconciler: ReconcileService) {}

  async 'matcher.targets.changed.v1'(e: TargetsChangedV1, ctx: EventContext): Promise<void> {
    await this.reconciler.reconcile(e.pairs, { force: e.force ?? false, eventId: ctx.eventId, correlationId: ctx.correlationId });
  }

  /** A deploy settled: the pair may be unchanged now, and dependents in the same environment may proceed. */
  async 'dispatcher.deploy-status.changed.v1'(e: DeployStatusChangedV1, ctx: EventContext): Promise<void> {
    if (e.status !== 'deployed' && e.status !== 'failed') return;
    await this.reconciler.reconcile(await this.reconciler.environmentPairs(e.environmentId), { correlationId: ctx.correlationId });
  }

  /** An agent listed its releases: compare them with what was deployed there (drift). Idempotent by state, as the others. */
  async 'dispatcher.inventory.reported.v1'(e: InventoryReportedV1, ctx: EventContext): Promise<void> {
    await this.reconciler.reconcile(await this.reconciler.environmentPairs(e.environmentId), { correlationId: ctx.correlationId });
  }
}
