import { Injectable } from '@nestjs/common';
import {
  aggregateVersionsOf,
  announcedPairAggregate,
  claimEventVersion,
  claimVersions,
  type DeployStatusChangedV1,
  type EventContext,
  type EventHandlers,
  type HandlerOutcome,
  type InventoryReportedV1,
  type TargetsChangedV1,
} from '@fasit/bus';
import { ReconcileService, type PairsClaim } from './reconcile.service.js';

/**
 * The reconciler's handler table. Redelivery and reordering: an announcement carries a version per pair and a status
 * change the version of its pair; the reconciler records what it applied with its decisions and leaves out a pair
 * whose version is not newer (counted `duplicate` or `stale` when nothing was left to decide). Deciding is idempotent
 * by state besides (the desired-state hash, the latest decision and the deploy log; an unchanged decision appends
 * nothing), except a forced decision (a redeploy), which records its event id with the decision and is forced once
 * per event.
 */
@Injectable()
export class ReconcileHandler implements EventHandlers<'reconciler'> {
  constructor(private readonly reconciler: ReconcileService) {}

  async 'matcher.targets.changed.v1'(e: TargetsChangedV1, ctx: EventContext): Promise<HandlerOutcome> {
    const claim: PairsClaim = async (m) => {
      const claimed = await claimVersions(m, 'reconciler', 'reconciler', aggregateVersionsOf('matcher.targets.changed.v1', e));
      return (p) => claimed.get(announcedPairAggregate(p)) ?? 'new';
    };
    return this.reconciler.reconcileEvent(e.pairs, { force: e.force ?? false, eventId: ctx.eventId, correlationId: ctx.correlationId, claim });
  }

  /**
   * A deploy settled: the pair may be unchanged now, and its dependents in the same environment may proceed. Only
   * those are decided: a deploy's outcome is no input of the environment's other pairs (with 100 features in an
   * environment, deciding all of them on every settled deploy made deploying them all O(features²)).
   */
  async 'dispatcher.deploy-status.changed.v1'(e: DeployStatusChangedV1, ctx: EventContext): Promise<HandlerOutcome> {
    if (e.status !== 'deployed' && e.status !== 'failed') return;
    const claim: PairsClaim = async (m) => {
      const freshness = await claimEventVersion(m, 'reconciler', 'reconciler', 'dispatcher.deploy-status.changed.v1', e);
      return () => freshness;
    };
    return this.reconciler.reconcileEvent(await this.reconciler.settledPairs(e.environmentId, e.feature), { correlationId: ctx.correlationId, claim });
  }

  /** An agent listed its releases: compare them with what was deployed there (drift); an older announcement is dropped. */
  async 'dispatcher.inventory.reported.v1'(e: InventoryReportedV1, ctx: EventContext): Promise<HandlerOutcome> {
    const claim: PairsClaim = async (m) => {
      const freshness = await claimEventVersion(m, 'reconciler', 'reconciler', 'dispatcher.inventory.reported.v1', e);
      return () => freshness;
    };
    return this.reconciler.reconcileEvent(await this.reconciler.environmentPairs(e.environmentId), { correlationId: ctx.correlationId, claim });
  }
}
