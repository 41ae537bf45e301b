// The Google Cloud Pub/Sub bus (or its emulator). Topics and subscriptions are created on demand where allowed
// (local, tests); in production the infra chart owns them and FASIT_BUS_CREATE_TOPICS=false.
import { randomUUID } from 'node:crypto';
import { PubSub, type Message, type Subscription, type Topic } from '@google-cloud/pubsub';
import type { Bus, RawHandler, SubscribeOptions } from './bus.js';

export interface PubSubBusOptions {
  projectId: string;
  emulatorHost?: string | undefined;
  createTopics: boolean;
  onError?: (err: Error, where: string) => void;
}

const ALREADY_EXISTS = 6;

export class PubSubBus implements Bus {
  readonly kind = 'pubsub' as const;
  private readonly client: PubSub;
  private readonly topics = new Map<string, Promise<Topic>>();
  private readonly subscriptions = new Set<Subscription>();
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
        const topic = this.client.topic(name, { batching: { maxMessages: 100, maxMilliseconds: 5 } });
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

  async publish(topic: string, data: Buffer, attributes: Record<string, string>): Promise<string> {
    return (await this.topic(topic)).publishMessage({ data, attributes });
  }

  async subscribe(topicName: string, name: string, handler: RawHandler, options: SubscribeOptions = {}): Promise<() => Promise<void>> {
    const topic = await this.topic(topicName);
    const maxInFlight = options.maxInFlight ?? 16;
    const sub = topic.subscription(name, {
      flowControl: { maxMessages: maxInFlight, allowExcessMessages: false },
    });
    if (this.options.createTopics) {
      const [exists] = await sub.exists();
      if (!exists) {
        await ignoreExists(
          topic.createSubscription(name, {
            ackDeadlineSeconds: 60,
            retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 60 } },
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
    this.subscriptions.add(sub);
    return async () => {
      this.subscriptions.delete(sub);
      sub.removeAllListeners('message');
      await sub.close();
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.subscriptions.clear();
    await this.client.close();
  }

  /** A unique name for throwaway subscriptions (tests, per-process listeners). */
  static uniqueSuffix(): string {
    return randomUUID().slice(0, 8);
  }
}

async function ignoreExists(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if ((e as { code?: number }).code !== ALREADY_EXISTS) throw e;
  }
}
