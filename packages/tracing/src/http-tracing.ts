// One server span per HTTP request: named `<METHOD> <route template>` once the router matched (`GET unmatched`
// when nothing did), with the status. A `traceparent` header continues the caller's trace (a malformed one is
// ignored: a new trace starts). The request's work runs with the span active, so what it writes to the outbox and
// logs carries its trace. Probes and scrapes (/healthz, /readyz, /metrics) make no spans.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { EventEmitter } from 'node:events';

interface HttpRequest extends EventEmitter {
  method: string;
  path?: string;
  url?: string;
  baseUrl?: string;
  route?: { path?: unknown };
  headers: Record<string, string | string[] | undefined>;
}
interface HttpResponse extends EventEmitter {
  statusCode: number;
}

const UNTRACED = new Set(['/healthz', '/readyz', '/metrics']);
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** An Express middleware; install it before the routes. `service` names the spans' instrumentation scope. */
export function httpTracing(service: string): (req: HttpRequest, res: HttpResponse, next: () => void) => void {
  const tracer = trace.getTracer(service);
  return (req, res, next) => {
    const path = (req.path ?? req.url ?? '').split('?')[0] ?? '';
    if (UNTRACED.has(path)) return next();
    const method = METHODS.has(req.method) ? req.method : 'other';
    const parent = propagation.extract(ROOT_CONTEXT, req.headers, {
      get: (carrier, key) => carrier[key],
      keys: (carrier) => Object.keys(carrier),
    });
    const span = tracer.startSpan(method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': path } }, parent);
    const active = trace.setSpan(parent, span);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const template = req.route?.path;
      const route = typeof template === 'string' ? `${req.baseUrl ?? ''}${template}` : 'unmatched';
      span.updateName(`${method} ${route}`);
      span.setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    res.on('finish', end);
    res.on('close', end);
    // Body parsers call back from the request's stream events, which run in the context the socket was made in:
    // bound to the span's context, every listener (and what it starts) runs with the span active.
    context.bind(active, req);
    context.bind(active, res);
    context.with(active, next);
  };
}
