// The Google Cloud Pub/Sub bus (or its emulator). Topics and subscriptions are created on demand where allowed
// (local, tests); in production the infra chart owns them and FASIT_BUS_CREATE_TOPICS=false.
import { randomUUID } from 'node:crypto';
import { Duration, PubSub, type Message, type Subscription, type SubscriberOptions, type Topic } from '@google-cloud/pubsub';
import type { Bus, PublishMessageOptions, RawHandler, StopOptions, SubscribeOptions, Unsubscribe } from './bus.js';

export interface PubSubBusOptions {
  projectId: string;
  emulatorHost?: string | undefined;
  createTopics: boolean;
  onError?: (err: Error, where: string) => void;
}

const ALREADY_EXISTS = 6;

/**
 * How long a message's lease lasts before it is extended again (the client extends it while its handler runs, up
 * to the client's 60 minutes). It is also how long a message held by a subscriber that died without a word
 * (kill -9, an evicted pod) stays invisible, and with it every later message of its ordering key. The client's
 * default grows the lease to the 99th percentile of its ack times, up to 10 minutes: one slow handler (a helm
 * run, a database restart) and a killed subscriber's message, with its whole ordering key, came back only
 * minutes later. Fixed at 10 s (min = max), redelivery takes seconds; the price is one extension per held
 * message every few seconds. docs/decisions/0017-short-leases.md.
 */
export const PUBSUB_LEASE_SECONDS = 10;
const LEASE = Duration.from({ seconds: PUBSUB_LEASE_SECONDS });

export class PubSubBus implements Bus {
  readonly kind = 'pubsub' as const;
  private readonly client: PubSub;
  private readonly topics = new Map<string, Promise<Topic>>();
  private readonly subscriptions = new Map<Subscription, SubscriberOptions>();
  private readonly attempts = new Map<string, number>();

  constructor(private readonly options: PubSubBusOptions) {
    this.client = new PubSub({
      projectId: options.projectId,
      ...(options.emulatorHost ? { apiEndpoint: options.emulatorHost, emulatorMode: true } : {}),
    });
  }

  async ensureTopic(name: string): Promise<void> {
    await this.topic(name);
  }

  private topic(name: string): Promise<Topic> {
    let t = this.topics.get(name);
    if (!t) {
      t = (async () => {
        // messageOrdering: messages with one ordering key go out in publishing order (a failed publish pauses its
        // key until resumePublishing, so nothing published after it can overtake it).
        const topic = this.client.topic(name, { batching: { maxMessages: 100, maxMilliseconds: 5 }, messageOrdering: true });
        if (this.options.createTopics) {
          const [exists] = await topic.exists();
          if (!exists) await ignoreExists(topic.create());
        }
        return topic;
      })();
      t.catch(() => this.topics.delete(name));
      this.topics.set(name, t);
    }
    return t;
  }

  async publish(topic: string, data: Buffer, attributes: Record<string, string>, options: PublishMessageOptions = {}): Promise<string> {
    const t = await this.topic(topic);
    try {
      return await t.publishMessage({ data, attributes, ...(options.orderingKey ? { orderingKey: options.orderingKey } : {}) });
    } catch (e) {
      // The caller keeps what failed and publishes it again (the outbox): the key may go on from there.
      if (options.orderingKey) t.resumePublishing(options.orderingKey);
      throw e;
    }
  }

  async subscribe(topicName: string, name: string, handler: RawHandler, options: SubscribeOptions = {}): Promise<Unsubscribe> {
    const topic = await this.topic(topicName);
    const maxInFlight = options.maxInFlight ?? 16;
    const subscriberOptions: SubscriberOptions = { flowControl: { maxMessages: maxInFlight, allowExcessMessages: false }, minAckDeadline: LEASE, maxAckDeadline: LEASE };
    const sub = topic.subscription(name, subscriberOptions);
    if (this.options.createTopics) {
      const [exists] = await sub.exists();
      if (!exists) {
        await ignoreExists(
          topic.createSubscription(name, {
            ackDeadlineSeconds: 60,
            retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 60 } },
            enableMessageOrdering: true,
          }),
        );
      }
    }
    sub.on('message', (m: Message) => {
      const attempt = (this.attempts.get(m.id) ?? 0) + 1;
      this.attempts.set(m.id, attempt);
      handler({
        id: m.id,
        topic: topicName,
        subscription: name,
        data: m.data,
        attributes: m.attributes,
        deliveryAttempt: Math.max(attempt, m.deliveryAttempt || 0),
      }).then(
        () => {
          this.attempts.delete(m.id);
          m.ack();
        },
        () => m.nack(),
      );
    });
    sub.on('error', (err: Error) => this.options.onError?.(err, `subscription ${name}`));
    this.subscriptions.set(sub, subscriberOptions);
    return async (stop: StopOptions = {}) => {
      this.subscriptions.delete(sub);
      await closeSubscription(sub, subscriberOptions, stop.drainMs ?? 0);
      sub.removeAllListeners('message');
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map(([s, o]) => closeSubscription(s, o, 0)));
    this.subscriptions.clear();
    await this.client.close();
  }

  /** A unique name for throwaway subscriptions (tests, per-process listeners). */
  static uniqueSuffix(): string {
    return randomUUID().slice(0, 8);
  }
}

/**
 * Closes a subscriber: the stream stops at once (nothing new is pulled); with a drain time the client keeps
 * leasing the messages whose handlers run and sends their acks and nacks until they are all settled or the time
 * is up; then it nacks what is left (redelivered elsewhere) and flushes. The client's default is to nack at once.
 */
async function closeSubscription(sub: Subscription, options: SubscriberOptions, drainMs: number): Promise<void> {
  // The client waits up to `timeout` minus one second (its final nack window) for the handlers.
  sub.setOptions({ ...options, closeOptions: drainMs > 0 ? { behavior: 'WAIT', timeout: Duration.from({ milliseconds: drainMs + 1000 }) } : { behavior: 'NACK' } });
  await sub.close();
}

async function ignoreExists(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if ((e as { code?: number }).code !== ALREADY_EXISTS) throw e;
  }
}
