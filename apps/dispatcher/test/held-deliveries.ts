// A fault for the dispatcher's batch tests (decisions 0026, 0029): the real bus, holding one subscription's
// deliveries until a whole batch has arrived and letting them through at once (as one Pull hands them over), and
// refusing publishes to chosen topics (as a broker that refuses them).
import type { AttributeFilter, Bus, BusMessage, OutgoingMessage, PublishMessageOptions, RawHandler, SubscribeOptions, Unsubscribe } from '@fasit/bus';

/**
 * The real bus, with the deliveries of one subscription (`held`) held on call: `hold(n)` keeps the next n deliveries waiting
 * until all n have arrived, then lets them go in one turn of the event loop (what a Pull of n messages does);
 * `hold(n, 2)` lets the first half go, and the second half in a later turn (two pulls, whose batches run at once).
 * Redeliveries after that pass straight through.
 */
export class HeldDeliveries implements Bus {
  private gate: { size: number; groups: number; waiting: (() => void)[] } | undefined;

  private readonly refused = new Map<string, string>();

  constructor(
    private readonly inner: Bus,
    private readonly held: string,
  ) {}

  get kind(): Bus['kind'] {
    return this.inner.kind;
  }
  hold(size: number, groups = 1): void {
    this.gate = { size, groups, waiting: [] };
  }
  private release(gate: { groups: number; waiting: (() => void)[] }): void {
    this.gate = undefined;
    const per = Math.ceil(gate.waiting.length / gate.groups);
    const next = (from: number): void => {
      for (const r of gate.waiting.slice(from, from + per)) r();
      // Two checks of the event loop later: the batch of this group has started (it flushes at the first).
      if (from + per < gate.waiting.length) setImmediate(() => setImmediate(() => next(from + per)));
    };
    next(0);
  }
  ensureTopic(topic: string): Promise<void> {
    return this.inner.ensureTopic(topic);
  }
  /** Publishes to `topic` fail with `message`, as a broker refusing them would, until `refuse(topic)` is called again without one. */
  refuse(topic: string, message?: string): void {
    if (message === undefined) this.refused.delete(topic);
    else this.refused.set(topic, message);
  }
  publish(topic: string, data: Buffer, attributes: Record<string, string>, options?: PublishMessageOptions): Promise<string> {
    const refusal = this.refused.get(topic);
    if (refusal !== undefined) return Promise.reject(new Error(refusal));
    return this.inner.publish(topic, data, attributes, options);
  }
  createSubscription(topic: string, subscription: string, options?: { filter?: AttributeFilter }): Promise<void> {
    return this.inner.createSubscription(topic, subscription, options);
  }
  deleteSubscription(subscription: string): Promise<void> {
    return this.inner.deleteSubscription(subscription);
  }
  publishBatch(topic: string, messages: readonly OutgoingMessage[]): Promise<string[]> {
    const refusal = this.refused.get(topic);
    if (refusal !== undefined) return Promise.reject(new Error(refusal));
    return this.inner.publishBatch(topic, messages);
  }
  subscribe(topic: string, subscription: string, handler: RawHandler, options?: SubscribeOptions): Promise<Unsubscribe> {
    if (subscription !== this.held) return this.inner.subscribe(topic, subscription, handler, options);
    return this.inner.subscribe(
      topic,
      subscription,
      async (m: BusMessage) => {
        const gate = this.gate;
        if (gate) {
          await new Promise<void>((release) => {
            gate.waiting.push(release);
            if (gate.waiting.length === gate.size) this.release(gate);
          });
        }
        await handler(m);
      },
      options,
    );
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
