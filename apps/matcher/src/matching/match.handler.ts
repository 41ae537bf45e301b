import { Controller } from '@nestjs/common';
import { OnEvent, type AssignmentChangedV1, type BusContext, type ConfigChangedV1, type EnvironmentChangedV1, type EnvironmentValueChangedV1, type FeatureToggleChangedV1, type RedeployRequestedV1 } from '@fasit/bus';
import { MatchService } from './match.service.js';

/**
 * Catalog events in, `matcher.targets.changed.v1` out. Thin: each handler is one service call. Redelivery: every
 * handler but the redeploy is idempotent by state (it recomputes the winners from the catalog as it is now and
 * announces pairs whose decision the reconciler makes again from the desired-state hash); the redeploy records its
 * event id with its announcement, since a forced deploy is not idempotent.
 */
@Controller()
export class MatchHandler {
  constructor(private readonly match: MatchService) {}

  @OnEvent('catalog.assignment.changed.v1')
  async assignment(e: AssignmentChangedV1): Promise<void> {
    await this.match.assignmentChanged(e.feature, e.target, [e.assignmentId, ...(e.replacedAssignmentId ? [e.replacedAssignmentId] : [])]);
  }

  @OnEvent('catalog.environment.changed.v1')
  async environment(e: EnvironmentChangedV1): Promise<void> {
    await this.match.environmentChanged(e.environmentId, e.deleted, e.tenant);
  }

  @OnEvent('catalog.config.changed.v1')
  async config(e: ConfigChangedV1): Promise<void> {
    await this.match.inputsChanged('config', { feature: e.feature, ...(e.environmentId ? { environmentIds: [e.environmentId] } : {}) });
  }

  @OnEvent('catalog.environment-value.changed.v1')
  async environmentValue(e: EnvironmentValueChangedV1): Promise<void> {
    await this.match.environmentValueChanged(e.environmentId);
  }

  @OnEvent('catalog.feature-toggle.changed.v1')
  async toggle(e: FeatureToggleChangedV1): Promise<void> {
    await this.match.inputsChanged('toggle', { feature: e.feature, environmentIds: [e.environmentId] });
  }

  @OnEvent('catalog.redeploy.requested.v1')
  async redeploy(e: RedeployRequestedV1, ctx: BusContext): Promise<void> {
    await this.match.inputsChanged('redeploy', { feature: e.feature, environmentIds: [e.environmentId] }, { force: true, eventId: ctx.event.eventId });
  }
}
