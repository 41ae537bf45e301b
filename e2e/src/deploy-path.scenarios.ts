// The deploy path, as scenarios any way of running the platform must pass: a chart pushed with `helm push` to
// the local OCI registry, tenant, environment, assignment and configuration over REST, and naisd running the real
// helm (`upgrade --install --dry-run=client` with the memory driver: no Kubernetes API server runs here).
// deploy-path.e2e-spec.ts runs them on separate processes (two replicas of each control-plane service) over the
// Pub/Sub emulator; embedded.e2e-spec.ts on one process (PGlite and the in-process bus).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import yaml from 'js-yaml';
import { instructionTopic, type AgentReportV1, type EventBus } from '@fasit/bus';
import { generateInstructionKeys } from '@fasit/config';
import { deriveAgentKey, signReport } from '@fasit/domain';
import type { InstructionKeys } from '@fasit/launcher';
import { BROKEN_TEMPLATES_MESSAGE, pushChart, type PushedChart } from '@fasit/testing';
import { metricValue, scrapeMetrics, type MetricSample } from './metrics-text.js';
import { ApiClient } from './api-client.js';

export interface PlatformUnderTest {
  apiUrl: string;
  startAgent(agent: { tenant: string; environment: string }): Promise<unknown>;
  /** A bus connected to the platform's (to play a forged agent and watch dead letters). */
  bus: EventBus;
  stop(): Promise<void>;
  /** Added to a scenario's timeout error: the services' recent log lines. */
  diagnostics?: () => string;
  /** Where every service replica and agent answers /metrics, by service name (catalog-api, ..., naisd). */
  endpoints(): { service: string; url: string }[];
}

/** The platform's keys for one run: the agents' secret and the instruction key pair. */
export interface PlatformKeys {
  agentKeySecret: string;
  instructionKeys: InstructionKeys;
}

export type StartPlatform = (keys: PlatformKeys, tuning: Record<string, string>) => Promise<PlatformUnderTest>;

interface AssignmentStatus {
  state: string;
  environments: { environment: string; state: string; message: string }[];
}

interface EnvironmentFeature {
  state: string;
  current: { version: string } | null;
  rendered: { values: Record<string, unknown>; provenance: Record<string, { source: string; secret: boolean }>; revealed: boolean } | null;
  deploys: { diid: string; status: string; error: string | null; history: { status: string }[]; logs: { msg: string }[] }[];
  lastDecision: { action: string; message: string } | null;
}

const TUNING = {
  FASIT_RECONCILE_INTERVAL_MS: '1500',
  FASIT_HEARTBEAT_INTERVAL_MS: '2000',
  FASIT_LOG_FLUSH_INTERVAL_MS: '200',
  FASIT_DEPLOY_RETRY_BASE_MS: '600000',
  LOG_LEVEL: 'warn',
};

const SERVICES = ['catalog-api', 'matcher', 'reconciler', 'dispatcher', 'naisd'] as const;
type Scrape = Record<(typeof SERVICES)[number], MetricSample[]>;

/** Every replica's /metrics, the samples of one service together (a counter summed over its replicas). */
async function scrapeAll(platform: PlatformUnderTest): Promise<Scrape> {
  const endpoints = platform.endpoints();
  const entries = await Promise.all(
    SERVICES.map(async (service) => {
      const urls = endpoints.filter((e) => e.service === service).map((e) => e.url);
      if (urls.length === 0) throw new Error(`no ${service} endpoint to scrape`);
      return [service, (await Promise.all(urls.map(scrapeMetrics))).flat()] as const;
    }),
  );
  return Object.fromEntries(entries) as Scrape;
}

export function deployPathScenarios(name: string, start: StartPlatform): void {
  describe(`a feature deployed end to end (${name}, the local OCI registry, real helm dry-run without a Kubernetes API)`, () => {
    let platform: PlatformUnderTest;
    let api: ApiClient;
    let demo: PushedChart;
    let broken: PushedChart;
    const run = randomBytes(4).toString('hex');
    const repoPath = `e2e-${run}`;
    const secret = `e2e-agent-key-secret-${randomBytes(16).toString('hex')}`;
    const timings: Record<string, number> = {};
    let started = 0;
    let metricsBefore: Scrape;
    let deployedAssignment = '';
    // What the dispatcher sent to dev's agent, as it went over the bus (a subscription of our own on its topic).
    const devTopic = instructionTopic('acme', 'dev');
    const sentToDev: Buffer[] = [];
    const jtiOf = (raw: Buffer): string =>
      (JSON.parse(Buffer.from((JSON.parse(raw.toString()) as { jws: string }).jws.split('.')[1] ?? '', 'base64url').toString()) as { jti: string }).jti;

    beforeAll(async () => {
      [demo, broken] = await Promise.all([pushChart('demo-feature', { repoPath }), pushChart('broken-templates', { repoPath })]);
      started = Date.now();
      platform = await start({ agentKeySecret: secret, instructionKeys: generateInstructionKeys(`e2e-${run}`) }, TUNING);
      timings['platform started'] = Date.now() - started;
      await platform.bus.bus.subscribe(devTopic, `${devTopic}.e2e-${run}`, (m) => {
        sentToDev.push(m.data);
        return Promise.resolve();
      });
      api = new ApiClient(platform.apiUrl, platform.diagnostics);
      await api.ok('POST', '/api/v1/tenants', { name: 'acme', description: 'end-to-end tenant' });
      await api.ok('POST', '/api/v1/tenants/acme/environments', { name: 'dev', kind: 'tenant', labels: { team: 'platform' } });
      await platform.startAgent({ tenant: 'acme', environment: 'dev' });
      metricsBefore = await scrapeAll(platform);
    });

    afterAll(async () => {
      await platform?.stop();
      console.log(`${name} timings (ms): ${JSON.stringify(timings)}`);
    });

    it('refuses a chart without a valid Feature.yaml with a 400 that says why, and stores nothing', async () => {
      const bare = await pushChart('no-feature-yaml', { repoPath });
      const r = await api.call<{ code: string; message: string }>('POST', '/api/v1/assignments', {
        chart: bare.ref,
        version: bare.version,
        target: { tenant: 'acme' },
      });
      expect(r.status).toBe(400);
      expect(r.body.message).toContain('has no Feature.yaml');
      const invalid = await pushChart('invalid-feature-yaml', { repoPath });
      const r2 = await api.call<{ message: string }>('POST', '/api/v1/assignments', {
        chart: invalid.ref,
        version: invalid.version,
        target: { tenant: 'acme' },
      });
      expect(r2.status).toBe(400);
      expect(r2.body.message).toMatch(/Feature\.yaml:\d+:\d+ values\.ratio\.config\.type/);
      expect(await api.ok<unknown[]>('GET', '/api/v1/assignments')).toEqual([]);
    });

    it('deploys the demo feature: DEPLOYED, and helm received exactly the rendered values', async () => {
      const a = await api.ok<{ id: string }>('POST', '/api/v1/assignments', {
        chart: demo.ref,
        version: demo.version,
        target: { tenant: 'acme' },
        description: 'e2e',
      });
      deployedAssignment = a.id;

      // The feature requires a secret token: until it is configured, the reconciler says so.
      const missing = await api.until<AssignmentStatus>(`/api/v1/assignments/${a.id}/status`, (s) => s.state === 'FAILED');
      expect(missing.environments[0]?.message).toBe('missing required chart config: auth.token');

      // The image tag first: with the token still missing it cannot deploy, so the first deploy carries both (set
      // the other way round, a fast platform could finish a deploy with the chart's default tag in between).
      await api.ok('PUT', '/api/v1/tenants/acme/environments/dev/features/demo-feature/config/image.tag', { value: '2.4.6' });
      await api.ok('PUT', '/api/v1/features/demo-feature/config/auth.token', { value: 's3cret-token' });
      const configured = Date.now();
      const done = await api.until<AssignmentStatus>(
        `/api/v1/assignments/${a.id}/status`,
        (s) => s.state === 'DEPLOYED' || (s.state === 'FAILED' && !s.environments[0]?.message.includes('auth.token')),
      );
      expect(done).toMatchObject({ state: 'DEPLOYED', environments: [{ environment: 'dev', state: 'DEPLOYED' }] });
      timings['secret configured → DEPLOYED'] = Date.now() - configured;
      timings['platform start → DEPLOYED'] = Date.now() - started;

      const view = await api.ok<EnvironmentFeature>('GET', '/api/v1/tenants/acme/environments/dev/features/demo-feature?reveal=true');
      const values = view.rendered!.values;
      expect(values).toEqual({
        image: { tag: '2.4.6' },
        auth: { token: 's3cret-token' },
        clusterName: 'dev',
        allClusters: ['dev'],
        logLevel: 'info',
        fasit: { tenant: { name: 'acme' }, env: { name: 'dev', kind: 'tenant' } },
      });
      expect(view.rendered!.provenance['image.tag']?.source).toBe('env-config');
      expect(view.rendered!.provenance['auth.token']).toMatchObject({ source: 'global-config', secret: true });
      expect(view.rendered!.provenance['clusterName']?.source).toBe('computed');

      // What helm rendered with those values (the dry-run manifest naisd streamed back as the deploy's log).
      const deploy = view.deploys.find((d) => d.status === 'deployed')!;
      const manifest = deploy.logs.map((l) => l.msg).join('\n');
      const docs = yaml
        .loadAll(manifest.slice(manifest.indexOf('---')))
        .filter((d): d is { kind: string; data: Record<string, string> } => !!d && typeof d === 'object' && 'kind' in d);
      expect(docs.find((d) => d.kind === 'ConfigMap')!.data).toEqual({
        image: 'registry.example.org/demo-feature:2.4.6',
        replicas: '1',
        clusterName: 'dev',
        allClusters: JSON.stringify(values['allClusters']),
        logLevel: 'info',
        fasit: JSON.stringify(values['fasit']),
      });
      // The Secret helm rendered is hidden from the log (naisd runs helm with --hide-secret): the token never leaves
      // the environment, in clear or base64.
      expect(manifest).not.toContain('s3cret-token');
      expect(manifest).not.toContain(Buffer.from('s3cret-token').toString('base64'));

      // Without reveal the secret is masked.
      const masked = await api.ok<EnvironmentFeature>('GET', '/api/v1/tenants/acme/environments/dev/features/demo-feature');
      expect((masked.rendered!.values['auth'] as Record<string, unknown>)['token']).toBe('*****');
    });

    it('every service and the agent counted that deploy on /metrics (route templates and topic families, no ids)', async () => {
      expect(deployedAssignment).not.toBe('');
      let after = await scrapeAll(platform);
      const moved = (service: keyof Scrape, metric: string, labels: Record<string, string> = {}) =>
        metricValue(after[service], metric, labels) - metricValue(metricsBefore[service], metric, labels);
      // The agent counts its delivery when the handler returns, a moment after it published the report that made
      // the assignment DEPLOYED: scrape again until it did (or 15 s), then compare every counter.
      for (
        const deadline = Date.now() + 15_000;
        moved('naisd', 'fasit_events_consumed_total', { topic: 'naisd.instructions.v2' }) === 0 && Date.now() < deadline;
      ) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        after = await scrapeAll(platform);
      }

      // catalog-api: the assignment's POST and the status polls, by route template; its event published.
      expect(moved('catalog-api', 'fasit_http_requests_total', { method: 'POST', route: '/api/v1/assignments', status: '201' })).toBe(1);
      expect(moved('catalog-api', 'fasit_http_requests_total', { method: 'GET', route: '/api/v1/assignments/:id/status', status: '200' })).toBeGreaterThan(0);
      expect(moved('catalog-api', 'fasit_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/assignments', status: '201' })).toBe(1);
      // The two charts refused by the test before: a 400 each, on the same route template.
      expect(moved('catalog-api', 'fasit_http_requests_total', { method: 'POST', route: '/api/v1/assignments', status: '400' })).toBe(2);
      expect(moved('catalog-api', 'fasit_events_published_total', { topic: 'catalog.assignment.changed.v1', result: 'ok' })).toBeGreaterThan(0);
      // matcher → reconciler → dispatcher → naisd: each consumed what the one before published.
      expect(moved('matcher', 'fasit_events_consumed_total', { topic: 'catalog.assignment.changed.v1', result: 'ok' })).toBeGreaterThan(0);
      expect(moved('matcher', 'fasit_events_published_total', { topic: 'matcher.targets.changed.v1', result: 'ok' })).toBeGreaterThan(0);
      expect(moved('reconciler', 'fasit_events_consumed_total', { topic: 'matcher.targets.changed.v1', result: 'ok' })).toBeGreaterThan(0);
      expect(moved('reconciler', 'fasit_event_handler_duration_seconds_count', { topic: 'matcher.targets.changed.v1', result: 'ok' })).toBeGreaterThan(0);
      expect(moved('reconciler', 'fasit_reconciler_decisions_total', { action: 'missing-config' })).toBeGreaterThan(0);
      expect(moved('reconciler', 'fasit_reconciler_decisions_total', { action: 'deploy' })).toBeGreaterThan(0);
      expect(moved('reconciler', 'fasit_events_published_total', { topic: 'reconciler.deploy.requested.v1', result: 'ok' })).toBeGreaterThan(0);
      expect(moved('dispatcher', 'fasit_events_consumed_total', { topic: 'reconciler.deploy.requested.v1', result: 'ok' })).toBeGreaterThan(0);
      expect(moved('dispatcher', 'fasit_events_published_total', { topic: 'naisd.instructions.v2', result: 'ok' })).toBeGreaterThan(0);
      expect(moved('dispatcher', 'fasit_events_consumed_total', { topic: 'naisd.status.reported.v1', result: 'ok' })).toBeGreaterThan(0);
      expect(moved('dispatcher', 'fasit_deploys_total', { result: 'deployed' })).toBe(1);
      expect(moved('dispatcher', 'fasit_deploy_duration_seconds_count', { result: 'deployed' })).toBe(1);
      expect(metricValue(after.dispatcher, 'fasit_agents', { health: 'healthy' })).toBeGreaterThan(0);
      expect(moved('naisd', 'fasit_events_consumed_total', { topic: 'naisd.instructions.v2', result: 'ok' })).toBe(1);
      expect(moved('naisd', 'fasit_naisd_helm_runs_total', { operation: 'upgrade', result: 'ok' })).toBe(1);
      expect(moved('naisd', 'fasit_naisd_helm_duration_seconds_count', { operation: 'upgrade', result: 'ok' })).toBe(1);
      expect(moved('naisd', 'fasit_events_published_total', { topic: 'naisd.status.reported.v1', result: 'ok' })).toBeGreaterThan(0);
      expect(metricValue(after.naisd, 'fasit_naisd_last_heartbeat_timestamp_seconds')).toBeGreaterThan(started / 1000);
      expect(metricValue(after.naisd, 'fasit_naisd_queue_length')).toBe(0);
      // The outboxes are read at scrape, and nothing is left in them once the deploy went through.
      for (const service of ['catalog-api', 'matcher', 'reconciler', 'dispatcher'] as const) {
        expect(after[service].some((s) => s.name === 'fasit_outbox_backlog_events')).toBe(true);
        expect(after[service].some((s) => s.name === 'fasit_outbox_oldest_event_age_seconds')).toBe(true);
      }
      // Bounded labels: no id, tenant or environment name in any label value.
      const values = SERVICES.flatMap((s) => after[s].flatMap((m) => Object.values(m.labels)));
      for (const forbidden of [deployedAssignment, 'acme', 'naisd.instructions.v2.acme']) expect(values.filter((v) => v.includes(forbidden))).toEqual([]);
    });

    it('refuses a replayed and a tampered copy of an instruction it ran: the deploy log says why, and the deploy stays done', async () => {
      const url = '/api/v1/tenants/acme/environments/dev/features/demo-feature';
      const { diid } = (await api.ok<EnvironmentFeature>('GET', url)).deploys.find((d) => d.status === 'deployed')!;
      const original = sentToDev.find((m) => jtiOf(m) === diid)!;
      // Someone with a publisher role on the topic: the same message again, and one with the chart digest changed.
      const { jws } = JSON.parse(original.toString()) as { jws: string };
      const [header, payload, signature] = jws.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { instruction: { chartDigest: string } };
      claims.instruction.chartDigest = `sha256:${'6'.repeat(64)}`;
      const tampered = JSON.stringify({ version: 'v2', jws: `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}` });
      await platform.bus.bus.publish(devTopic, original, {});
      await platform.bus.bus.publish(devTopic, Buffer.from(tampered), {});
      const refusals = (f: EnvironmentFeature) =>
        (f.deploys.find((d) => d.diid === diid)?.logs ?? []).map((l) => l.msg).filter((m) => m.startsWith('naisd refused'));
      const after = await api.until<EnvironmentFeature>(url, (f) => refusals(f).length === 2);
      expect(refusals(after).sort()).toEqual([
        "naisd refused an instruction claiming to be this one (its signature did not verify): bad-signature: the instruction's signature does not verify: it was changed after signing, or signed by another key",
        `naisd refused this instruction: replayed: instruction ${diid} was already applied here; it is not run again`,
      ]);
      const deploy = after.deploys.find((d) => d.diid === diid)!;
      expect(deploy.history.map((h) => h.status)).toEqual(['sent', 'installing', 'deployed']);
      expect(after.state).toBe('DEPLOYED');
    });

    it('the most specific assignment wins per environment; deactivating it falls back', async () => {
      await api.ok('POST', '/api/v1/tenants/acme/environments', { name: 'prod', kind: 'tenant', labels: { team: 'platform' } });
      await platform.startAgent({ tenant: 'acme', environment: 'prod' });
      const v2 = await pushChart('demo-feature', { repoPath, version: '0.2.0' });
      const general = (await api.ok<{ id: string }[]>('GET', '/api/v1/assignments?feature=demo-feature&active=true'))[0]!;
      const specific = await api.ok<{ id: string }>('POST', '/api/v1/assignments', {
        chart: v2.ref,
        version: '0.2.0',
        target: { tenant: 'acme', name: 'prod' },
      });
      const feature = (env: string) => `/api/v1/tenants/acme/environments/${env}/features/demo-feature`;
      await api.until<AssignmentStatus>(`/api/v1/assignments/${specific.id}/status`, (s) => s.state === 'DEPLOYED');
      const prod = await api.until<EnvironmentFeature>(feature('prod'), (f) => f.current?.version === '0.2.0');
      expect(prod.state).toBe('DEPLOYED');
      expect((await api.ok<EnvironmentFeature>('GET', feature('dev'))).current?.version).toBe('0.1.0');
      const generalStatus = await api.ok<AssignmentStatus>('GET', `/api/v1/assignments/${general.id}/status`);
      expect(generalStatus.environments.map((e) => e.environment)).toEqual(['dev']);

      // Deactivating it would take prod back to 0.1.0: refused until confirmed, naming where and what.
      const refused = await api.call<{ code: string; message: string; details: { fallback: { environment: string; downgrade: boolean }[] } }>(
        'POST',
        `/api/v1/assignments/${specific.id}/deactivate`,
      );
      expect(refused.status).toBe(409);
      expect(refused.body.message).toContain('would downgrade acme/prod (0.2.0 → 0.1.0)');
      const confirmed = await api.ok<{ active: boolean; fallback: { environment: string; next: { version: string }; downgrade: boolean }[] }>(
        'POST',
        `/api/v1/assignments/${specific.id}/deactivate?confirm=true`,
      );
      expect(confirmed).toMatchObject({ active: false, fallback: [{ environment: 'prod', next: { version: '0.1.0' }, downgrade: true }] });
      await api.until<EnvironmentFeature>(feature('prod'), (f) => f.current?.version === '0.1.0' && f.state === 'DEPLOYED');
    });

    it("refuses an agent report signed with another environment's key", async () => {
      const dead: string[] = [];
      const deadTopic = 'naisd.status.reported.v1.dispatcher.dead-letter';
      const stop = await platform.bus.bus.subscribe(deadTopic, `${deadTopic}.e2e`, (m) => {
        dead.push(m.attributes['deadLetterReason'] ?? '');
        return Promise.resolve();
      });
      await api.ok('POST', '/api/v1/tenants/acme/environments', { name: 'staging', kind: 'tenant' });
      const report: AgentReportV1 = {
        version: 'v1',
        tenant: 'acme',
        environment: 'staging',
        sentAt: new Date().toISOString(),
        report: { type: 'heartbeat', agentVersion: 'forged' },
      };
      const devKey = deriveAgentKey(secret, 'acme', 'dev');
      await platform.bus.publish('naisd.status.reported.v1', report, { attributes: { signature: signReport(devKey, JSON.stringify(report)) } });
      const deadline = Date.now() + 20_000;
      while (dead.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(dead[0]).toContain("not signed with that environment's agent key");
      // The forged heartbeat did not count: the reconciler still waits for staging's own agent. (Its decision travels
      // catalog → matcher → reconciler and may land after the dead letter; wait for it, do not assume it.)
      const staging = await api.until<EnvironmentFeature>('/api/v1/tenants/acme/environments/staging/features/demo-feature', (f) => f.lastDecision !== null);
      expect(staging.lastDecision?.message).toBe('naisd has not reported yet');
      await stop();
    });

    it("a chart whose templates fail to render ends FAILED with helm's message", async () => {
      const a = await api.ok<{ id: string }>('POST', '/api/v1/assignments', { chart: broken.ref, version: broken.version, target: { tenant: 'acme' } });
      // Every environment with an agent (dev, prod) settles; staging has none and stays PENDING.
      // (Until the matcher has placed the assignment its environment list is empty: wait for all three.)
      const settled = (e: { environment: string; state: string }) => e.environment === 'staging' || e.state === 'FAILED' || e.state === 'DEPLOYED';
      const s = await api.until<AssignmentStatus>(`/api/v1/assignments/${a.id}/status`, (b) => b.environments.length === 3 && b.environments.every(settled));
      expect(s.state).toBe('FAILED');
      const withAgents = s.environments.filter((e) => e.environment !== 'staging');
      expect(withAgents.map((e) => e.environment)).toEqual(['dev', 'prod']);
      for (const e of withAgents) {
        expect(e.state).toBe('FAILED');
        expect(e.message).toContain(BROKEN_TEMPLATES_MESSAGE);
      }
    });
  });
}
