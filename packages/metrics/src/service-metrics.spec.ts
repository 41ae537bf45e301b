import { describe, expect, it } from '@jest/globals';
import { SERVICE_SCOPES, exportedSeriesNames, metricCatalogue } from './catalogue.js';
import { httpMetrics, outboxMetrics } from './instrumentation.js';
import { ServiceMetrics } from './service-metrics.js';

const names = async (m: ServiceMetrics) =>
  (await m.registry.getMetricsAsJSON()).map((x) => x.name).filter((n) => n.startsWith('fasit_') && !n.startsWith('fasit_process_'));
const line = (text: string, prefix: string) => text.split('\n').filter((l) => l.startsWith(prefix));

describe('ServiceMetrics', () => {
  it("registers exactly its service's part of the catalogue, every one listed before anything happened", async () => {
    for (const service of Object.keys(SERVICE_SCOPES) as (keyof typeof SERVICE_SCOPES)[]) {
      const m = new ServiceMetrics(service, { processMetrics: false });
      const expected = Object.entries(metricCatalogue)
        .filter(([, d]) => (SERVICE_SCOPES[service] as readonly string[]).includes(d.scope))
        .map(([n]) => n);
      expect((await names(m)).sort()).toEqual(expected.sort());
    }
    expect(await names(new ServiceMetrics('catalog-api', { processMetrics: false }))).not.toContain('fasit_events_consumed_total');
    expect(exportedSeriesNames('naisd')).toContain('fasit_naisd_helm_duration_seconds_bucket');
  });

  it('labels every series with the service, and refuses a metric outside its scope', async () => {
    const m = new ServiceMetrics('matcher', { processMetrics: false });
    m.counter('fasit_events_published_total').inc({ topic: 'matcher.targets.changed.v1', result: 'ok' }, 2);
    expect(line(await m.text(), 'fasit_events_published_total{')).toEqual([
      'fasit_events_published_total{topic="matcher.targets.changed.v1",result="ok",service="matcher"} 2',
    ]);
    expect(() => m.counter('fasit_deploys_total')).toThrow('metric fasit_deploys_total is not exported by matcher');
  });

  it('reads gauges at scrape; a failing read keeps the last value', async () => {
    const m = new ServiceMetrics('dispatcher', { processMetrics: false });
    let fail = false;
    let healthy = 2;
    m.collectGauge('fasit_agents', (set) => {
      if (fail) throw new Error('database down');
      set(healthy, { health: 'healthy' });
      set(1, { health: 'silent' });
    });
    expect(line(await m.text(), 'fasit_agents{')).toEqual([
      'fasit_agents{health="healthy",service="dispatcher"} 2',
      'fasit_agents{health="silent",service="dispatcher"} 1',
    ]);
    healthy = 5;
    fail = true;
    expect(line(await m.text(), 'fasit_agents{health="healthy"')).toEqual(['fasit_agents{health="healthy",service="dispatcher"} 2']);
    fail = false;
    expect(line(await m.text(), 'fasit_agents{health="healthy"')).toEqual(['fasit_agents{health="healthy",service="dispatcher"} 5']);
  });

  it("reads an outbox's backlog and oldest age at scrape", async () => {
    const m = new ServiceMetrics('reconciler', { processMetrics: false });
    outboxMetrics(m, { backlog: () => Promise.resolve({ events: 7, oldestAgeSeconds: 12.5 }) });
    const text = await m.text();
    expect(line(text, 'fasit_outbox_backlog_events{')).toEqual(['fasit_outbox_backlog_events{service="reconciler"} 7']);
    expect(line(text, 'fasit_outbox_oldest_event_age_seconds{')).toEqual(['fasit_outbox_oldest_event_age_seconds{service="reconciler"} 12.5']);
  });
});

describe('httpMetrics', () => {
  const request = (m: ServiceMetrics, req: { method: string; baseUrl?: string; route?: { path?: unknown } }, status: number) => {
    const listeners: (() => void)[] = [];
    httpMetrics(m)(req, { statusCode: status, on: (_e: string, l: () => void) => listeners.push(l) }, () => undefined);
    for (const l of listeners) l(); // finish, then close: counted once
  };

  it('counts by route template, never the path; no route is "unmatched"; odd methods are "other"', async () => {
    const m = new ServiceMetrics('catalog-api', { processMetrics: false });
    request(m, { method: 'GET', route: { path: '/api/v1/assignments/:id/status' } }, 200);
    request(m, { method: 'GET', route: { path: '/api/v1/assignments/:id/status' } }, 200);
    request(m, { method: 'GET' }, 404);
    request(m, { method: 'BREW', baseUrl: '/x', route: { path: '/y' } }, 405);
    const lines = line(await m.text(), 'fasit_http_requests_total{');
    expect(lines).toEqual([
      'fasit_http_requests_total{method="GET",route="/api/v1/assignments/:id/status",status="200",service="catalog-api"} 2',
      'fasit_http_requests_total{method="GET",route="unmatched",status="404",service="catalog-api"} 1',
      'fasit_http_requests_total{method="other",route="/x/y",status="405",service="catalog-api"} 1',
    ]);
    expect(line(await m.text(), 'fasit_http_request_duration_seconds_count{')).toHaveLength(3);
  });
});
