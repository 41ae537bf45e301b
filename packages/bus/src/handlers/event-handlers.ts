// A consumer's handler table: one handler per topic the catalogue says it consumes, each taking that topic's
// payload type. A service's handler class `implements EventHandlers<'matcher'>` with a method named after each
// topic, so a topic without a handler, or a handler written for a payload the schema no longer has, does not
// compile (see event-handlers.type-test.ts). consumeAll subscribes to exactly those topics.
import { topicsOf, type Consumer, type PayloadOf, type TopicName, type TopicsOf } from '../catalogue/topics.js';
import type { AttributeFilter, Unsubscribe } from '../transport/bus.js';
import type { ContractViolationHandler, EventBus, EventContext, HandlerOutcome } from '../transport/event-bus.js';

/** A handler resolves `'duplicate'` or `'stale'` when it dropped the delivery (applied before, or older than what was): counted as such. */
export type EventHandlers<C extends Consumer> = {
  readonly [T in TopicsOf<C>]: (payload: PayloadOf<T>, ctx: EventContext) => Promise<HandlerOutcome>;
};

export interface ConsumeAllOptions {
  /** Only these of the consumer's topics (an agent consumes either the v2 or the v3 instructions); all by default. */
  topics?: readonly TopicName[];
  /** The concrete topic of a catalogue topic (an agent consumes its own member of the instruction family). */
  topicFor?: (topic: TopicName) => string;
  /**
   * The consumer part of a topic's subscription name, `<topic>.<consumer>` (an agent's subscription on its shard is
   * named after its environment); the consumer itself unless said.
   */
  consumerFor?: (topic: TopicName) => string;
  /** The filter a topic's subscription is created with, where the bus creates it (an agent's shard). */
  filter?: (topic: TopicName) => AttributeFilter | undefined;
  /** Messages handled concurrently per topic; 16 unless said. */
  maxInFlight?: (topic: TopicName) => number;
  /**
   * How long stopping lets handlers already running finish (their acks are sent) before what is still running is
   * nacked for another replica; 0 (the default) nacks at once.
   */
  drainMs?: number;
  /** Per topic: told of a message that breaks the contract, before it is dead-lettered (naisd reports those). */
  onContractViolation?: (topic: TopicName) => ContractViolationHandler | undefined;
}

/**
 * Consumes every topic of `consumer` on `<topic>.<consumer>` with its handler from the table (called as a method
 * of it). Returns a function that stops them all: every subscription stops pulling at once and drains (see
 * `drainMs`). Stopping twice is harmless.
 */
export async function consumeAll<C extends Consumer>(
  bus: EventBus,
  consumer: C,
  handlers: EventHandlers<C>,
  options: ConsumeAllOptions = {},
): Promise<() => Promise<void>> {
  const stops: Unsubscribe[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(stops.splice(0).map((stop) => stop({ drainMs: options.drainMs ?? 0 })));
  };
  try {
    for (const topic of topicsOf(consumer)) {
      if (options.topics && !options.topics.includes(topic)) continue;
      const handler = handlers[topic] as unknown;
      if (typeof handler !== 'function') throw new Error(`${consumer} has no handler for ${topic}`);
      const handle = (payload: unknown, ctx: EventContext): Promise<HandlerOutcome> =>
        (handler as (p: unknown, c: EventContext) => Promise<HandlerOutcome>).call(handlers, payload, ctx);
      const onContractViolation = options.onContractViolation?.(topic);
      const filter = options.filter?.(topic);
      stops.push(
        await bus.consume(options.topicFor?.(topic) ?? topic, options.consumerFor?.(topic) ?? consumer, handle, {
          maxInFlight: options.maxInFlight?.(topic) ?? 16,
          ...(onContractViolation ? { onContractViolation } : {}),
          ...(filter ? { filter } : {}),
        }),
      );
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}
