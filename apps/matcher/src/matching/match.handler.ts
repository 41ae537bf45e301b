import { Injectable } from '@nestjs/common';
import type {
  AssignmentChangedV1,
  ConfigChangedV1,
  EnvironmentChangedV1,
  EnvironmentValueChangedV1,
  EventContext,
  EventHandlers,
  FeatureToggleChangedV1,
  RedeployRequestedV1,
} from '@fasit/bus';
import { MatchService } from './match.service.js';

/**
 * Catalog events in, `matcher.targets.changed.v1` out: the matcher's handler table. Thin: each handler is one
 * service call. Redelivery: every handler but the redeploy is idempotent by state (it recomputes the winners from
 * the catalog as it is now and announces pairs whose decision the reconciler makes again from the desired-state
 * hash); the redeploy records its event id with its announcement, since a forced deploy is not idempotent.
 */
@Injectable()
export class MatchHandler implements EventHandlers<'matcher'> {
  constructor(private readonly match: MatchService) {}

  async 'catalog.assignment.changed.v1'(e: AssignmentChangedV1): Promise<void> {
    await this.match.assignmentChanged(e.feature, e.target, [e.assignmentId, ...(e.replacedAssignmentId ? [e.replacedAssignmentId] : [])]);
  }

  async 'catalog.environment.changed.v1'(e: EnvironmentChangedV1): Promise<void> {
    await this.match.environmentChanged(e.environmentId, e.deleted, e.tenant);
  }

  async 'catalog.config.changed.v1'(e: ConfigChangedV1): Promise<void> {
    await this.match.inputsChanged('config', { feature: e.feature, ...(e.environmentId ? { environmentIds: [e.environmentId] } : {}) });
  }

  async 'catalog.environment-value.changed.v1'(e: EnvironmentValueChangedV1): Promise<void> {
    await this.match.environmentValueChanged(e.environmentId);
  }

  async 'catalog.feature-toggle.changed.v1'(e: FeatureToggleChangedV1): Promise<void> {
    await this.match.inputsChanged('toggle', { feature: e.feature, environmentIds: [e.environmentId] });
  }

  async 'catalog.redeploy.requested.v1'(e: RedeployRequestedV1, ctx: EventContext): Promise<void> {
    await this.match.inputsChanged('redeploy', { feature: e.feature, environmentIds: [e.environmentId] }, { force: true, eventId: ctx.eventId });
  }
}
