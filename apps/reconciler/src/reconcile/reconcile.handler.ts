import { Controller } from '@nestjs/common';
import { OnEvent, type BusContext, type DeployStatusChangedV1, type TargetsChangedV1 } from '@fasit/bus';
import { ReconcileService } from './reconcile.service.js';

/**
 * Redelivery: both handlers are idempotent by state (a pair is decided again from the desired-state hash, the
 * latest decision and the deploy log; an unchanged decision appends nothing), except a forced decision (a
 * redeploy), which records its event id with the decision and is forced once per event.
 */
@Controller()
export class ReconcileHandler {
  constructor(private readonly reconciler: ReconcileService) {}

  @OnEvent('matcher.targets.changed.v1')
  async targets(e: TargetsChangedV1, ctx: BusContext): Promise<void> {
    await this.reconciler.reconcile(e.pairs, { force: e.force ?? false, eventId: ctx.event.eventId, correlationId: ctx.event.correlationId });
  }

  /** A deploy settled: the pair may be unchanged now, and dependents in the same environment may proceed. */
  @OnEvent('dispatcher.deploy-status.changed.v1')
  async deployStatus(e: DeployStatusChangedV1, ctx: BusContext): Promise<void> {
    if (e.status !== 'deployed' && e.status !== 'failed') return;
    await this.reconciler.reconcile(await this.reconciler.environmentPairs(e.environmentId), { correlationId: ctx.event.correlationId });
  }
}
