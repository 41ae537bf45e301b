// Spans as JSON lines, one file per process (`<dir>/<service>-<pid>.jsonl`): what the demo writes and what a test
// or a person reads with `jq` without a collector (docs/decisions/0020-trace-export-in-the-demo.md).
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode, type HrTime } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/** One exported span, as written. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  /** Absent on a trace's root span. */
  parentSpanId?: string;
  name: string;
  kind: 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  /** The process's `service.name`. */
  service: string;
  /** The instrumentation scope: the service that made the span (differs from `service` in an embedded platform). */
  scope: string;
  startTime: string;
  durationMs: number;
  status: 'unset' | 'ok' | 'error';
  statusMessage?: string;
  attributes: Record<string, unknown>;
}

const KINDS = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
} as const;
const STATUSES = { [SpanStatusCode.UNSET]: 'unset', [SpanStatusCode.OK]: 'ok', [SpanStatusCode.ERROR]: 'error' } as const;

export function spanRecord(span: ReadableSpan): SpanRecord {
  const c = span.spanContext();
  const parent = span.parentSpanContext?.spanId;
  return {
    traceId: c.traceId,
    spanId: c.spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    name: span.name,
    kind: KINDS[span.kind],
    service: serviceName(span.resource.attributes['service.name']),
    scope: span.instrumentationScope.name,
    startTime: new Date(millis(span.startTime)).toISOString(),
    durationMs: millis(span.duration),
    status: STATUSES[span.status.code],
    ...(span.status.message ? { statusMessage: span.status.message } : {}),
    attributes: { ...span.attributes },
  };
}

function serviceName(value: unknown): string {
  return typeof value === 'string' ? value : 'unknown';
}

function millis([s, ns]: HrTime): number {
  return s * 1000 + ns / 1e6;
}

export class JsonLinesSpanExporter implements SpanExporter {
  private readonly file: string;

  constructor(dir: string, service: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, `${service.replace(/[^a-zA-Z0-9_.-]/g, '_')}-${process.pid}.jsonl`);
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    try {
      // One write per batch, appended: a reader never sees half a batch's lines interleaved with another's.
      appendFileSync(this.file, spans.map((s) => JSON.stringify(spanRecord(s)) + '\n').join(''));
      done({ code: ExportResultCode.SUCCESS });
    } catch (e) {
      done({ code: ExportResultCode.FAILED, error: e as Error });
    }
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}
