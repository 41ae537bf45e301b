// One server span per gRPC call, as httpTracing makes one per HTTP request: named `<package.Service>/<Method>`
// (OpenTelemetry's RPC convention), kind server, with the method and the gRPC status code. A `traceparent` in the
// call's metadata continues the caller's trace; a malformed one is ignored (a new trace starts). The call's work runs
// with the span active, so what it writes to the outbox and logs carries its trace. No gRPC library is needed here:
// the metadata is read through the one method grpc-js's Metadata offers.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Span } from '@opentelemetry/api';

/** What the span needs of a call's metadata (grpc-js `Metadata` fits). */
export interface GrpcMetadataReader {
  get(key: string): (string | Buffer)[];
}

/**
 * gRPC status codes the server side reports as an error span (OpenTelemetry's RPC convention): the server's fault,
 * not the caller's (INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED... are the caller's and leave the span unset).
 */
const SERVER_ERRORS = new Set([2, 4, 12, 13, 14, 15]); // UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS

export interface GrpcServerSpan {
  /** Runs `fn` with the span active. */
  run<T>(fn: () => T): T;
  /** Ends the span with the call's status code (0 = OK). Only the first call counts. */
  end(code: number): void;
}

/**
 * Starts the server span of one call of `service` (the full name, `fasit.management.v1.Fasit`) `method`.
 * `scope` names the instrumentation scope (the service that serves it, `catalog-api`).
 */
export function grpcServerSpan(scope: string, service: string, method: string, metadata: GrpcMetadataReader): GrpcServerSpan {
  const parent = propagation.extract(ROOT_CONTEXT, metadata, {
    get: (carrier, key) => {
      const values = carrier.get(key).filter((v): v is string => typeof v === 'string');
      return values.length === 0 ? undefined : values;
    },
    keys: () => ['traceparent', 'tracestate'],
  });
  const span: Span = trace
    .getTracer(scope)
    .startSpan(`${service}/${method}`, { kind: SpanKind.SERVER, attributes: { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': method } }, parent);
  const active = trace.setSpan(parent, span);
  let ended = false;
  return {
    run: (fn) => context.with(active, fn),
    end: (code) => {
      if (ended) return;
      ended = true;
      span.setAttribute('rpc.grpc.status_code', code);
      if (SERVER_ERRORS.has(code)) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}
