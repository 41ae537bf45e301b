// The transport contract both buses implement: at-least-once delivery of opaque messages to named
// subscriptions. A handler that resolves acks the message; one that rejects nacks it (redelivered later).

export interface BusMessage {
  id: string;
  topic: string;
  subscription: string;
  data: Buffer;
  attributes: Readonly<Record<string, string>>;
  /** 1 on first delivery. */
  deliveryAttempt: number;
}

export type RawHandler = (message: BusMessage) => Promise<void>;

/**
 * A subscription filter: the attributes a message must carry, each with exactly this value (Pub/Sub's
 * `attributes.<name> = "<value>"`, joined with AND). Set when the subscription is created and never changed after.
 */
export type AttributeFilter = Readonly<Record<string, string>>;

export interface SubscribeOptions {
  /** Messages handled concurrently by this subscriber (1 = strictly serial). */
  maxInFlight?: number;
  /**
   * Where the subscription is created here: it delivers only messages that match. Pub/Sub applies it on the server
   * and acks the rest on the subscription's behalf; the in-process bus applies it too; the emulator stores it but
   * delivers everything (docs/decisions/0024-instruction-delivery-at-scale.md).
   */
  filter?: AttributeFilter;
}

/** One message of a batch publish. */
export interface OutgoingMessage {
  data: Buffer;
  attributes: Record<string, string>;
  orderingKey?: string;
}

/** Pub/Sub's limits of one publish request: 1,000 messages, 10 MB (a batch is split to stay within them). */
export const MAX_BATCH_MESSAGES = 1000;
export const MAX_BATCH_BYTES = 9_000_000;

/** The Pub/Sub filter expression of an attribute filter: `attributes.environment = "acme/dev"`. */
export function filterExpression(filter: AttributeFilter): string {
  const quoted = (v: string) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  return Object.entries(filter)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `attributes.${k} = ${quoted(v)}`)
    .join(' AND ');
}

/** Whether a message's attributes match a filter (what Pub/Sub evaluates on the server). */
export function matchesFilter(filter: AttributeFilter | undefined, attributes: Readonly<Record<string, string>>): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([k, v]) => attributes[k] === v);
}

export interface PublishMessageOptions {
  /**
   * Messages of one aggregate share an ordering key: Pub/Sub publishes and delivers them in publishing order
   * (the consumers still drop what is older than what they applied, since a redelivery can come late).
   */
  orderingKey?: string;
}

export interface StopOptions {
  /**
   * Graceful drain: stop pulling at once, let the handlers already running finish for up to this long (their
   * ack or nack is sent), then nack what is still running. 0 (the default) nacks everything in flight now.
   */
  drainMs?: number;
}

/** Stops a subscriber (see StopOptions); resolves when its messages are settled. */
export type Unsubscribe = (options?: StopOptions) => Promise<void>;

export interface Bus {
  readonly kind: 'pubsub' | 'memory';
  /** Creates the topic if missing (when the bus is allowed to). */
  ensureTopic(topic: string): Promise<void>;
  publish(topic: string, data: Buffer, attributes: Record<string, string>, options?: PublishMessageOptions): Promise<string>;
  /**
   * Publishes many messages to one topic in as few requests as Pub/Sub allows (MAX_BATCH_MESSAGES, MAX_BATCH_BYTES
   * each); resolves with their ids in order once all are published. Messages of one ordering key keep their order.
   */
  publishBatch(topic: string, messages: readonly OutgoingMessage[]): Promise<string[]>;
  /**
   * Creates a subscription (with its filter) without subscribing: it keeps what is published from now on for whoever
   * pulls it later (an agent's filtered subscription, made by the control plane). One that exists is left as it is.
   * Created even where the bus does not create topics (production: the topics are the infra's, an environment's
   * subscription the catalog's).
   */
  createSubscription(topic: string, subscription: string, options?: { filter?: AttributeFilter }): Promise<void>;
  /** Deletes a subscription and what it kept; one that does not exist is fine. */
  deleteSubscription(subscription: string): Promise<void>;
  /** Creates the subscription if missing and starts delivering. Returns a function that stops delivery. */
  subscribe(topic: string, subscription: string, handler: RawHandler, options?: SubscribeOptions): Promise<Unsubscribe>;
  close(): Promise<void>;
}
