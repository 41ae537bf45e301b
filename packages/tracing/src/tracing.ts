// The OpenTelemetry SDK, set up once per process: an AsyncLocalStorage context manager (the active span follows
// async work), the W3C trace context propagator (`traceparent`, `tracestate`: HTTP headers, outbox rows and Pub/Sub
// attributes) and one exporter the configuration chooses. Off by default: then nothing is registered, the API's
// no-op tracer answers every call and nothing is propagated.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ConfigError } from '@fasit/config';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { JsonLinesSpanExporter } from './json-lines.exporter.js';

export type TracingMode = 'off' | 'console' | 'file' | 'otlp';

export interface TracingConfig {
  tracing: TracingMode;
  /** `file`: the directory each process writes `<service>-<pid>.jsonl` into. */
  tracingDir: string;
  /** `otlp`: the collector's base URL (`http://collector:4318`); spans go to `<url>/v1/traces` as OTLP/HTTP JSON. */
  otlpEndpoint: string | undefined;
}

export interface Tracing {
  readonly mode: TracingMode;
  /** Exports what is still buffered (call it on shutdown, after the last span ended). */
  flush(): Promise<void>;
}

const OFF: Tracing = { mode: 'off', flush: () => Promise.resolve() };

let installed: { provider: TracerProvider; tracing: Tracing } | undefined;

/**
 * Sets tracing up for this process as `service` (the resource's `service.name`). Once per process: an embedded
 * platform runs every service in one process, so later calls return the first set-up (each service still names its
 * spans' instrumentation scope after itself). `exporter` replaces the configured one (tests).
 */
export function startTracing(config: TracingConfig, service: string, options: { exporter?: SpanExporter } = {}): Tracing {
  if (installed) return installed.tracing;
  if (config.tracing === 'off' && !options.exporter) return OFF;
  const exporter = options.exporter ?? exporterFor(config, service);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    // A second is short enough for a demo or a test to read the spans soon; batches keep the cost off the handlers.
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: config.tracing === 'otlp' ? 5000 : 1000 })],
  });
  const contextManager = new AsyncLocalStorageContextManager();
  contextManager.enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const tracing: Tracing = { mode: config.tracing, flush: () => provider.forceFlush() };
  installed = { provider, tracing };
  return tracing;
}

/** Undoes startTracing (tests that set tracing up more than once in one process). */
export async function stopTracing(): Promise<void> {
  if (!installed) return;
  const { provider } = installed;
  installed = undefined;
  await provider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
}

function exporterFor(config: TracingConfig, service: string): SpanExporter {
  switch (config.tracing) {
    case 'console':
      return new ConsoleSpanExporter();
    case 'file':
      if (config.tracingDir === '') throw new ConfigError(['FASIT_TRACING_DIR: required when FASIT_TRACING=file (the directory the spans are written to)']);
      return new JsonLinesSpanExporter(config.tracingDir, service);
    case 'otlp':
      if (!config.otlpEndpoint)
        throw new ConfigError(['OTEL_EXPORTER_OTLP_ENDPOINT: required when FASIT_TRACING=otlp (the collector, e.g. http://otel-collector:4318)']);
      return new OTLPTraceExporter({ url: `${config.otlpEndpoint.replace(/\/+$/, '')}/v1/traces` });
    case 'off':
      throw new ConfigError(['FASIT_TRACING: off has no exporter']);
  }
}
