// One subscriber of one Pub/Sub subscription, by unary Pull requests (docs/decisions/0018-unary-pull.md): one
// request at a time, never a stream held open, so a subscriber that dies leaves nothing behind that Pub/Sub (or
// its emulator) could keep delivering to. Messages are leased for PUBSUB_LEASE_SECONDS and extended while their
// handler runs; the messages of one ordering key are handled one after the other, in order, and when one is
// nacked the rest of its key is nacked with it, so Pub/Sub redelivers the key in order. The acks of the handlers
// that finish in one turn of the event loop go out in one Acknowledge request (a batch of 256 reports written in
// one transaction is acked with one request, not 256).
import type { protos, v1 } from '@google-cloud/pubsub';
import type { RawHandler } from './bus.js';
import { isUnavailable, unavailableDelaySeconds } from './unavailable.js';

type SubscriberClient = InstanceType<typeof v1.SubscriberClient>;
type ReceivedMessage = protos.google.pubsub.v1.IReceivedMessage;
type PullResponse = protos.google.pubsub.v1.IPullResponse;
/** What the client's inner call returns: `client.pull()` wraps it in a plain promise that cannot be cancelled. */
type CancellablePull = Promise<[PullResponse]> & { cancel(): void };

export interface PullerOptions {
  client: SubscriberClient;
  /** `projects/<project>/subscriptions/<name>`. */
  path: string;
  topic: string;
  subscription: string;
  handler: RawHandler;
  maxInFlight: number;
  leaseSeconds: number;
  onError: (err: Error) => void;
  /** Called when the subscription does not exist (any more); pulling goes on once it resolves. */
  recreate?: () => Promise<void>;
}

/** How long one Pull request waits for messages before it is asked again (an idle subscriber's only cost). */
const PULL_WAIT_MS = 10_000;
/** Pause after a failed Pull (the emulator restarting, a network blip), doubled up to the maximum. */
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;
/** Ack ids per Acknowledge request (Pub/Sub takes a request of up to 512 kB; an ack id is a few hundred bytes). */
const ACKS_PER_REQUEST = 1000;
const DEADLINE_EXCEEDED = 4;
const NOT_FOUND = 5;

export class PubSubPuller {
  private running = true;
  /** Set once stopped: handlers that finish later send nothing (their message was nacked at the deadline). */
  private settled = false;
  /** Messages taken and not yet settled: ack id → the promise of their handler. */
  private readonly inFlight = new Map<string, Promise<boolean>>();
  /** The last message of each ordering key in flight: resolves true when it was acked. */
  private readonly keys = new Map<string, Promise<boolean>>();
  private readonly attempts = new Map<string, number>();
  private readonly extender: NodeJS.Timeout;
  private freed: (() => void) | undefined;
  private pending: CancellablePull | undefined;
  /** Acks gathered in this turn of the event loop, sent together by `flushAcks`. */
  private acks: { ids: string[]; sent: Promise<void> } | undefined;
  private readonly loop: Promise<void>;

  constructor(private readonly o: PullerOptions) {
    this.extender = setInterval(() => void this.extendLeases(), (o.leaseSeconds * 1000) / 2);
    this.loop = this.pullLoop();
  }

  /**
   * Stops pulling at once; lets the running handlers settle for up to `drainMs`; then nacks what is left. A Pull
   * still waiting when it returns has its messages nacked (if the client is still open) or they come back when
   * their lease ends.
   */
  async stop(drainMs: number): Promise<void> {
    this.running = false;
    this.freed?.();
    // A Pull waiting for messages is cancelled (if Pub/Sub gave it some meanwhile, they come back when their lease
    // ends); otherwise it would hold the process for up to PULL_WAIT_MS.
    this.pending?.cancel();
    if (drainMs > 0 && this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.inFlight.values()]), new Promise((r) => (timer = setTimeout(r, drainMs)))]);
      clearTimeout(timer);
    }
    this.settled = true;
    clearInterval(this.extender);
    const left = [...this.inFlight.keys()];
    this.inFlight.clear();
    await this.modify(left, 0);
    // The loop ends once its cancelled Pull has failed: nothing of this subscriber runs after stop() resolved.
    await this.loop;
  }

  private async pullLoop(): Promise<void> {
    let retryMs = RETRY_MIN_MS;
    while (this.running) {
      const room = this.o.maxInFlight - this.inFlight.size;
      if (room <= 0) {
        await new Promise<void>((r) => (this.freed = r));
        continue;
      }
      let received: ReceivedMessage[];
      try {
        this.pending = this.pull(room);
        const [res] = await this.pending;
        received = res.receivedMessages ?? [];
        retryMs = RETRY_MIN_MS;
      } catch (e) {
        this.pending = undefined;
        if (!this.running) return;
        const code = (e as { code?: number }).code;
        if (code === NOT_FOUND && this.o.recreate) {
          const recreated = await this.o.recreate().then(
            () => true,
            (err: unknown) => (this.o.onError(err as Error), false),
          );
          if (recreated) continue;
        }
        if (code !== DEADLINE_EXCEEDED) {
          this.o.onError(e as Error);
          await new Promise((r) => setTimeout(r, retryMs));
          retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
        }
        continue;
      }
      this.pending = undefined;
      const ackIds = received.map((m) => m.ackId ?? '').filter((id) => id !== '');
      if (!this.running) {
        await this.modify(ackIds, 0);
        return;
      }
      // The subscription's own ack deadline may be longer than ours (it is set where the subscription is made).
      await this.modify(ackIds, this.o.leaseSeconds);
      for (const m of received) this.dispatch(m);
    }
  }

  /** One Pull request, through the client's inner call so that stop() can cancel it (as `client.pull` does it). */
  private pull(maxMessages: number): CancellablePull {
    const call = this.o.client.innerApiCalls['pull'] as ((request: object, options: object) => CancellablePull) | undefined;
    if (!call) throw new Error('the Pub/Sub client has no pull call');
    return call(
      { subscription: this.o.path, maxMessages },
      {
        timeout: PULL_WAIT_MS,
        maxRetries: 0,
        otherArgs: { headers: { 'x-goog-request-params': `subscription=${encodeURIComponent(this.o.path)}` } },
      },
    );
  }

  private dispatch(m: ReceivedMessage): void {
    const ackId = m.ackId ?? '';
    const message = m.message ?? {};
    const id = message.messageId ?? '';
    const key = message.orderingKey ?? '';
    const before = key ? this.keys.get(key) : undefined;
    const handled = (before ?? Promise.resolve(true)).then(async (previousAcked) => {
      // An earlier message of the key was nacked: this one goes back too, so the key is redelivered in order.
      if (!previousAcked || this.settled) return this.settle(ackId, false);
      const attempt = (this.attempts.get(id) ?? 0) + 1;
      this.attempts.set(id, attempt);
      try {
        await this.o.handler({
          id,
          topic: this.o.topic,
          subscription: this.o.subscription,
          data: Buffer.from(message.data ?? ''),
          attributes: { ...(message.attributes ?? {}) },
          deliveryAttempt: Math.max(attempt, m.deliveryAttempt ?? 0),
        });
      } catch (e) {
        // Out of reach (the database restarting): back after a growing delay, not at once, so that a restart of
        // some seconds is waited out rather than spun through.
        return this.settle(ackId, false, isUnavailable(e) ? unavailableDelaySeconds(attempt) : 0);
      }
      this.attempts.delete(id);
      return this.settle(ackId, true);
    });
    this.inFlight.set(ackId, handled);
    if (key) this.keys.set(key, handled);
    void handled.finally(() => {
      this.inFlight.delete(ackId);
      if (key && this.keys.get(key) === handled) this.keys.delete(key);
      this.freed?.();
      this.freed = undefined;
    });
  }

  /**
   * Acks or nacks one message (nothing once stopped: stop() nacked it), a nack redelivered after `retryAfterSeconds`;
   * resolves whether it was acked.
   */
  private async settle(ackId: string, ack: boolean, retryAfterSeconds = 0): Promise<boolean> {
    if (this.settled || !this.inFlight.has(ackId)) return false;
    try {
      if (ack) await this.acknowledge(ackId);
      else await this.modify([ackId], retryAfterSeconds);
    } catch (e) {
      // Not acked: the lease runs out and Pub/Sub delivers it again (at least once; consumers de-duplicate).
      this.o.onError(e as Error);
    }
    return ack;
  }

  /** Joins the acks of this turn of the event loop; resolves once their request is answered (an error is reported once). */
  private acknowledge(ackId: string): Promise<void> {
    if (!this.acks) {
      const batch: { ids: string[]; sent: Promise<void> } = { ids: [], sent: Promise.resolve() };
      batch.sent = new Promise<void>((r) => setImmediate(r)).then(() => this.flushAcks(batch));
      this.acks = batch;
    }
    this.acks.ids.push(ackId);
    return this.acks.sent;
  }

  private async flushAcks(batch: { ids: string[] }): Promise<void> {
    if (this.acks === batch) this.acks = undefined;
    for (let i = 0; i < batch.ids.length; i += ACKS_PER_REQUEST) {
      try {
        await this.o.client.acknowledge({ subscription: this.o.path, ackIds: batch.ids.slice(i, i + ACKS_PER_REQUEST) });
      } catch (e) {
        // Not acked: the lease runs out and Pub/Sub delivers them again (at least once; consumers de-duplicate).
        this.o.onError(e as Error);
      }
    }
  }

  private async extendLeases(): Promise<void> {
    await this.modify([...this.inFlight.keys()], this.o.leaseSeconds);
  }

  private async modify(ackIds: string[], seconds: number): Promise<void> {
    if (ackIds.length === 0) return;
    try {
      await this.o.client.modifyAckDeadline({ subscription: this.o.path, ackIds, ackDeadlineSeconds: seconds });
    } catch (e) {
      if (this.running || !isClosed(e)) this.o.onError(e as Error);
    }
  }
}

function isClosed(e: unknown): boolean {
  return /closed/i.test((e as Error).message ?? '');
}
