// A compile-time fixture, checked by `pnpm typecheck` (nothing here runs): the handler table of a consumer needs a
// handler for every topic the catalogue gives it, and each handler must take its topic's payload as the schema
// defines it today. Each `@ts-expect-error` below must meet a compile error, or the typecheck fails.
import { outboxEvent } from '../outbox/outbox.js';
import type { DeployStatusChangedV1, InventoryReportedV1, TargetPair, TargetsChangedV1 } from '../catalogue/events.js';
import type { EventContext } from '../transport/event-bus.js';
import type { EventHandlers } from './event-handlers.js';

/** A complete table compiles. */
export class Complete implements EventHandlers<'reconciler'> {
  async 'matcher.targets.changed.v1'(e: TargetsChangedV1): Promise<void> {
    await Promise.resolve(e.pairs);
  }
  async 'dispatcher.deploy-status.changed.v1'(e: DeployStatusChangedV1, ctx: EventContext): Promise<void> {
    await Promise.resolve([e.status, ctx.correlationId]);
  }
  async 'dispatcher.inventory.reported.v1'(e: InventoryReportedV1): Promise<void> {
    await Promise.resolve(e.real);
  }
}

// @ts-expect-error the reconciler consumes dispatcher.deploy-status.changed.v1, and this table has no handler for it
export class MissingTopic implements EventHandlers<'reconciler'> {
  async 'matcher.targets.changed.v1'(e: TargetsChangedV1): Promise<void> {
    await Promise.resolve(e.pairs);
  }
}

/** A handler written against an older shape of its payload (`targets` where the schema now says `pairs`). */
interface StaleTargetsChanged {
  version: 'v1';
  reason: string;
  targets: TargetPair[];
}

export class StalePayload implements EventHandlers<'reconciler'> {
  // @ts-expect-error the payload this handler takes is not the one the schema of matcher.targets.changed.v1 defines
  async 'matcher.targets.changed.v1'(e: StaleTargetsChanged): Promise<void> {
    await Promise.resolve(e.targets);
  }
  async 'dispatcher.deploy-status.changed.v1'(e: DeployStatusChangedV1): Promise<void> {
    await Promise.resolve(e.status);
  }
  async 'dispatcher.inventory.reported.v1'(e: InventoryReportedV1): Promise<void> {
    await Promise.resolve(e.real);
  }
}

export class UnknownField implements EventHandlers<'reconciler'> {
  async 'matcher.targets.changed.v1'(e: TargetsChangedV1): Promise<void> {
    // @ts-expect-error a field the schema does not define
    await Promise.resolve(e.targets);
  }
  async 'dispatcher.deploy-status.changed.v1'(e: DeployStatusChangedV1): Promise<void> {
    await Promise.resolve(e.status);
  }
  async 'dispatcher.inventory.reported.v1'(e: InventoryReportedV1): Promise<void> {
    await Promise.resolve(e.real);
  }
}

/** A producer is held to the same schema. */
export const stalePublish = outboxEvent('matcher.targets.changed.v1', {
  version: 'v1',
  reason: 'sweep',
  // @ts-expect-error a field the schema does not define
  targets: [],
});
