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

export interface SubscribeOptions {
  /** Messages handled concurrently by this subscriber (1 = strictly serial). */
  maxInFlight?: number;
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
  /** Creates the subscription if missing and starts delivering. Returns a function that stops delivery. */
  subscribe(topic: string, subscription: string, handler: RawHandler, options?: SubscribeOptions): Promise<Unsubscribe>;
  close(): Promise<void>;
}
