// A fault of the chaos run (FASIT_BUS_FAULT_DUPLICATE_PERCENT, never set in production): a share of the messages
// published goes out again 1-2 more times, each up to 3 s later, with the same id and attributes. Consumers then
// get those messages 2-3 times, and the late copies after newer messages of their key: what a redelivering Pub/Sub
// and a republishing producer can do, on purpose and often.
import type { AttributeFilter, Bus, OutgoingMessage, PublishMessageOptions, RawHandler, SubscribeOptions, Unsubscribe } from './bus.js';

const MAX_DELAY_MS = 3000;

export class DuplicatingBus implements Bus {
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Copies sent so far (the chaos run's table counts them). */
  copies = 0;

  constructor(
    private readonly inner: Bus,
    private readonly share: number,
    private readonly random: () => number = Math.random,
  ) {}

  get kind(): Bus['kind'] {
    return this.inner.kind;
  }

  ensureTopic(topic: string): Promise<void> {
    return this.inner.ensureTopic(topic);
  }

  async publish(topic: string, data: Buffer, attributes: Record<string, string>, options?: PublishMessageOptions): Promise<string> {
    const id = await this.inner.publish(topic, data, attributes, options);
    this.copyLater(() => this.inner.publish(topic, data, attributes, options));
    return id;
  }

  /** A batch is duplicated message by message, as a publish of each would be. */
  async publishBatch(topic: string, messages: readonly OutgoingMessage[]): Promise<string[]> {
    const ids = await this.inner.publishBatch(topic, messages);
    for (const m of messages) this.copyLater(() => this.inner.publish(topic, m.data, m.attributes, m.orderingKey ? { orderingKey: m.orderingKey } : {}));
    return ids;
  }

  private copyLater(send: () => Promise<unknown>): void {
    if (this.random() >= this.share) return;
    for (let i = 0, n = 1 + Math.floor(this.random() * 2); i < n; i++) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.copies++;
        send().catch(() => undefined);
      }, this.random() * MAX_DELAY_MS);
      this.timers.add(t);
    }
  }

  createSubscription(topic: string, subscription: string, options?: { filter?: AttributeFilter }): Promise<void> {
    return this.inner.createSubscription(topic, subscription, options);
  }

  deleteSubscription(subscription: string): Promise<void> {
    return this.inner.deleteSubscription(subscription);
  }

  subscribe(topic: string, subscription: string, handler: RawHandler, options?: SubscribeOptions): Promise<Unsubscribe> {
    return this.inner.subscribe(topic, subscription, handler, options);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.inner.close();
  }
}
