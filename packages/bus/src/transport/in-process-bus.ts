// The in-process bus: the same contract as Pub/Sub inside one process (embedded mode, unit tests). A
// subscription receives what is published after it exists; subscribers of one subscription share its
// messages; a nacked message is redelivered with backoff. A stopped subscriber drains like a Pub/Sub one:
// it takes nothing new, its running handlers may finish within the drain time, and what is still running
// after it goes back to the queue for the others (what such a handler answers later is ignored). A subscription's
// filter is applied, as Pub/Sub applies it (the emulator does not).
import { randomUUID } from 'node:crypto';
import {
  matchesFilter,
  type AttributeFilter,
  type OutgoingMessage,
  type Bus,
  type BusMessage,
  type PublishMessageOptions,
  type RawHandler,
  type StopOptions,
  type SubscribeOptions,
  type Unsubscribe,
} from './bus.js';

interface Pending {
  id: string;
  data: Buffer;
  attributes: Record<string, string>;
  attempt: number;
}

interface Consumer {
  handler: RawHandler;
  maxInFlight: number;
  /** Messages handed to this consumer and not settled yet, each with the promise of its settlement. */
  inFlight: Map<Pending, Promise<void>>;
  stopped: boolean;
}

class LocalSubscription {
  private readonly queue: Pending[] = [];
  private readonly consumers: Consumer[] = [];
  private next = 0;
  private timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly topic: string,
    readonly name: string,
    private readonly baseBackoffMs: number,
    /** Set at creation, never changed (as on Pub/Sub): what does not match is never delivered here. */
    readonly filter: AttributeFilter | undefined,
  ) {}

  add(handler: RawHandler, maxInFlight: number): Unsubscribe {
    const c: Consumer = { handler, maxInFlight, inFlight: new Map(), stopped: false };
    this.consumers.push(c);
    this.pump();
    return async (options: StopOptions = {}) => {
      c.stopped = true;
      const i = this.consumers.indexOf(c);
      if (i >= 0) this.consumers.splice(i, 1);
      const running = [...c.inFlight.values()];
      if (running.length > 0 && (options.drainMs ?? 0) > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.all(running), new Promise((r) => (timer = setTimeout(r, options.drainMs)))]);
        clearTimeout(timer);
      }
      // Still running after the drain time: nacked, i.e. handed to the remaining consumers.
      for (const p of c.inFlight.keys()) this.enqueue({ ...p, attempt: p.attempt + 1 });
      c.inFlight.clear();
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
      const message: BusMessage = { id: p.id, topic: this.topic, subscription: this.name, data: p.data, attributes: p.attributes, deliveryAttempt: p.attempt };
      const settled = new Promise<void>((resolve) => {
        setImmediate(() => {
          c.handler(message).then(
            () => {
              if (c.inFlight.delete(p)) this.pump();
              resolve();
            },
            () => {
              if (c.inFlight.delete(p)) {
                const t = setTimeout(
                  () => {
                    this.timers.delete(t);
                    this.enqueue({ ...p, attempt: p.attempt + 1 });
                  },
                  Math.min(this.baseBackoffMs * 2 ** (p.attempt - 1), 10_000),
                );
                this.timers.add(t);
                this.pump();
              }
              resolve();
            },
          );
        });
      });
      c.inFlight.set(p, settled);
    }
  }

  private pickConsumer(): Consumer | undefined {
    for (let i = 0; i < this.consumers.length; i++) {
      const c = this.consumers[(this.next + i) % this.consumers.length]!;
      if (!c.stopped && c.inFlight.size < c.maxInFlight) {
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

  /** Publishing order is delivery order here (one queue per subscription), so an ordering key needs no work. */
  publish(topic: string, data: Buffer, attributes: Record<string, string>, _options?: PublishMessageOptions): Promise<string> {
    const id = randomUUID();
    for (const sub of this.subscriptions.get(topic)?.values() ?? [])
      if (matchesFilter(sub.filter, attributes)) sub.enqueue({ id, data, attributes: { ...attributes }, attempt: 1 });
    return Promise.resolve(id);
  }

  async publishBatch(topic: string, messages: readonly OutgoingMessage[]): Promise<string[]> {
    const ids: string[] = [];
    for (const m of messages) ids.push(await this.publish(topic, m.data, m.attributes));
    return ids;
  }

  subscribe(topic: string, name: string, handler: RawHandler, options: SubscribeOptions = {}): Promise<Unsubscribe> {
    return Promise.resolve(this.local(topic, name, options.filter).add(handler, options.maxInFlight ?? 16));
  }

  createSubscription(topic: string, name: string, options: { filter?: AttributeFilter } = {}): Promise<void> {
    this.local(topic, name, options.filter);
    return Promise.resolve();
  }

  deleteSubscription(name: string): Promise<void> {
    for (const subs of this.subscriptions.values()) {
      const sub = subs.get(name);
      if (!sub) continue;
      sub.close();
      subs.delete(name);
    }
    return Promise.resolve();
  }

  /** The subscription, created (with its filter, kept from then on) when missing. */
  private local(topic: string, name: string, filter: AttributeFilter | undefined): LocalSubscription {
    let subs = this.subscriptions.get(topic);
    if (!subs) {
      subs = new Map();
      this.subscriptions.set(topic, subs);
    }
    let sub = subs.get(name);
    if (!sub) {
      sub = new LocalSubscription(topic, name, this.options.baseBackoffMs ?? 200, filter);
      subs.set(name, sub);
    }
    return sub;
  }

  close(): Promise<void> {
    for (const subs of this.subscriptions.values()) for (const s of subs.values()) s.close();
    this.subscriptions.clear();
    return Promise.resolve();
  }
}
