// The Google Cloud Pub/Sub bus (or its emulator). Topics and subscriptions are created on demand where allowed
// (local, tests); in production the infra chart owns them and FASIT_BUS_CREATE_TOPICS=false.
import { randomUUID } from 'node:crypto';
import { PubSub, v1, type Topic } from '@google-cloud/pubsub';
import { PubSubPuller } from './pubsub-puller.js';
import {
  MAX_BATCH_BYTES,
  MAX_BATCH_MESSAGES,
  filterExpression,
  type AttributeFilter,
  type Bus,
  type OutgoingMessage,
  type PublishMessageOptions,
  type RawHandler,
  type StopOptions,
  type SubscribeOptions,
  type Unsubscribe,
} from './bus.js';

export interface PubSubBusOptions {
  projectId: string;
  emulatorHost?: string | undefined;
  createTopics: boolean;
  onError?: (err: Error, where: string) => void;
}

const ALREADY_EXISTS = 6;
const NOT_FOUND = 5;

/**
 * How long a message's lease lasts before it is extended again (every half lease while its handler runs). It is
 * also how long a message held by a subscriber that died without a word (kill -9, an evicted pod) stays
 * invisible, and with it every later message of its ordering key. The streaming client grew the lease to the 99th
 * percentile of its ack times, up to 10 minutes: after one slow handler (a helm run, a database restart) a killed
 * subscriber's message, with its whole ordering key, came back only minutes later. docs/decisions/0017-short-leases.md.
 */
export const PUBSUB_LEASE_SECONDS = 10;

type SubscriberClient = InstanceType<typeof v1.SubscriberClient>;
type PublisherClient = InstanceType<typeof v1.PublisherClient>;

/** Splits a batch into publish requests within Pub/Sub's limits (count, and bytes with some room for attributes). */
export function publishRequests(messages: readonly OutgoingMessage[]): OutgoingMessage[][] {
  const requests: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = m.data.length + (m.orderingKey?.length ?? 0) + Object.entries(m.attributes).reduce((n, [k, v]) => n + k.length + v.length, 0) + 64;
    if (current.length > 0 && (current.length >= MAX_BATCH_MESSAGES || bytes + size > MAX_BATCH_BYTES)) {
      requests.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

export class PubSubBus implements Bus {
  readonly kind = 'pubsub' as const;
  private readonly client: PubSub;
  private readonly topics = new Map<string, Promise<Topic>>();
  private readonly pullers = new Set<PubSubPuller>();
  private subscriber: Promise<SubscriberClient> | undefined;
  private publisher: Promise<PublisherClient> | undefined;

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
      // The topic is gone (an emulator restarted empty): where we create topics, the next attempt creates it again.
      if ((e as { code?: number }).code === NOT_FOUND) this.topics.delete(topic);
      throw e;
    }
  }

  /**
   * One Publish request per MAX_BATCH_MESSAGES messages (the client library would send a request per ordering key):
   * a fan-out to a shard's environments is one request, not one per environment. A request is all or nothing.
   */
  async publishBatch(topic: string, messages: readonly OutgoingMessage[]): Promise<string[]> {
    if (messages.length === 0) return [];
    await this.topic(topic);
    const client = await this.publisherClient();
    const ids: string[] = [];
    for (const request of publishRequests(messages)) {
      try {
        const [response] = await client.publish({
          topic: `projects/${this.options.projectId}/topics/${topic}`,
          messages: request.map((m) => ({ data: m.data, attributes: m.attributes, ...(m.orderingKey ? { orderingKey: m.orderingKey } : {}) })),
        });
        ids.push(...(response.messageIds ?? []));
      } catch (e) {
        if ((e as { code?: number }).code === NOT_FOUND) this.topics.delete(topic);
        throw e;
      }
    }
    return ids;
  }

  async subscribe(topicName: string, name: string, handler: RawHandler, options: SubscribeOptions = {}): Promise<Unsubscribe> {
    await this.ensureSubscription(topicName, name, false, options.filter);
    const puller = new PubSubPuller({
      client: await this.subscriberClient(),
      path: `projects/${this.options.projectId}/subscriptions/${name}`,
      topic: topicName,
      subscription: name,
      handler,
      maxInFlight: options.maxInFlight ?? 16,
      leaseSeconds: PUBSUB_LEASE_SECONDS,
      onError: (err) => this.options.onError?.(err, `subscription ${name}`),
      // The subscription is gone (an emulator restarted empty): where we create them, it is created again. What it
      // held is lost with it, as with any lost message: the sweeps and timeouts of the consumers repair it.
      ...(this.options.createTopics ? { recreate: () => this.ensureSubscription(topicName, name, true, options.filter) } : {}),
    });
    this.pullers.add(puller);
    return async (stop: StopOptions = {}) => {
      this.pullers.delete(puller);
      await puller.stop(stop.drainMs ?? 0);
    };
  }

  async createSubscription(topic: string, name: string, options: { filter?: AttributeFilter } = {}): Promise<void> {
    await this.ensureSubscription(topic, name, false, options.filter, true);
  }

  async deleteSubscription(name: string): Promise<void> {
    try {
      await this.client.subscription(name).delete();
    } catch (e) {
      if ((e as { code?: number }).code !== NOT_FOUND) throw e;
    }
  }

  private async ensureSubscription(topicName: string, name: string, again = false, filter?: AttributeFilter, always = false): Promise<void> {
    if (again) this.topics.delete(topicName);
    const topic = await this.topic(topicName);
    if (!this.options.createTopics && !always) return;
    const [exists] = await topic.subscription(name).exists();
    if (exists) return;
    try {
      await ignoreExists(
        topic.createSubscription(name, {
          ackDeadlineSeconds: PUBSUB_LEASE_SECONDS,
          retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 60 } },
          enableMessageOrdering: true,
          ...(filter ? { filter: filterExpression(filter) } : {}),
        }),
      );
    } catch (e) {
      // The topic we knew is gone too (an emulator restarted empty): create both.
      if ((e as { code?: number }).code === NOT_FOUND && !again && this.options.createTopics)
        return this.ensureSubscription(topicName, name, true, filter, always);
      throw e;
    }
  }

  private subscriberClient(): Promise<SubscriberClient> {
    // The documented way to a GAPIC client with this PubSub's settings (emulator address, credentials).
    this.subscriber ??= this.client.getClientConfig().then(async ({ port, ...config }) => {
      const client = new v1.SubscriberClient({ ...config, ...(port === undefined ? {} : { port: Number(port) }) });
      await client.initialize();
      return client;
    });
    return this.subscriber;
  }

  private publisherClient(): Promise<PublisherClient> {
    this.publisher ??= this.client.getClientConfig().then(async ({ port, ...config }) => {
      const client = new v1.PublisherClient({ ...config, ...(port === undefined ? {} : { port: Number(port) }) });
      await client.initialize();
      return client;
    });
    return this.publisher;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pullers].map((p) => p.stop(0)));
    this.pullers.clear();
    if (this.subscriber) await (await this.subscriber).close();
    if (this.publisher) await (await this.publisher).close();
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
