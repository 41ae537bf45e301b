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

export interface Bus {
  readonly kind: 'pubsub' | 'memory';
  /** Creates the topic if missing (when the bus is allowed to). */
  ensureTopic(topic: string): Promise<void>;
  publish(topic: string, data: Buffer, attributes: Record<string, string>): Promise<string>;
  /** Creates the subscription if missing and starts delivering. Returns a function that stops delivery. */
  subscribe(topic: string, subscription: string, handler: RawHandler, options?: SubscribeOptions): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
