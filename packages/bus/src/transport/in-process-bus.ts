// The in-process bus: the same contract as Pub/Sub inside one process (embedded mode, unit tests). A
// subscription receives what is published after it exists; subscribers of one subscription share its
// messages; a nacked message is redelivered with backoff.
import { randomUUID } from 'node:crypto';
import type { Bus, BusMessage, RawHandler, SubscribeOptions } from './bus.js';

interface Pending {
  id: string;
  data: Buffer;
  attributes: Record<string, string>;
  attempt: number;
}

class LocalSubscription {
  private readonly queue: Pending[] = [];
  private readonly consumers: { handler: RawHandler; maxInFlight: number; inFlight: number }[] = [];
  private next = 0;
  private timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly topic: string,
    readonly name: string,
    private readonly baseBackoffMs: number,
  ) {}

  add(handler: RawHandler, maxInFlight: number): () => void {
    const c = { handler, maxInFlight, inFlight: 0 };
    this.consumers.push(c);
    this.pump();
    return () => {
      const i = this.consumers.indexOf(c);
      if (i >= 0) this.consumers.splice(i, 1);
    };
  }

  enqueue(p: Pending): void {
    this.queue.push(p);
    this.pump();
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const c = this.pickConsumer();
      if (!c) return;
      const p = this.queue.shift()!;
      c.inFlight++;
      const message: BusMessage = { id: p.id, topic: this.topic, subscription: this.name, data: p.data, attributes: p.attributes, deliveryAttempt: p.attempt };
      setImmediate(() => {
        c.handler(message).then(
          () => this.settle(c),
          () => {
            this.settle(c);
            const t = setTimeout(() => {
              this.timers.delete(t);
              this.enqueue({ ...p, attempt: p.attempt + 1 });
            }, Math.min(this.baseBackoffMs * 2 ** (p.attempt - 1), 10_000));
            this.timers.add(t);
          },
        );
      });
    }
  }

  private settle(c: { inFlight: number }): void {
    c.inFlight--;
    this.pump();
  }

  private pickConsumer() {
    for (let i = 0; i < this.consumers.length; i++) {
      const c = this.consumers[(this.next + i) % this.consumers.length]!;
      if (c.inFlight < c.maxInFlight) {
        this.next = (this.next + i + 1) % this.consumers.length;
        return c;
      }
    }
    return undefined;
  }
}

export class InProcessBus implements Bus {
  readonly kind = 'memory' as const;
  private readonly subscriptions = new Map<string, Map<string, LocalSubscription>>();

  constructor(private readonly options: { baseBackoffMs?: number } = {}) {}

  ensureTopic(topic: string): Promise<void> {
    if (!this.subscriptions.has(topic)) this.subscriptions.set(topic, new Map());
    return Promise.resolve();
  }

  publish(topic: string, data: Buffer, attributes: Record<string, string>): Promise<string> {
    const id = randomUUID();
    for (const sub of this.subscriptions.get(topic)?.values() ?? []) sub.enqueue({ id, data, attributes: { ...attributes }, attempt: 1 });
    return Promise.resolve(id);
  }

  subscribe(topic: string, name: string, handler: RawHandler, options: SubscribeOptions = {}): Promise<() => Promise<void>> {
    let subs = this.subscriptions.get(topic);
    if (!subs) {
      subs = new Map();
      this.subscriptions.set(topic, subs);
    }
    let sub = subs.get(name);
    if (!sub) {
      sub = new LocalSubscription(topic, name, this.options.baseBackoffMs ?? 200);
      subs.set(name, sub);
    }
    const remove = sub.add(handler, options.maxInFlight ?? 16);
    return Promise.resolve(() => {
      remove();
      return Promise.resolve();
    });
  }

  close(): Promise<void> {
    for (const subs of this.subscriptions.values()) for (const s of subs.values()) s.close();
    this.subscriptions.clear();
    return Promise.resolve();
  }
}
