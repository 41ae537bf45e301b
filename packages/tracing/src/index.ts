export * from './tracing.js';
export * from './json-lines.exporter.js';
export * from './http-tracing.js';
/** For tests that read the spans of their own process. */
export { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
export * from './grpc-tracing.js';
