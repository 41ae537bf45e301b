// The gRPC management API's server spans: one per call, named by method, with the status code, continuing the
// caller's `traceparent` metadata, with the call's writes (the outbox row its event goes out from) in the same trace.
// A malformed `traceparent` is harmless: the call answers as without it and its span starts a new trace. The real
// catalog (PostgreSQL) and a real gRPC client; the spans of this process are read from an in-memory exporter.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as grpc from '@grpc/grpc-js';
import { InMemorySpanExporter, spanRecord, startTracing, stopTracing, type SpanRecord, type Tracing } from '@fasit/tracing';
import { loadManagementProto } from '../src/grpc/grpc.server.js';
import type { FasitClient } from '../src/grpc/generated/fasit/management/v1/Fasit.js';
import { startHarness, unique, type Harness } from './harness.js';

const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

let h: Harness;
let client: FasitClient;
let tracing: Tracing;
const exporter = new InMemorySpanExporter();

function call<Res>(method: string, req: unknown, traceparent?: string | string[]): Promise<{ code: grpc.status; res?: Res; details?: string }> {
  const metadata = new grpc.Metadata();
  for (const v of traceparent === undefined ? [] : [traceparent].flat()) metadata.add('traceparent', v);
  return new Promise((resolve) => {
    const fn = (client as unknown as Record<string, (r: unknown, m: grpc.Metadata, cb: (e: grpc.ServiceError | null, r?: Res) => void) => void>)[method]!;
    fn.call(client, req, metadata, (e, r) =>
      resolve(e ? { code: e.code, details: e.details } : { code: grpc.status.OK, ...(r === undefined ? {} : { res: r }) }),
    );
  });
}

/** The finished server spans of gRPC calls, oldest first. */
async function grpcSpans(): Promise<SpanRecord[]> {
  await tracing.flush();
  return exporter
    .getFinishedSpans()
    .map(spanRecord)
    .filter((s) => s.attributes['rpc.system'] === 'grpc');
}

beforeAll(async () => {
  tracing = startTracing({ tracing: 'file', tracingDir: '', otlpEndpoint: undefined }, 'catalog-api', { exporter });
  h = await startHarness();
  const Fasit = loadManagementProto().fasit.management.v1.Fasit;
  client = new Fasit(h.catalog.grpcAddress!, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client?.close();
  await h?.close();
  await stopTracing();
});

describe('gRPC management API spans (real catalog on PostgreSQL, a real gRPC client)', () => {
  it("one server span per call, named by method, with its status code, continuing the caller's traceparent; the call's outbox row is in the caller's trace", async () => {
    exporter.reset();
    const tenant = unique('grpctrace');
    const created = await call<{ tenant: { id: string } }>('CreateTenant', { name: tenant }, `00-${CALLER_TRACE}-${CALLER_SPAN}-01`);
    expect(created.code).toBe(grpc.status.OK);
    const env = await call('CreateEnvironment', { tenant_id: created.res!.tenant.id, name: 'dev', kind: 'TENANT' }, `00-${CALLER_TRACE}-${CALLER_SPAN}-01`);
    expect(env.code).toBe(grpc.status.OK);
    const missing = await call('GetTenant', { name: 'no-such-tenant' });
    expect(missing.code).toBe(grpc.status.NOT_FOUND);

    const spans = await grpcSpans();
    expect(spans.map((s) => [s.name, s.kind, s.attributes['rpc.grpc.status_code'], s.status])).toEqual([
      ['fasit.management.v1.Fasit/CreateTenant', 'server', 0, 'unset'],
      ['fasit.management.v1.Fasit/CreateEnvironment', 'server', 0, 'unset'],
      // The caller's mistake: the span carries the code, its status stays unset (OpenTelemetry's RPC convention).
      ['fasit.management.v1.Fasit/GetTenant', 'server', grpc.status.NOT_FOUND, 'unset'],
    ]);
    const [tenantSpan, envSpan, missingSpan] = spans;
    expect(tenantSpan).toMatchObject({
      traceId: CALLER_TRACE,
      parentSpanId: CALLER_SPAN,
      scope: 'catalog-api',
      attributes: { 'rpc.service': 'fasit.management.v1.Fasit', 'rpc.method': 'CreateTenant' },
    });
    expect(envSpan).toMatchObject({ traceId: CALLER_TRACE, parentSpanId: CALLER_SPAN });
    expect(missingSpan!.parentSpanId).toBeUndefined();
    expect(missingSpan!.traceId).not.toBe(CALLER_TRACE);

    // The environment's event was written inside the call's span: the relay's publish continues this trace.
    const { rows } = await h.sql.query<{ traceparent: string | null }>(
      `SELECT traceparent FROM catalog.outbox WHERE topic = 'catalog.environment.changed.v1' AND payload->>'tenant' = $1`,
      [tenant],
    );
    expect(rows).toEqual([{ traceparent: `00-${CALLER_TRACE}-${envSpan!.spanId}-01` }]);
  });

  it('a server error is an error span with code INTERNAL', async () => {
    exporter.reset();
    // An INTERNAL needs a broken dependency: the catalog's tenants table moved away under the running service.
    const tenant = unique('grpcbroken');
    await h.sql.query('ALTER TABLE catalog.tenants RENAME TO tenants_away');
    try {
      const r = await call('GetTenant', { name: tenant });
      expect(r).toEqual({ code: grpc.status.INTERNAL, details: 'internal error' });
    } finally {
      await h.sql.query('ALTER TABLE catalog.tenants_away RENAME TO tenants');
    }
    expect((await grpcSpans()).map((s) => [s.name, s.attributes['rpc.grpc.status_code'], s.status])).toEqual([
      ['fasit.management.v1.Fasit/GetTenant', grpc.status.INTERNAL, 'error'],
    ]);
  });

  it.each([
    ['garbage', 'zz-not-a-trace'],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${CALLER_SPAN}-01`],
    ['version ff', `ff-${CALLER_TRACE}-${CALLER_SPAN}-01`],
    ['a 10 kB value', `00-${CALLER_TRACE}-${CALLER_SPAN}-01${'x'.repeat(10_000)}`],
    ['two values, the first malformed', ['nonsense', `00-${CALLER_TRACE}-${CALLER_SPAN}-01`]],
  ])('a malformed traceparent (%s) is harmless: the call answers as without it and its span starts a new trace', async (_what, traceparent) => {
    exporter.reset();
    const tenant = unique('grpcbad');
    const created = await call<{ tenant: { name: string } }>('CreateTenant', { name: tenant }, traceparent);
    expect(created.code).toBe(grpc.status.OK);
    expect(created.res!.tenant.name).toBe(tenant);
    const spans = await grpcSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.parentSpanId).toBeUndefined();
    expect(spans[0]!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(spans[0]!.traceId).not.toBe(CALLER_TRACE);
    expect(spans[0]!.traceId).not.toBe('0'.repeat(32));
  });
});
