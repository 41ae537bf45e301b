// The typed layer over a Bus: validates every payload against its topic's contract on publish and on
// receipt, carries event and correlation ids, retries transient failures and dead-letters the rest. With tracing
// on (@fasit/tracing), every publish is a producer span whose W3C trace context (`traceparent`, `tracestate`) goes
// out as message attributes, and every delivery a consumer span continuing it: one trace follows a change.
import { randomUUID } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Span, type Tracer } from '@opentelemetry/api';
import { ContractViolation, validateAttributes, validatePayload } from '../catalogue/validation.js';
import type { PayloadOf, TopicName } from '../catalogue/topics.js';
import { catalogueEntryOf } from '../catalogue/topics.js';
import { orderingKeyOf } from '../catalogue/ordering.js';
import type { Bus, BusMessage, OutgoingMessage, SubscribeOptions, Unsubscribe } from './bus.js';
import { isUnavailable } from './unavailable.js';

export interface EventContext {
  eventId: string;
  correlationId: string;
  topic: string;
  deliveryAttempt: number;
  attributes: Readonly<Record<string, string>>;
  /** The message body exactly as received (for signature checks). */
  rawData: string;
}

export interface PublishOptions {
  eventId?: string;
  correlationId?: string;
  attributes?: Record<string, string>;
  /**
   * The trace context the event was written in (the outbox keeps it with the row): the publish continues that trace.
   * Without it, the publish continues the active one.
   */
  traceContext?: TraceContext;
}

/** The W3C trace context as carried in message attributes and outbox rows. */
export interface TraceContext {
  traceparent?: string;
  tracestate?: string;
}

/** The active trace context (empty when tracing is off or no span is active): what the outbox stores with a row. */
export function activeTraceContext(): TraceContext {
  const carrier: TraceContext = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** The attributes tracing owns: never taken from a caller's attributes, only from the publish's own span. */
const TRACE_ATTRIBUTES = new Set(['traceparent', 'tracestate']);

/**
 * What a handler may say about a delivery it dropped: `duplicate` when it was applied before, `stale` when something
 * newer of its aggregate was (docs/decisions/0018-aggregate-versions.md). Either is acked and changed nothing.
 */
export type HandlerOutcome = void | 'duplicate' | 'stale';

export type EventHandler<T> = (payload: T, ctx: EventContext) => Promise<HandlerOutcome>;

export type ConsumeResult = 'ok' | 'duplicate' | 'stale' | 'retried' | 'dead-lettered';

/** Told of every delivery's outcome and every publish (metrics). Topics are catalogue families, never per environment. */
export interface BusObserver {
  consumed(topic: string, result: ConsumeResult, seconds: number): void;
  published(topic: string, result: 'ok' | 'failed'): void;
}

/**
 * Told of a message that breaks its topic's contract, before it is dead-lettered (naisd reports such messages on
 * its instruction topic). A retryable failure redelivers the message, like a handler's.
 */
export type ContractViolationHandler = (ctx: EventContext, reason: string) => Promise<void>;

export interface ConsumeOptions extends SubscribeOptions {
  onContractViolation?: ContractViolationHandler;
}

export interface BusLogger {
  debug?(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function isRetryable(err: unknown): boolean {
  return (err as { retryable?: unknown } | null)?.retryable !== false;
}

/** A topic as metrics name it: its catalogue entry (an agent's instruction topic is `naisd.instructions.v2`). */
export function topicFamily(topic: string): string {
  return catalogueEntryOf(topic) ?? (topic.endsWith(DEAD_LETTER_SUFFIX) ? 'dead-letter' : 'unknown');
}

export const DEAD_LETTER_SUFFIX = '.dead-letter';

/** The trace context a message carries (only the two W3C attributes; the propagator checks their format). */
function traceContextOf(attributes: Readonly<Record<string, string>>): TraceContext {
  const { traceparent, tracestate } = attributes;
  return { ...(traceparent !== undefined ? { traceparent } : {}), ...(tracestate !== undefined ? { tracestate } : {}) };
}

export class EventBus {
  private readonly tracer: Tracer;

  constructor(
    readonly bus: Bus,
    private readonly options: { maxDeliveries: number; logger?: BusLogger; observer?: BusObserver; service?: string },
  ) {
    this.tracer = trace.getTracer(options.service ?? 'fasit-bus');
  }

  /**
   * The same bus, observed by `observer` (each service of an embedded platform observes its own traffic), its spans
   * named after `service` (their instrumentation scope).
   */
  observed(observer: BusObserver, service?: string): EventBus {
    return new EventBus(this.bus, { ...this.options, observer, ...(service ? { service } : {}) });
  }

  /** Publishes to a catalogue topic (or a member of a topic family such as an agent's instruction topic). */
  async publish<T extends TopicName>(topic: T | string, payload: T extends TopicName ? PayloadOf<T> : unknown, o: PublishOptions = {}): Promise<string> {
    validatePayload(topic, payload);
    validateAttributes(topic, payload, o.attributes ?? {});
    return this.publishRaw(topic, JSON.stringify(payload), orderingKeyOf(topic, payload), o);
  }

  /**
   * Publishes many events to one topic in as few requests as the bus allows (`Bus.publishBatch`: up to 1,000 per
   * request on Pub/Sub), each validated, with its own ids, attributes, ordering key and producer span. All or nothing
   * for the caller: it rejects when any request failed (what did go out is at-least-once, as any publish).
   */
  async publishBatch<T extends TopicName>(
    topic: T | string,
    events: readonly { payload: T extends TopicName ? PayloadOf<T> : unknown; options?: PublishOptions }[],
  ): Promise<string[]> {
    for (const e of events) {
      validatePayload(topic, e.payload);
      validateAttributes(topic, e.payload, e.options?.attributes ?? {});
    }
    const family = topicFamily(topic);
    const prepared = events.map((e) => this.prepare(topic, JSON.stringify(e.payload), orderingKeyOf(topic, e.payload), e.options ?? {}));
    try {
      const ids = await this.bus.publishBatch(
        topic,
        prepared.map((p) => p.message),
      );
      prepared.forEach((p, i) => {
        p.span.setAttribute('messaging.message.id', ids[i] ?? '');
        this.options.observer?.published(family, 'ok');
      });
      return ids;
    } catch (e) {
      for (const p of prepared) {
        p.span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
        this.options.observer?.published(family, 'failed');
      }
      throw e;
    } finally {
      for (const p of prepared) p.span.end();
    }
  }

  /** Publishes an already serialized payload (the outbox relay), validating it again. */
  async publishSerialized(topic: string, json: string, o: PublishOptions = {}): Promise<string> {
    const payload: unknown = JSON.parse(json);
    validatePayload(topic, payload);
    validateAttributes(topic, payload, o.attributes ?? {});
    return this.publishRaw(topic, json, orderingKeyOf(topic, payload), o);
  }

  /** Every event goes out with its aggregate's ordering key (`catalogue/ordering.ts`), where it has one. */
  private async publishRaw(topic: string, json: string, orderingKey: string | undefined, o: PublishOptions): Promise<string> {
    const family = topicFamily(topic);
    const { span, message } = this.prepare(topic, json, orderingKey, o);
    try {
      const id = await this.bus.publish(topic, message.data, message.attributes, message.orderingKey ? { orderingKey: message.orderingKey } : {});
      span.setAttribute('messaging.message.id', id);
      this.options.observer?.published(family, 'ok');
      return id;
    } catch (e) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
      this.options.observer?.published(family, 'failed');
      throw e;
    } finally {
      span.end();
    }
  }

  /** The message of one event: its ids and the caller's attributes, and the trace context of its producer span (started here). */
  private prepare(topic: string, json: string, orderingKey: string | undefined, o: PublishOptions): { span: Span; message: OutgoingMessage } {
    const eventId = o.eventId ?? randomUUID();
    const correlationId = o.correlationId ?? eventId;
    const parent = o.traceContext ? propagation.extract(ROOT_CONTEXT, o.traceContext) : context.active();
    const span = this.tracer.startSpan(
      `publish ${topicFamily(topic)}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'gcp_pubsub',
          'messaging.operation.type': 'send',
          'messaging.destination.name': topic,
          'fasit.event_id': eventId,
          'fasit.correlation_id': correlationId,
        },
      },
      parent,
    );
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(o.attributes ?? {})) if (!TRACE_ATTRIBUTES.has(k)) attributes[k] = v;
    propagation.inject(trace.setSpan(parent, span), attributes);
    return { span, message: { data: Buffer.from(json), attributes: { ...attributes, eventId, correlationId }, ...(orderingKey ? { orderingKey } : {}) } };
  }

  /**
   * Consumes `topic` on subscription `<topic>.<consumer>`. The handler's promise decides: resolved → ack;
   * rejected with a retryable error → redelivery, up to maxDeliveries; otherwise (or a payload that breaks
   * the contract) → the message goes to `<subscription>.dead-letter` and is acked.
   */
  async consume<T extends TopicName>(
    topic: T | string,
    consumer: string,
    handler: EventHandler<T extends TopicName ? PayloadOf<T> : unknown>,
    options: ConsumeOptions = {},
  ): Promise<Unsubscribe> {
    if (!catalogueEntryOf(topic)) throw new ContractViolation(`topic ${topic} is not in the catalogue`);
    const subscription = `${topic}.${consumer}`;
    const { onContractViolation, ...subscribe } = options;
    return this.bus.subscribe(topic, subscription, (m) => this.deliver(m, handler as EventHandler<unknown>, onContractViolation), subscribe);
  }

  /**
   * A delivery is a consumer span continuing the trace its message carries (a missing or malformed `traceparent`
   * starts a new trace; nothing else about the delivery changes), active while the handler runs.
   */
  private deliver(m: BusMessage, handler: EventHandler<unknown>, onContractViolation?: ContractViolationHandler): Promise<void> {
    const parent = propagation.extract(ROOT_CONTEXT, traceContextOf(m.attributes));
    const span = this.tracer.startSpan(
      `process ${topicFamily(m.topic)}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'gcp_pubsub',
          'messaging.operation.type': 'process',
          'messaging.destination.name': m.topic,
          'messaging.destination.subscription.name': m.subscription,
          'messaging.message.id': m.id,
          'messaging.gcp_pubsub.message.delivery_attempt': m.deliveryAttempt,
          ...(m.attributes['eventId'] ? { 'fasit.event_id': m.attributes['eventId'] } : {}),
          ...(m.attributes['correlationId'] ? { 'fasit.correlation_id': m.attributes['correlationId'] } : {}),
        },
      },
      parent,
    );
    const traced = (result: ConsumeResult, error?: string) => {
      span.setAttribute('fasit.result', result);
      if (result === 'retried' || result === 'dead-lettered') span.setStatus({ code: SpanStatusCode.ERROR, ...(error ? { message: error } : {}) });
    };
    return context.with(trace.setSpan(parent, span), () => this.handle(m, handler, onContractViolation, traced).finally(() => span.end()));
  }

  private async handle(
    m: BusMessage,
    handler: EventHandler<unknown>,
    onContractViolation: ContractViolationHandler | undefined,
    traced: (result: ConsumeResult, error?: string) => void,
  ): Promise<void> {
    const started = process.hrtime.bigint();
    const observe = (result: ConsumeResult, error?: string) => {
      traced(result, error);
      this.options.observer?.consumed(topicFamily(m.topic), result, Number(process.hrtime.bigint() - started) / 1e9);
    };
    const ctx: EventContext = {
      eventId: m.attributes['eventId'] ?? m.id,
      correlationId: m.attributes['correlationId'] ?? m.attributes['eventId'] ?? m.id,
      topic: m.topic,
      deliveryAttempt: m.deliveryAttempt,
      attributes: m.attributes,
      rawData: m.data.toString('utf8'),
    };
    let payload: unknown;
    try {
      payload = JSON.parse(ctx.rawData);
      validatePayload(m.topic, payload);
    } catch (e) {
      const reason = e instanceof ContractViolation ? e.message : `invalid JSON: ${(e as Error).message}`;
      if (onContractViolation) {
        try {
          await this.tell(m, ctx, reason, onContractViolation);
        } catch (told) {
          observe('retried', told instanceof Error ? told.message : String(told));
          throw told;
        }
      }
      await this.deadLetter(m, reason);
      observe('dead-lettered', reason);
      return;
    }
    try {
      const outcome = await handler(payload, ctx);
      if (outcome === 'duplicate' || outcome === 'stale') {
        this.options.logger?.debug?.(outcome === 'stale' ? 'event dropped: older than what was applied' : 'event dropped: applied before', {
          topic: m.topic,
          eventId: ctx.eventId,
          correlationId: ctx.correlationId,
        });
      }
      observe(outcome ?? 'ok');
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      // A dependency out of reach is no fault of the message: never dead-lettered for it (see unavailable.ts).
      const unavailable = isUnavailable(e);
      if (isRetryable(e) && (m.deliveryAttempt < this.options.maxDeliveries || unavailable)) {
        this.options.logger?.warn(
          unavailable ? 'handler failed: a dependency is unavailable; message will be redelivered' : 'handler failed; message will be redelivered',
          {
            topic: m.topic,
            eventId: ctx.eventId,
            attempt: m.deliveryAttempt,
            error: reason,
          },
        );
        observe('retried', reason);
        throw e;
      }
      await this.deadLetter(m, reason);
      observe('dead-lettered', reason);
    }
  }

  private async tell(m: BusMessage, ctx: EventContext, reason: string, onContractViolation: ContractViolationHandler): Promise<void> {
    try {
      await onContractViolation(ctx, reason);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      if (isRetryable(e) && m.deliveryAttempt < this.options.maxDeliveries) {
        this.options.logger?.warn('contract violation handler failed; message will be redelivered', {
          topic: m.topic,
          eventId: ctx.eventId,
          attempt: m.deliveryAttempt,
          error,
        });
        throw e;
      }
      this.options.logger?.error('contract violation handler failed', { topic: m.topic, eventId: ctx.eventId, error });
    }
  }

  private async deadLetter(m: BusMessage, reason: string): Promise<void> {
    const topic = m.subscription + DEAD_LETTER_SUFFIX;
    this.options.logger?.error('message dead-lettered', { topic: m.topic, subscription: m.subscription, messageId: m.id, reason });
    await this.bus.publish(topic, m.data, { ...m.attributes, deadLetterReason: reason.slice(0, 1000), originalTopic: m.topic });
  }
}
