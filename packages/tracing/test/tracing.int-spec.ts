// Tracing set up as each process does it (startTracing), with each exporter the configuration offers: the JSON
// lines file, and OTLP/HTTP to a collector this test runs in-process. Plus the HTTP request span and trace ids in
// log lines. Everything here is this process's own; the whole path across processes is e2e/traces.e2e-spec.ts.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import { ConfigError, JsonLogger } from '@fasit/config';
import { InMemorySpanExporter, httpTracing, spanRecord, startTracing, stopTracing, type SpanRecord } from '../src/index.js';

afterEach(() => stopTracing());

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })),
  );
}

function get(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

describe('startTracing', () => {
  it('is off by default: spans do not record and log lines carry no trace', async () => {
    const tracing = startTracing({ tracing: 'off', tracingDir: '', otlpEndpoint: undefined }, 'svc');
    const lines: string[] = [];
    const logger = new JsonLogger('svc', 'info', (l) => lines.push(l));
    trace.getTracer('svc').startActiveSpan('work', (span) => {
      expect(span.isRecording()).toBe(false);
      logger.entry('info', 'inside');
      span.end();
    });
    await tracing.flush();
    expect(JSON.parse(lines[0]!)).not.toHaveProperty('traceId');
  });

  it('refuses a file exporter without a directory and OTLP without an endpoint, naming the variable', () => {
    expect(() => startTracing({ tracing: 'file', tracingDir: '', otlpEndpoint: undefined }, 'svc')).toThrow(
      new ConfigError(['FASIT_TRACING_DIR: required when FASIT_TRACING=file (the directory the spans are written to)']),
    );
    expect(() => startTracing({ tracing: 'otlp', tracingDir: '', otlpEndpoint: undefined }, 'svc')).toThrow(
      new ConfigError(['OTEL_EXPORTER_OTLP_ENDPOINT: required when FASIT_TRACING=otlp (the collector, e.g. http://otel-collector:4318)']),
    );
  });

  it('file: writes each span as a JSON line into <dir>/<service>-<pid>.jsonl', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fasit-traces-'));
    const tracing = startTracing({ tracing: 'file', tracingDir: dir, otlpEndpoint: undefined }, 'matcher');
    trace.getTracer('matcher').startActiveSpan('outer', (outer) => {
      trace
        .getTracer('matcher')
        .startSpan('inner', { attributes: { 'helm.release': 'demo' } })
        .end();
      outer.end();
    });
    await tracing.flush();
    expect(readdirSync(dir)).toEqual([`matcher-${process.pid}.jsonl`]);
    const spans = readFileSync(join(dir, `matcher-${process.pid}.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as SpanRecord);
    const outer = spans.find((s) => s.name === 'outer')!;
    expect(spans.find((s) => s.name === 'inner')).toMatchObject({
      traceId: outer.traceId,
      parentSpanId: outer.spanId,
      service: 'matcher',
      scope: 'matcher',
      kind: 'internal',
      status: 'unset',
      attributes: { 'helm.release': 'demo' },
    });
    expect(outer.parentSpanId).toBeUndefined();
  });

  it('otlp: sends the spans as OTLP/HTTP to <endpoint>/v1/traces, with the service name', async () => {
    const bodies: { path: string | undefined; type: string | undefined; body: string }[] = [];
    const collector = await listen((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        bodies.push({ path: req.url, type: req.headers['content-type'], body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    try {
      const tracing = startTracing({ tracing: 'otlp', tracingDir: '', otlpEndpoint: `${collector.url}/` }, 'dispatcher');
      trace.getTracer('dispatcher').startSpan('process naisd.status.reported.v1').end();
      await tracing.flush();
      expect(bodies).toHaveLength(1);
      expect(bodies[0]).toMatchObject({ path: '/v1/traces', type: 'application/json' });
      const sent = JSON.parse(bodies[0]!.body) as {
        resourceSpans: {
          resource: { attributes: { key: string; value: { stringValue?: string } }[] };
          scopeSpans: { scope: { name: string }; spans: { name: string }[] }[];
        }[];
      };
      const [rs] = sent.resourceSpans;
      expect(rs!.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'dispatcher' } });
      expect(rs!.scopeSpans[0]).toMatchObject({ scope: { name: 'dispatcher' }, spans: [{ name: 'process naisd.status.reported.v1' }] });
    } finally {
      collector.server.close();
    }
  });
});

describe('httpTracing and the logger', () => {
  it('one server span per request, named by route, continuing a valid traceparent; a malformed one starts a new trace; probes make none; log lines carry the trace', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing({ tracing: 'file', tracingDir: '', otlpEndpoint: undefined }, 'catalog-api', { exporter });
    const middleware = httpTracing('catalog-api');
    const lines: string[] = [];
    const logger = new JsonLogger('catalog-api', 'info', (l) => lines.push(l));
    const { server, url } = await listen((req, res) => {
      const r = Object.assign(req, { route: req.url === '/api/v1/tenants/acme' ? { path: '/api/v1/tenants/:tenant' } : undefined }) as IncomingMessage & {
        method: string;
        route?: { path: string };
      };
      middleware(r, res, () => {
        // Work after an await still runs with the request's span active.
        void Promise.resolve().then(() => {
          logger.entry('info', 'handled', { path: req.url });
          res.statusCode = req.url === '/boom' ? 500 : 200;
          res.end();
        });
      });
    });
    try {
      const caller = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      expect(await get(`${url}/api/v1/tenants/acme`, { traceparent: caller })).toBe(200);
      expect(await get(`${url}/boom`, { traceparent: 'zz-not-a-trace' })).toBe(500);
      expect(await get(`${url}/healthz`)).toBe(200);
      expect(await get(`${url}/metrics?x=1`)).toBe(200);
      await tracing.flush();
      const spans = exporter.getFinishedSpans().map(spanRecord);
      expect(spans).toHaveLength(2);
      const [tenant, boom] = spans;
      expect(tenant).toMatchObject({
        name: 'GET /api/v1/tenants/:tenant',
        kind: 'server',
        traceId: '0af7651916cd43dd8448eb211c80319c',
        parentSpanId: 'b7ad6b7169203331',
        status: 'unset',
        attributes: { 'http.route': '/api/v1/tenants/:tenant', 'http.response.status_code': 200, 'url.path': '/api/v1/tenants/acme' },
      });
      expect(boom).toMatchObject({ name: 'GET unmatched', status: 'error', attributes: { 'http.response.status_code': 500 } });
      expect(boom!.parentSpanId).toBeUndefined();
      const logged = lines.map((l) => JSON.parse(l) as { path: string; traceId?: string; spanId?: string });
      expect(logged.map((l) => [l.path, l.traceId, l.spanId])).toEqual([
        ['/api/v1/tenants/acme', tenant!.traceId, tenant!.spanId],
        ['/boom', boom!.traceId, boom!.spanId],
        ['/healthz', undefined, undefined],
        ['/metrics?x=1', undefined, undefined],
      ]);
    } finally {
      server.close();
    }
  });
});
