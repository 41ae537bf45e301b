// Each environment's filtered subscription on its instruction shard (decision 0024): created when the environment is,
// deleted with it, driven by the catalog's own `catalog.environment.changed.v1` (subscription
// `catalog.environment.changed.v1.catalog-api`). The handler follows the catalog as it is, not the event: an
// environment of that name that exists has its subscription, one that does not has none. So a redelivery, an event
// overtaken by a newer one, or the deletion of an environment whose name was taken again by a new one (another id,
// another ordering key) cannot remove the subscription of an environment that exists. Pub/Sub's ALREADY_EXISTS and
// NOT_FOUND are what was wanted (the bus treats them so).
import type { Bus, EnvironmentChangedV1, EventHandlers, HandlerOutcome } from '@fasit/bus';
import { instructionAttributes, instructionShardSubscription, instructionShardTopic } from '@fasit/bus';
import type { ContextLogger } from '@fasit/config';
import type { EnvironmentRepository } from './environment.repository.js';

export class InstructionSubscriptionHandler implements EventHandlers<'catalog-api'> {
  constructor(
    private readonly bus: Bus,
    private readonly environments: EnvironmentRepository,
    private readonly log: ContextLogger,
  ) {}

  async 'catalog.environment.changed.v1'(e: EnvironmentChangedV1): Promise<HandlerOutcome> {
    const subscription = instructionShardSubscription(e.tenant, e.name);
    if (await this.environments.byName(e.tenant, e.name)) {
      await this.bus.createSubscription(instructionShardTopic(e.tenant, e.name), subscription, { filter: instructionAttributes(e.tenant, e.name) });
      this.log.debug('instruction subscription in place', { subscription });
    } else {
      await this.bus.deleteSubscription(subscription);
      this.log.info('instruction subscription deleted with its environment', { subscription });
    }
  }
}
