// The shared instrumentation every service gets without copies: HTTP requests (an Express middleware), the bus
// (an observer the EventBus calls) and the outbox (gauges read at scrape).
import type { ServiceMetrics } from './service-metrics.js';

/** What the EventBus reports (structurally the `BusObserver` of @fasit/bus). Topics arrive as catalogue families. */
export interface BusEvents {
  consumed(topic: string, result: 'ok' | 'duplicate' | 'stale' | 'retried' | 'dead-lettered', seconds: number): void;
  published(topic: string, result: 'ok' | 'failed'): void;
}

export function busMetrics(metrics: ServiceMetrics): BusEvents {
  const published = metrics.counter('fasit_events_published_total');
  // The catalog publishes without consuming: only consumers have the consumed series.
  const consumers = metrics.scopes.includes('consumer');
  const consumed = consumers ? metrics.counter('fasit_events_consumed_total') : undefined;
  const latency = consumers ? metrics.histogram('fasit_event_handler_duration_seconds') : undefined;
  return {
    consumed(topic, result, seconds) {
      consumed?.inc({ topic, result });
      latency?.observe({ topic, result }, seconds);
    },
    published(topic, result) {
      published.inc({ topic, result });
    },
  };
}

/** What an outbox says about itself (structurally `OutboxRelay.backlog()` of @fasit/bus). */
export interface OutboxBacklog {
  backlog(): Promise<{ events: number; oldestAgeSeconds: number }>;
}

/** The outbox backlog and the age of its oldest event, read from the database at scrape. */
export function outboxMetrics(metrics: ServiceMetrics, outbox: OutboxBacklog): void {
  metrics.collectGauge('fasit_outbox_backlog_events', async (set) => set((await outbox.backlog()).events));
  metrics.collectGauge('fasit_outbox_oldest_event_age_seconds', async (set) => set((await outbox.backlog()).oldestAgeSeconds));
}

interface HttpRequest {
  method: string;
  baseUrl?: string;
  route?: { path?: unknown };
}
interface HttpResponse {
  statusCode: number;
  on(event: 'finish' | 'close', listener: () => void): unknown;
}

/**
 * Counts and times every HTTP request by method, route template (`/api/v1/tenants/:tenant`, never the path with
 * its ids; `unmatched` when no route took it: static files, 404s) and status. Install it before the routes.
 */
export function httpMetrics(metrics: ServiceMetrics): (req: HttpRequest, res: HttpResponse, next: () => void) => void {
  const requests = metrics.counter('fasit_http_requests_total');
  const duration = metrics.histogram('fasit_http_request_duration_seconds');
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    let done = false;
    const record = () => {
      if (done) return;
      done = true;
      const path = req.route?.path;
      const labels = {
        method: boundedMethod(req.method),
        route: typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : 'unmatched',
        status: String(res.statusCode),
      };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    };
    res.on('finish', record);
    res.on('close', record);
    next();
  };
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** A method outside the standard set (anyone can send `FOO`) is counted as `other`. */
function boundedMethod(method: string): string {
  return METHODS.has(method) ? method : 'other';
}
