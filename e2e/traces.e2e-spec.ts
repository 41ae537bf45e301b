// One assignment is one trace: the REST call that created it, the catalog's outbox, each Pub/Sub hop (matcher,
// reconciler, dispatcher, naisd), naisd's helm run and its status report back to the dispatcher, read from the
// spans every process wrote (FASIT_TRACING=file, JSON lines per process, as in the demo). Separate service
// processes over the Pub/Sub emulator and PostgreSQL; helm runs for real, as a dry run (no Kubernetes API here).
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateInstructionKeys } from '@fasit/config';
import { startProcessPlatform, tail, type ProcessPlatform } from '@fasit/launcher';
import { createTestDatabase, pushChart, type PushedChart, type TestDatabase } from '@fasit/testing';
import type { SpanRecord } from '@fasit/tracing';
import { ApiClient } from './src/api-client.js';

const emulator = process.env['PUBSUB_EMULATOR_HOST'];

/** Every span every process of the platform exported so far. */
function readSpans(dir: string): SpanRecord[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean))
    .map((l) => JSON.parse(l) as SpanRecord);
}

describe(`traces: one assignment is one trace across every service (${emulator ? 'separate processes over the Pub/Sub emulator' : 'MISSING: the Pub/Sub emulator'}, real helm dry-run without a Kubernetes API)`, () => {
  const run = randomBytes(4).toString('hex');
  const traces = `/tmp/fasit-traces-${run}`;
  let db: TestDatabase;
  let platform: ProcessPlatform;
  let api: ApiClient;
  let demo: PushedChart;

  beforeAll(async () => {
    if (!emulator) throw new Error('this machine has no Pub/Sub emulator (scripts/services.sh start says why)');
    demo = await pushChart('demo-feature', { repoPath: `traces-${run}` });
    db = await createTestDatabase('traces');
    platform = await startProcessPlatform({
      databaseUrl: db.url,
      pubsubEmulatorHost: emulator,
      pubsubProjectId: `traces-${run}`,
      agentKeySecret: `traces-agent-key-secret-${randomBytes(16).toString('hex')}`,
      instructionKeys: generateInstructionKeys(`traces-${run}`),
      logDir: `/tmp/fasit-traces-${run}-logs`,
      env: { FASIT_TRACING: 'file', FASIT_TRACING_DIR: traces, FASIT_RECONCILE_INTERVAL_MS: '60000', FASIT_HEARTBEAT_INTERVAL_MS: '2000', LOG_LEVEL: 'info' },
    });
    api = new ApiClient(platform.apiUrl, () => platform.processes.map((p) => `${p.name}:\n${tail(p.logFile, 8)}`).join('\n'));
    await api.ok('POST', '/api/v1/tenants', { name: 'acme', description: 'traces' });
    await api.ok('POST', '/api/v1/tenants/acme/environments', { name: 'dev', kind: 'tenant', labels: { team: 'platform' } });
    await platform.startAgent({ tenant: 'acme', environment: 'dev' });
  });

  afterAll(async () => {
    await platform?.stop();
    await db?.drop();
  });

  it('reads one trace id from the assignment’s POST to naisd’s helm run and the status back, every parent link intact', async () => {
    // The feature needs a secret before it can deploy: publish the version first with an assignment that targets no
    // environment, configure the secret, then the assignment under test deploys straight away.
    await api.ok('POST', '/api/v1/assignments', {
      chart: demo.ref,
      version: demo.version,
      target: { tenant: 'acme', team: 'nobody' },
      description: 'publishes the version',
    });
    await api.ok('PUT', '/api/v1/features/demo-feature/config/auth.token', { value: 's3cret-token' });
    const a = await api.ok<{ id: string }>('POST', '/api/v1/assignments', {
      chart: demo.ref,
      version: demo.version,
      target: { tenant: 'acme' },
      description: 'traced',
    });
    await api.until<{ state: string }>(`/api/v1/assignments/${a.id}/status`, (s) => s.state === 'DEPLOYED');

    // The request span of that POST, and every span of its trace once it is whole: naisd's helm run and the
    // dispatcher's handling of its reports exported, and every span's parent with them (each process exports its
    // spans within a second of their end).
    let trace: SpanRecord[] = [];
    let root: SpanRecord | undefined;
    const whole = (spans: SpanRecord[]) => {
      const ids = new Set(spans.map((s) => s.spanId));
      return (
        spans.some((s) => s.scope === 'dispatcher' && s.name === 'process naisd.status.reported.v1' && s.attributes['fasit.result'] === 'ok') &&
        spans.some((s) => s.name === 'helm upgrade') &&
        spans.every((s) => s.parentSpanId === undefined || ids.has(s.parentSpanId))
      );
    };
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 300))) {
      const spans = readSpans(traces);
      // The second POST of the test (the first, a moment earlier, published the version).
      root = spans
        .filter((s) => s.name === 'POST /api/v1/assignments' && s.attributes['http.response.status_code'] === 201)
        .sort((x, y) => x.startTime.localeCompare(y.startTime))[1];
      trace = root ? spans.filter((s) => s.traceId === root!.traceId) : [];
      if (whole(trace)) break;
    }
    expect(root).toMatchObject({ kind: 'server', service: 'catalog-api', attributes: { 'http.route': '/api/v1/assignments', 'http.request.method': 'POST' } });
    expect(root!.parentSpanId).toBeUndefined();
    expect(whole(trace)).toBe(true);

    // Every service took part, in its own process.
    expect(new Set(trace.map((s) => s.service))).toEqual(new Set(['catalog-api', 'matcher', 'reconciler', 'dispatcher', 'naisd']));
    // Parent links: every span but the root has its parent in the trace; each consumer span's parent is a
    // producer span (the publish it came from), in the service that published it.
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    for (const s of trace.filter((s) => s !== root)) expect([s.name, byId.has(s.parentSpanId ?? '')]).toEqual([s.name, true]);
    const hop = (consumer: string, topic: string, producer: string) => {
      const c = trace.find((s) => s.scope === consumer && s.kind === 'consumer' && s.name === `process ${topic}`);
      expect([consumer, topic, c !== undefined]).toEqual([consumer, topic, true]);
      const p = byId.get(c!.parentSpanId ?? '')!;
      expect({ name: p.name, kind: p.kind, scope: p.scope }).toEqual({ name: `publish ${topic}`, kind: 'producer', scope: producer });
      return { consumer: c!, producer: p };
    };
    // The catalog's publish continues the request's trace from the outbox row (the relay publishes later).
    const assignment = hop('matcher', 'catalog.assignment.changed.v1', 'catalog-api');
    expect(assignment.producer.parentSpanId).toBe(root!.spanId);
    const targets = hop('reconciler', 'matcher.targets.changed.v1', 'matcher');
    expect(byId.get(targets.producer.parentSpanId ?? '')).toBe(assignment.consumer);
    const requested = hop('dispatcher', 'reconciler.deploy.requested.v1', 'reconciler');
    expect(byId.get(requested.producer.parentSpanId ?? '')).toBe(targets.consumer);
    const instruction = hop('naisd', 'naisd.instructions.v2', 'dispatcher');
    expect(byId.get(instruction.producer.parentSpanId ?? '')).toBe(requested.consumer);
    expect(instruction.consumer.attributes).toMatchObject({
      'fasit.result': 'ok',
      'messaging.gcp_pubsub.message.delivery_attempt': 1,
      'messaging.destination.name': 'naisd.instructions.v2.acme.dev',
    });

    // naisd: the instruction's span under its delivery, the helm run under it, the status reports back from it.
    const handling = trace.find((s) => s.scope === 'naisd' && s.name === 'naisd deploy')!;
    expect(handling.parentSpanId).toBe(instruction.consumer.spanId);
    const helm = trace.find((s) => s.name === 'helm upgrade')!;
    expect(helm).toMatchObject({
      service: 'naisd',
      parentSpanId: handling.spanId,
      status: 'unset',
      attributes: { 'helm.operation': 'upgrade', 'helm.chart': demo.ref, 'helm.chart.version': demo.version, 'helm.result': 'ok', 'process.exit.code': 0 },
    });
    const reports = trace.filter((s) => s.scope === 'dispatcher' && s.name === 'process naisd.status.reported.v1');
    expect(reports.length).toBeGreaterThan(0);
    for (const r of reports)
      expect(byId.get(r.parentSpanId ?? '')).toMatchObject({ scope: 'naisd', kind: 'producer', name: 'publish naisd.status.reported.v1' });

    // Logs carry the trace: naisd's "instruction received" line names this trace and the instruction's span.
    const naisdLog = readFileSync(join(`/tmp/fasit-traces-${run}-logs`, 'naisd-acme-dev.log'), 'utf8');
    const received = naisdLog
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; traceId?: string; spanId?: string })
      .find((l) => l.msg === 'instruction received' && l.traceId === root!.traceId);
    expect(received?.spanId).toBe(handling.spanId);
  });
});
