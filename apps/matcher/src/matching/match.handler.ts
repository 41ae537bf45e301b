import { Injectable } from '@nestjs/common';
import {
  versionClaim,
  type AssignmentChangedV1,
  type ConfigChangedV1,
  type EnvironmentChangedV1,
  type EnvironmentValueChangedV1,
  type EventHandlers,
  type FeatureToggleChangedV1,
  type HandlerOutcome,
  type PayloadOf,
  type RedeployRequestedV1,
  type TopicsOf,
} from '@fasit/bus';
import { MatchService } from './match.service.js';

/** The claim of the matcher on an event's aggregate version, made in the transaction of its effect. */
const claim = <T extends TopicsOf<'matcher'>>(topic: T, e: PayloadOf<T>) => versionClaim('matcher', 'matcher', topic, e);

/** A dropped event's reason (`duplicate`, `stale`) is the handler's outcome; an applied one has none. */
const outcome = (result: object | 'duplicate' | 'stale'): HandlerOutcome => (typeof result === 'string' ? result : undefined);

/**
 * Catalog events in, `matcher.targets.changed.v1` out: the matcher's handler table. Thin: each handler is one
 * service call. Redelivery and reordering: every catalog event carries its aggregate's version, which the matcher
 * records with its effect; an event not newer than what it applied of that aggregate is dropped (`duplicate` or
 * `stale`). What it applies is idempotent by state besides (it recomputes the winners from the catalog as it is
 * now; the reconciler decides again from the desired-state hash), except a redeploy, which is forced once: its
 * redelivery carries the version already applied.
 */
@Injectable()
export class MatchHandler implements EventHandlers<'matcher'> {
  constructor(private readonly match: MatchService) {}

  async 'catalog.assignment.changed.v1'(e: AssignmentChangedV1): Promise<HandlerOutcome> {
    const ids = [e.assignmentId, ...(e.replacedAssignmentId ? [e.replacedAssignmentId] : [])];
    return outcome(await this.match.assignmentChanged(e.feature, e.target, ids, claim('catalog.assignment.changed.v1', e)));
  }

  async 'catalog.environment.changed.v1'(e: EnvironmentChangedV1): Promise<HandlerOutcome> {
    return outcome(await this.match.environmentChanged(e.environmentId, e.deleted, e.tenant, claim('catalog.environment.changed.v1', e)));
  }

  async 'catalog.config.changed.v1'(e: ConfigChangedV1): Promise<HandlerOutcome> {
    const scope = { feature: e.feature, ...(e.environmentId ? { environmentIds: [e.environmentId] } : {}) };
    return outcome(await this.match.inputsChanged('config', scope, { claim: claim('catalog.config.changed.v1', e) }));
  }

  async 'catalog.environment-value.changed.v1'(e: EnvironmentValueChangedV1): Promise<HandlerOutcome> {
    return outcome(await this.match.environmentValueChanged(e.environmentId, claim('catalog.environment-value.changed.v1', e)));
  }

  async 'catalog.feature-toggle.changed.v1'(e: FeatureToggleChangedV1): Promise<HandlerOutcome> {
    return outcome(
      await this.match.inputsChanged(
        'toggle',
        { feature: e.feature, environmentIds: [e.environmentId] },
        { claim: claim('catalog.feature-toggle.changed.v1', e) },
      ),
    );
  }

  async 'catalog.redeploy.requested.v1'(e: RedeployRequestedV1): Promise<HandlerOutcome> {
    return outcome(
      await this.match.inputsChanged(
        'redeploy',
        { feature: e.feature, environmentIds: [e.environmentId] },
        { force: true, claim: claim('catalog.redeploy.requested.v1', e) },
      ),
    );
  }
}
