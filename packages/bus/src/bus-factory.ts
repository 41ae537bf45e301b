import type { BusLogger } from './transport/event-bus.js';
import { EventBus } from './transport/event-bus.js';
import { DuplicatingBus } from './transport/duplicating-bus.js';
import { InProcessBus } from './transport/in-process-bus.js';
import { PubSubBus } from './transport/pubsub-bus.js';

export interface BusConfig {
  busKind: 'pubsub' | 'memory';
  pubsubProjectId: string;
  pubsubEmulatorHost: string | undefined;
  busCreateTopics: boolean;
  busMaxDeliveries: number;
  /** Fault tests only: the share (0-100) of published messages sent again 1-2 times, later (DuplicatingBus). */
  busFaultDuplicatePercent?: number;
  /** Graceful drain on shutdown: how long running handlers may finish (then they are nacked) and the outbox may flush. */
  drainTimeoutMs: number;
}

let shared: InProcessBus | undefined;

/** The process-wide in-process bus: every module of an embedded platform shares it. */
export function sharedInProcessBus(): InProcessBus {
  shared ??= new InProcessBus();
  return shared;
}

/** Builds the bus the configuration chooses: Pub/Sub (real or emulator) or in-process. */
export function createEventBus(config: BusConfig, logger?: BusLogger): EventBus {
  const base =
    config.busKind === 'memory'
      ? sharedInProcessBus()
      : new PubSubBus({
          projectId: config.pubsubProjectId,
          emulatorHost: config.pubsubEmulatorHost,
          createTopics: config.busCreateTopics,
          onError: (err, where) => logger?.error('pubsub error', { where, error: err.message }),
        });
  const percent = config.busFaultDuplicatePercent ?? 0;
  const bus = percent > 0 ? new DuplicatingBus(base, percent / 100) : base;
  return new EventBus(bus, { maxDeliveries: config.busMaxDeliveries, ...(logger ? { logger } : {}) });
}
