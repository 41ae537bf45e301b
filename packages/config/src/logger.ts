// Structured JSON logs, one line per entry, with the correlation ids (diid, eventId) that follow a change
// through every service, and the trace (`traceId`, `spanId`) when a span is active (tracing on, @fasit/tracing).
// Implements Nest's LoggerService so framework logs come out the same way.
import type { LoggerService } from '@nestjs/common';
import { isSpanContextValid, trace } from '@opentelemetry/api';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

export class JsonLogger implements LoggerService {
  constructor(
    private readonly service: string,
    private readonly level: LogLevel = 'info',
    private readonly write: (line: string) => void = (l) => process.stdout.write(l + '\n'),
  ) {}

  child(context: string): ContextLogger {
    return new ContextLogger(this, context);
  }

  entry(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
    if (LEVELS[level] < LEVELS[this.level]) return;
    this.write(JSON.stringify({ time: new Date().toISOString(), level, service: this.service, msg, ...activeTrace(), ...fields }));
  }

  log(message: unknown, context?: string): void {
    this.entry('info', String(message), context ? { context } : {});
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.entry('error', String(message), { ...(context ? { context } : {}), ...(trace ? { trace } : {}) });
  }
  warn(message: unknown, context?: string): void {
    this.entry('warn', String(message), context ? { context } : {});
  }
  debug(message: unknown, context?: string): void {
    this.entry('debug', String(message), context ? { context } : {});
  }
  verbose(message: unknown, context?: string): void {
    this.entry('debug', String(message), context ? { context } : {});
  }
}

/** The active span's ids, when tracing is on and a span is active. */
function activeTrace(): { traceId?: string; spanId?: string } {
  const c = trace.getActiveSpan()?.spanContext();
  return c && isSpanContextValid(c) ? { traceId: c.traceId, spanId: c.spanId } : {};
}

export class ContextLogger {
  constructor(
    private readonly root: JsonLogger,
    private readonly context: string,
  ) {}
  debug(msg: string, fields: Record<string, unknown> = {}): void {
    this.root.entry('debug', msg, { context: this.context, ...fields });
  }
  info(msg: string, fields: Record<string, unknown> = {}): void {
    this.root.entry('info', msg, { context: this.context, ...fields });
  }
  warn(msg: string, fields: Record<string, unknown> = {}): void {
    this.root.entry('warn', msg, { context: this.context, ...fields });
  }
  error(msg: string, fields: Record<string, unknown> = {}): void {
    this.root.entry('error', msg, { context: this.context, ...fields });
  }
}
