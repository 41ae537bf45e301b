// NestJS transport strategy over the EventBus: every @EventPattern(topic) handler of the app consumes
// `<topic>.<consumer>`. The handler's outcome decides ack / redelivery / dead-letter (see EventBus.consume).
import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { BaseRpcContext, Ctx, EventPattern, Payload, Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { PayloadOf, TopicName } from '../catalogue/topics.js';
import { isObservable, lastValueFrom, throwError, type Observable } from 'rxjs';
import type { Unsubscribe } from '../transport/bus.js';
import type { ContractViolationHandler, EventBus, EventContext } from '../transport/event-bus.js';

export class BusContext extends BaseRpcContext<[EventContext]> {
  get event(): EventContext {
    return this.getArgByIndex(0) as EventContext;
  }
}

export interface BusServerOptions {
  consumer: string;
  /** Maps a handler's pattern to the concrete topic (e.g. an agent's own instruction topic). */
  topicFor?: (pattern: string) => string;
  /** Concurrency per topic; defaults to 16. */
  maxInFlight?: (pattern: string) => number;
  /** Per topic: told of a message that breaks the contract, before it is dead-lettered. */
  onContractViolation?: (pattern: string) => ContractViolationHandler | undefined;
  /** How long `drain()` (and Nest's close) lets running handlers finish before nacking them; 0 nacks at once. */
  drainMs?: number;
}

export class BusServer extends Server implements CustomTransportStrategy {
  private stops: Unsubscribe[] = [];

  constructor(
    private readonly bus: EventBus,
    private readonly options: BusServerOptions,
  ) {
    super();
  }

  listen(callback: (err?: unknown) => void): void {
    this.subscribeAll().then(() => callback(), callback);
  }

  private async subscribeAll(): Promise<void> {
    for (const pattern of this.getHandlers().keys()) {
      const topic = this.options.topicFor?.(pattern) ?? pattern;
      const stop = await this.bus.consume(
        topic,
        this.options.consumer,
        async (payload, ctx) => {
          const handler = this.getHandlerByPattern(pattern);
          if (!handler) throw new Error(`no handler for ${pattern}`);
          let result: unknown = await handler(payload, new BusContext([ctx]));
          if (isObservable(result)) result = await lastValueFrom(result, { defaultValue: undefined });
          // A handler that returns 'duplicate' applied nothing new (counted as such in the metrics).
          return result === 'duplicate' ? 'duplicate' : undefined;
        },
        { maxInFlight: this.options.maxInFlight?.(pattern) ?? 16, ...this.contractViolationHandler(pattern) },
      );
      this.stops.push(stop);
    }
  }

  private contractViolationHandler(pattern: string): { onContractViolation?: ContractViolationHandler } {
    const handler = this.options.onContractViolation?.(pattern);
    return handler ? { onContractViolation: handler } : {};
  }

  /**
   * Graceful drain: every subscription stops pulling at once; handlers already running get up to `drainMs` to
   * finish (their acks are sent), then what is still running is nacked for another replica. Idempotent.
   */
  async drain(): Promise<void> {
    const stops = this.stops;
    this.stops = [];
    await Promise.all(stops.map((s) => s({ drainMs: this.options.drainMs ?? 0 })));
  }

  async close(): Promise<void> {
    await this.drain();
  }

  on(): void {
    // No transport-level events to forward.
  }

  unwrap<T>(): T {
    return this.bus as T;
  }
}

/**
 * `@OnEvent(topic)`: an @EventPattern whose handler must take that topic's payload type (and optionally the
 * BusContext), so a handler that drifts from its contract does not compile.
 */
export function OnEvent<T extends TopicName>(topic: T) {
  // Generic over the method so async handlers (returning Promise<void>) type-check too.
  return <M extends (payload: PayloadOf<T>, ctx: BusContext) => unknown>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    EventPattern<string>(topic)(target, key, descriptor);
    Payload()(target, key, 0);
    Ctx()(target, key, 1);
  };
}

/**
 * Lets a handler's own error reach the BusServer unchanged (Nest's default RPC filter would replace it with a
 * generic object and lose its `retryable` flag). Install it on the microservice: `ms.useGlobalFilters(new
 * BusErrorFilter())`.
 */
@Catch()
export class BusErrorFilter implements RpcExceptionFilter {
  catch(error: unknown): Observable<never> {
    return throwError(() => error);
  }
}
