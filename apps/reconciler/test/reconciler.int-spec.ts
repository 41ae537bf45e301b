// The reconciler against the real PostgreSQL, the real catalog API (charts from the local OCI registry), the real
// matcher (winners) and dispatcher (deploy log, agent health) over the in-process bus. The test plays the agent:
// signed reports on `naisd.status.reported.v1`. Observed through reconciler.decisions and
// `reconciler.deploy.requested.v1`. The decisions follow `packages/domain/src/decide.ts`; the scenarios are the original reconciler's.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEVELOPMENT_KEYS, parseInstructionPublicKeys, readConfig } from '@fasit/config';
import { instructionTopic, InstructionVerifier, type AgentReport, type AgentReportV1, type DeployRequestedV1, type PayloadOf } from '@fasit/bus';
import { deriveAgentKey, openForAgent, signReport, valuesHash } from '@fasit/domain';
import { dispatcherService, dispatcherSpec } from '@fasit/dispatcher';
import { matcherService, matcherSpec } from '@fasit/matcher';
import { pushChart, type PushedChart } from '@fasit/testing';
import { reconcilerService, reconcilerSpec } from '../src/index.js';
import { ReconcileService } from '../src/reconcile/reconcile.service.js';
import { startHarness, transports, unique, until, type Harness, type Recording } from '@fasit/harness';

const AGENT_SECRET = unique('agent-secret-of-at-least-32-characters');
// The secret being rotated out: the suite's reconciler runs mid-rotation (FASIT_AGENT_KEY_SECRET="new,old").
const RETIRING_SECRET = unique('retiring-agent-secret-of-32-characters');
const RETRY_MAX = 2;
const RETRY_BASE_MS = 3000;

let h: Harness;
let requests: Recording<DeployRequestedV1>;
const run = unique('r');
const tenant = unique('acme');
const env: Record<string, string> = {};

/** The values of a deploy request, opened as that environment's agent opens them. */
function valuesOf(r: DeployRequestedV1): Record<string, unknown> {
  return openForAgent(deriveAgentKey(AGENT_SECRET, r.tenant, r.environment), r.diid, r.sealedValues) as Record<string, unknown>;
}

interface DecisionRow {
  id: string;
  action: string;
  message: string;
  hash: string | null;
  diid: string | null;
  values: Record<string, unknown> | null;
  assignment_id: string;
}

async function chart(prefix: string, featureYaml?: string, version = '1.0.0'): Promise<PushedChart> {
  return pushChart('demo-feature', {
    repoPath: `reconciler-${run}`,
    name: unique(prefix),
    version,
    ...(featureYaml ? { files: { 'Feature.yaml': featureYaml } } : {}),
  });
}

async function assign(c: PushedChart, environment: string): Promise<string> {
  return (await h.ok<{ id: string }>('POST', '/api/v1/assignments', { chart: c.ref, version: c.version, target: { tenant, name: environment } })).id;
}

async function decisions(environment: string, feature: string): Promise<DecisionRow[]> {
  return h.query<DecisionRow>(
    `SELECT d.id::text AS id, action, message, hash, diid, values, assignment_id FROM reconciler.decisions d WHERE environment_id = $1 AND feature = $2 ORDER BY d.id`,
    [env[environment], feature],
  );
}

/** Waits until the latest decision for the pair satisfies `match`. */
async function decided(environment: string, feature: string, match: (d: DecisionRow) => boolean, what = 'a decision'): Promise<DecisionRow> {
  let seen: DecisionRow[] = [];
  return until(`${what} for ${environment}/${feature}`, async () => {
    seen = await decisions(environment, feature);
    const last = seen.at(-1);
    return last && match(last) ? last : undefined;
  }).catch(async (e: unknown) => {
    throw new Error(
      `${(e as Error).message}; decisions: ${JSON.stringify(seen.map((d) => [d.id, d.action, d.message, d.diid, d.hash?.slice(0, 8)]))}; log: ${JSON.stringify(await h.query(`SELECT diid, status, substr(hash, 1, 8) AS hash FROM dispatcher.deploy_statuses l WHERE environment_id = $1 AND feature = $2 ORDER BY l.id`, [env[environment], feature]))}; ${h.logs.join('\n')}`,
    );
  });
}

/**
 * Waits for a `deploy` decision of the pair satisfying `match`, wherever it is in the history: events arriving
 * late (on Pub/Sub) may already have appended an in-progress after it.
 */
async function deployDecision(environment: string, feature: string, match: (d: DecisionRow) => boolean = () => true, what = 'a deploy'): Promise<DecisionRow> {
  return until(`${what} for ${environment}/${feature}`, async () => (await decisions(environment, feature)).find((x) => x.action === 'deploy' && match(x)));
}

const sweep = (): Promise<void> => h.service.jobs.get('sweep')!.trigger();

/** Plays the agent of one environment: reports signed with that environment's key. */
async function report(environment: string, r: AgentReport, ofTenant = tenant): Promise<void> {
  const body: AgentReportV1 = { version: 'v1', tenant: ofTenant, environment, sentAt: new Date().toISOString(), report: r };
  await h.bus.publish('naisd.status.reported.v1', body, {
    attributes: { signature: signReport(deriveAgentKey(AGENT_SECRET, ofTenant, environment), JSON.stringify(body)) },
  });
}

async function helm(environment: string, d: DeployRequestedV1, status: 'installing' | 'deployed' | 'failed', error: string | null = null): Promise<void> {
  await report(environment, { type: 'helm', diid: d.diid, name: d.feature, featureVersion: d.featureVersion, status, hash: d.hash, error });
  await until(
    `${status} of ${d.diid} in the deploy log`,
    async () => (await h.query(`SELECT 1 FROM dispatcher.deploy_statuses WHERE diid = $1 AND status = $2`, [d.diid, status])).length > 0,
  );
}

async function requestFor(diid: string): Promise<DeployRequestedV1> {
  const r = (await requests.waitFor(`the deploy request ${diid}`, (p) => p.diid === diid)).payload;
  await until(`${diid} sent`, async () => (await h.query(`SELECT 1 FROM dispatcher.deploy_statuses WHERE diid = $1 AND status = 'sent'`, [diid])).length > 0);
  return r;
}

/** Assigns, and waits for the first deploy; returns its request. */
async function firstDeploy(c: PushedChart, environment: string): Promise<DeployRequestedV1> {
  await assign(c, environment);
  const d = await deployDecision(environment, c.name, undefined, 'the first deploy');
  return requestFor(d.diid!);
}

const plainYaml = `environmentKinds: [tenant]\nvalues:\n  image.tag:\n    config:\n      type: string\n`;

describe.each(transports)('reconciler, two replicas at once (%s, PostgreSQL, catalog API, matcher and dispatcher)', (transport) => {
  beforeAll(async () => {
    h = await startHarness({
      prefix: 'reconciler',
      transport,
      replicas: 2,
      companions: [
        (e) => {
          const config = readConfig(matcherSpec, { ...e, FASIT_MATCHER_SWEEP_INTERVAL_MS: '3600000' });
          return { definition: matcherService(config), config };
        },
        (e) => {
          const config = readConfig(dispatcherSpec, { ...e, FASIT_AGENT_KEY_SECRET: AGENT_SECRET, FASIT_DEPLOY_TIMEOUT_MS: '3600000' });
          return { definition: dispatcherService(config), config };
        },
      ],
      service: (e) => {
        const config = readConfig(reconcilerSpec, {
          ...e,
          FASIT_AGENT_KEY_SECRET: `${AGENT_SECRET},${RETIRING_SECRET}`,
          FASIT_RECONCILE_INTERVAL_MS: '3600000',
          FASIT_DEPLOY_RETRY_MAX: String(RETRY_MAX),
          FASIT_DEPLOY_RETRY_BASE_MS: String(RETRY_BASE_MS),
        });
        return { definition: reconcilerService(config), config };
      },
    });
    requests = await h.record('reconciler.deploy.requested.v1');
    await h.ok('POST', '/api/v1/tenants', { name: tenant });
    for (const name of ['dev', 'dark', 'paused']) {
      env[name] = (await h.ok<{ id: string }>('POST', `/api/v1/tenants/${tenant}/environments`, { name, kind: 'tenant' })).id;
    }
    for (const name of ['dev', 'paused']) {
      await report(name, { type: 'heartbeat', agentVersion: 'test' });
      await until(
        `${name}'s heartbeat`,
        async () => (await h.query(`SELECT 1 FROM dispatcher.agent_health WHERE environment_id = $1`, [env[name]])).length > 0,
      );
    }
  });

  afterAll(async () => {
    await h?.close();
  });

  it('missing-config lists every missing required key, and no deploy is requested', async () => {
    const c = await chart(
      'needs',
      `environmentKinds: [tenant]\nvalues:\n  auth.token:\n    required: true\n    config:\n      type: string\n      secret: true\n  db.url:\n    required: true\n    config:\n      type: string\n`,
    );
    await assign(c, 'dev');
    const d = await decided('dev', c.name, (x) => x.action === 'missing-config');
    expect(d.message).toBe('missing required chart config: auth.token, db.url');
    expect(d.diid).toBeNull();

    await h.ok('PUT', `/api/v1/features/${c.name}/config/db.url`, { value: 'postgres://db' });
    const d2 = await decided('dev', c.name, (x) => x.id !== d.id);
    expect(d2).toMatchObject({ action: 'missing-config', message: 'missing required chart config: auth.token' });
    expect(requests.all().filter((r) => r.feature === c.name)).toEqual([]);
  });

  it('render-error names the value whose template failed', async () => {
    const c = await chart('broken', `environmentKinds: [tenant]\nvalues:\n  greeting:\n    computed:\n      template: '{{ fail "no greeting today" }}'\n`);
    await assign(c, 'dev');
    const d = await decided('dev', c.name, (x) => x.action === 'render-error');
    expect(d.message).toMatch(/^greeting: /);
    expect(d.message).toContain('no greeting today');
  });

  it('an environment whose agent never reported is unhealthy: nothing is deployed there', async () => {
    const c = await chart('dark', plainYaml);
    await assign(c, 'dark');
    const d = await decided('dark', c.name, (x) => x.action === 'unhealthy');
    expect(d.message).toBe('naisd has not reported yet');
    expect(requests.all().filter((r) => r.feature === c.name)).toEqual([]);
  });

  describe('a deploy and its life', () => {
    let c: PushedChart;
    let first: DeployRequestedV1;

    beforeAll(async () => {
      c = await chart('demo');
      await h.ok('POST', '/api/v1/features', { chart: c.ref, version: c.version });
      await h.ok('PUT', `/api/v1/features/${c.name}/config/auth.token`, { value: 's3cret-token' });
    });

    it("deploy: the request carries the values sealed for the environment's agent, the decision only masked", async () => {
      first = await firstDeploy(c, 'dev');
      expect(first).toMatchObject({ tenant, environment: 'dev', feature: c.name, featureVersion: '1.0.0', chartDigest: c.digest });
      expect(JSON.stringify(first)).not.toContain('s3cret-token');
      expect(valuesOf(first)['auth']).toEqual({ token: 's3cret-token' });
      expect(() => openForAgent(deriveAgentKey(AGENT_SECRET, tenant, 'prod'), first.diid, first.sealedValues)).toThrow(
        "not sealed for this environment's agent key",
      );
      // Mid-rotation the values are sealed under the first secret's agent key, not the retiring one's.
      expect(() => openForAgent(deriveAgentKey(RETIRING_SECRET, tenant, 'dev'), first.diid, first.sealedValues)).toThrow(
        "not sealed for this environment's agent key",
      );
      const [d] = (await decisions('dev', c.name)).filter((x) => x.diid === first.diid);
      expect(d).toMatchObject({ action: 'deploy', hash: first.hash });
      expect(d!.values!['auth']).toEqual({ token: '*****' });
      const raw = await h.query<{ text: string }>(
        `SELECT coalesce(values::text, '') || coalesce(provenance::text, '') || coalesce(sealed_values, '') AS text FROM reconciler.decisions WHERE environment_id = $1`,
        [env['dev']],
      );
      for (const r of raw) expect(r.text).not.toContain('s3cret-token');
    });

    it("the decision records the values hash of what naisd will hand helm: valuesHash of the values the agent opens (naisd's own hash of what helm then holds)", async () => {
      const [d] = await h.query<{ values_hash: string | null }>(`SELECT values_hash FROM reconciler.decisions WHERE diid = $1`, [first.diid]);
      expect(d?.values_hash).toBe(valuesHash(valuesOf(first)));
      // the secret is in it: a hash of the masked values would not match what helm holds
      expect(d?.values_hash).not.toBe(valuesHash({ ...valuesOf(first), auth: { token: '*****' } }));
    });

    it('in-progress while the deploy is sent or installing; unchanged once deployed; nothing appended while nothing changes', async () => {
      await sweep();
      expect((await decisions('dev', c.name)).at(-1)).toMatchObject({ action: 'in-progress', message: `deploy ${first.diid} is sent` });
      await helm('dev', first, 'installing');
      await sweep();
      expect((await decisions('dev', c.name)).at(-1)).toMatchObject({ action: 'in-progress', message: `deploy ${first.diid} is installing` });
      await helm('dev', first, 'deployed');
      await decided('dev', c.name, (x) => x.action === 'unchanged', 'unchanged after deployed');
      const count = (await decisions('dev', c.name)).length;
      await sweep();
      await sweep();
      expect(await decisions('dev', c.name)).toHaveLength(count);
      expect(requests.all().filter((r) => r.feature === c.name)).toHaveLength(1);
    });

    it('a configuration change gives a new deploy with a new hash', async () => {
      await h.ok('PUT', `/api/v1/tenants/${tenant}/environments/dev/features/${c.name}/config/image.tag`, { value: '2.0.0' });
      const d = await deployDecision('dev', c.name, (x) => x.diid !== first.diid, 'a new deploy');
      const second = await requestFor(d.diid!);
      expect(second.hash).not.toBe(first.hash);
      expect(valuesOf(second)['image']).toEqual({ tag: '2.0.0' });
      await helm('dev', second, 'deployed');
      await decided('dev', c.name, (x) => x.action === 'unchanged');
    });

    it('a disabled feature is not deployed, and is decided again when enabled', async () => {
      await h.ok('POST', `/api/v1/tenants/${tenant}/environments/dev/features/${c.name}/disable`, { reason: 'maintenance' });
      await decided('dev', c.name, (x) => x.action === 'disabled' && x.message === 'the feature is disabled in this environment');
      await h.ok('POST', `/api/v1/tenants/${tenant}/environments/dev/features/${c.name}/enable`);
      await decided('dev', c.name, (x) => x.action === 'unchanged');
    });

    it('an operator redeploy forces a deploy of the unchanged desired state', async () => {
      const before = requests.all().filter((r) => r.feature === c.name).length;
      await h.ok('POST', `/api/v1/tenants/${tenant}/environments/dev/features/${c.name}/redeploy`);
      const d = await deployDecision('dev', c.name, (x) => x.message === 'redeploy requested', 'the redeploy');
      const again = await requestFor(d.diid!);
      expect(requests.all().filter((r) => r.feature === c.name)).toHaveLength(before + 1);
      await helm('dev', again, 'deployed');
      await decided('dev', c.name, (x) => x.action === 'unchanged');
    });

    it('a forced announcement delivered three times at once to two replicas, and again after its deploy finished: one forced deploy', async () => {
      const known = new Set(requests.all().map((r) => r.diid));
      const deliver = async <T extends 'matcher.targets.changed.v1' | 'dispatcher.deploy-status.changed.v1'>(
        topic: T,
        payload: PayloadOf<T>,
        eventId: string,
        times: number,
      ) => {
        const acked = h.raw.settled.filter((x) => x.subscription === `${topic}.reconciler` && x.eventId === eventId && x.outcome === 'ack').length;
        await Promise.all(Array.from({ length: times }, () => h.bus.publish(topic, payload as never, { eventId })));
        await h.raw.acked(`${topic}.reconciler`, eventId, acked + times);
      };
      const redeploy = await h.versioned('matcher', 'matcher.targets.changed.v1', {
        version: 'v1',
        reason: 'redeploy',
        pairs: [{ environmentId: env['dev']!, feature: c.name }],
        force: true,
      });
      const redeployId = randomUUID();
      await deliver('matcher.targets.changed.v1', redeploy, redeployId, 3);
      const d = await deployDecision('dev', c.name, (x) => !known.has(x.diid!), 'the forced deploy');
      const forced = await requestFor(d.diid!);
      await helm('dev', forced, 'deployed');
      await decided('dev', c.name, (x) => x.action === 'unchanged');
      const count = (await decisions('dev', c.name)).length;
      // Redelivered late (its first ack lost, say): its version was applied, so it is dropped.
      await deliver('matcher.targets.changed.v1', redeploy, redeployId, 1);
      const status = await h.versioned('dispatcher', 'dispatcher.deploy-status.changed.v1', {
        version: 'v1',
        diid: forced.diid,
        environmentId: env['dev']!,
        feature: c.name,
        status: 'deployed',
        hash: forced.hash,
        error: null,
      });
      await deliver('dispatcher.deploy-status.changed.v1', status, randomUUID(), 3);
      expect(await decisions('dev', c.name)).toHaveLength(count);
      expect(requests.all().filter((r) => !known.has(r.diid) && r.feature === c.name)).toHaveLength(1);
    });

    it('a newer announcement or deploy status of a pair, then an older one: the older one is dropped as stale and decides nothing', async () => {
      await decided('dev', c.name, (x) => x.action === 'unchanged');
      const latest = requests
        .all()
        .filter((r) => r.feature === c.name)
        .at(-1)!;
      const pair = { environmentId: env['dev']!, feature: c.name };
      const deliver = async (topic: 'matcher.targets.changed.v1' | 'dispatcher.deploy-status.changed.v1', payload: unknown): Promise<string> => {
        const eventId = randomUUID();
        await h.bus.publish(topic, payload as never, { eventId });
        await h.raw.acked(`${topic}.reconciler`, eventId);
        return eventId;
      };
      const cases = [
        ['matcher.targets.changed.v1', 'matcher', { version: 'v1', reason: 'config', pairs: [pair] }],
        [
          'dispatcher.deploy-status.changed.v1',
          'dispatcher',
          { version: 'v1', diid: latest.diid, environmentId: pair.environmentId, feature: c.name, status: 'deployed', hash: latest.hash, error: null },
        ],
      ] as const;
      for (const [topic, producer, draft] of cases) {
        // Two versions of the pair's events, as the producer's outbox issues them; the newer is delivered first.
        const older = await h.versioned(producer, topic, draft as never);
        const newer = await h.versioned(producer, topic, draft as never);
        await deliver(topic, newer);
        const count = (await decisions('dev', c.name)).length;
        const stale = await h.counter('fasit_events_consumed_total', { topic, result: 'stale' });
        const decided = await h.counter('fasit_reconciler_decisions_total');
        const olderId = await deliver(topic, older);
        expect(await h.counter('fasit_events_consumed_total', { topic, result: 'stale' })).toBe(stale + 1);
        // Not even decided again: the decision counter did not move.
        expect(await h.counter('fasit_reconciler_decisions_total')).toBe(decided);
        expect(await decisions('dev', c.name)).toHaveLength(count);
        expect(h.logs.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
          expect.objectContaining({ level: 'debug', msg: 'event dropped: older than what was applied', topic, eventId: olderId }),
        );
      }
      expect(
        requests
          .all()
          .filter((r) => r.feature === c.name)
          .at(-1),
      ).toEqual(latest);
    });
  });

  it('reconciliation switched off for an environment: disabled', async () => {
    const c = await chart('paused', plainYaml);
    await firstDeploy(c, 'paused');
    await h.ok('PATCH', `/api/v1/tenants/${tenant}/environments/paused`, { reconcile: false });
    await decided('paused', c.name, (x) => x.action === 'disabled' && x.message === 'reconciliation is switched off for this environment');
  });

  it('dependencies: missing-deps until the dependency is deployed in the environment, then deploy', async () => {
    const base = await chart('base', plainYaml);
    const app = await chart(
      'app',
      `environmentKinds: [tenant]\ndependencies:\n  - allOf: [${base.name}]\n  - anyOf: [no-such-feature, ${base.name}]\nvalues: {}\n`,
    );
    await assign(app, 'dev');
    const d = await decided('dev', app.name, (x) => x.action === 'missing-deps');
    expect(d.message).toBe(`missing dependencies: ${base.name}, one of no-such-feature|${base.name}`);

    const b = await firstDeploy(base, 'dev');
    await helm('dev', b, 'installing');
    await sweep();
    expect((await decisions('dev', app.name)).at(-1)?.action).toBe('missing-deps');
    await helm('dev', b, 'deployed');
    // The dispatcher's status event makes the reconciler decide the environment's pairs again.
    const go = await deployDecision('dev', app.name, undefined, 'the dependent deploy');

    await requestFor(go.diid!);
  });

  it("a settled deploy decides its own pair and its dependents in the environment, not the environment's other pairs", async () => {
    const base = await chart('settled-base', plainYaml);
    const app = await chart('settled-app', `environmentKinds: [tenant]\ndependencies:\n  - anyOf: [no-such-feature, ${base.name}]\nvalues: {}\n`);
    for (const prefix of ['settled-bystander', 'settled-bystander']) await helm('dev', await firstDeploy(await chart(prefix, plainYaml), 'dev'), 'deployed');
    await assign(app, 'dev');
    await decided('dev', app.name, (x) => x.action === 'missing-deps');
    const b = await firstDeploy(base, 'dev');
    /** The decision counter once nothing has moved it for a second (events still on their way are decided first). */
    const settled = async (): Promise<number> => {
      let last = -1;
      for (;;) {
        const now = await h.counter('fasit_reconciler_decisions_total');
        if (now === last) return now;
        last = now;
        await new Promise((r) => setTimeout(r, 1000));
      }
    };
    const before = await settled();
    await helm('dev', b, 'deployed');
    await deployDecision('dev', app.name, undefined, 'the dependent deploy');
    // Decided: base (now deployed: unchanged) and app (its dependency is there: deploy); not the other pairs of dev
    // (at least the two bystanders; deciding every pair there counted 4 with this test alone).
    expect((await settled()) - before).toBe(2);
  });

  it('one replica sweeps at a time: while another holds the sweep, this one decides nothing', async () => {
    const other = h.service.ctx.dataSource.createQueryRunner();
    await other.connect();
    try {
      await other.manager.query(`SELECT pg_advisory_lock(hashtext('fasit-reconcile-sweep'))`);
      expect(await h.service.app.get(ReconcileService).sweep()).toBe(0);
      await other.manager.query(`SELECT pg_advisory_unlock(hashtext('fasit-reconcile-sweep'))`);
      expect(await h.service.app.get(ReconcileService).sweep()).toBeGreaterThan(0);
    } finally {
      await other.release();
    }
  });

  it('a value computed from a secret environment value is masked in the decision and in clear in the deploy request', async () => {
    await h.ok('PUT', `/api/v1/tenants/${tenant}/environments/dev/values/db_password`, { value: 'hunter2-env-secret', secret: true });
    const c = await chart(
      'dsn',
      `environmentKinds: [tenant]\nvalues:\n  dsn:\n    computed:\n      template: '"postgres://app:{{ .Env.db_password }}@db"'\n  cluster:\n    computed:\n      template: '{{ .Env.name }}'\n`,
    );
    const r = await firstDeploy(c, 'dev');
    expect(valuesOf(r)).toMatchObject({ dsn: 'postgres://app:hunter2-env-secret@db', cluster: 'dev' });
    const d = (await decisions('dev', c.name)).find((x) => x.diid === r.diid)!;
    expect(d.values).toMatchObject({ dsn: '*****', cluster: 'dev' });
    const raw = await h.query<{ text: string }>(
      `SELECT coalesce(values::text, '') || coalesce(provenance::text, '') || coalesce(sealed_values, '') AS text FROM reconciler.decisions`,
    );
    for (const row of raw) expect(row.text).not.toContain('hunter2-env-secret');
  });

  it("a value computed from the tenant's other environments follows every change to them: values set, changed and removed, environments added and deleted", async () => {
    const c = await chart(
      'envs',
      `environmentKinds: [tenant]\nvalues:\n  zones:\n    computed:\n      template: '"{{ range .Envs }}{{ .name }}={{ .zone | default "none" }};{{ end }}"'\n`,
    );
    let last = await firstDeploy(c, 'dev');
    expect(valuesOf(last)['zones']).toBe('dark=none;dev=none;paused=none;');
    // Each change re-renders dev (the matcher announces the tenant's pairs) and must not be served stale data.
    const zonesAfter = async (change: () => Promise<unknown>): Promise<string> => {
      await helm('dev', last, 'deployed');
      const seen = new Set((await decisions('dev', c.name)).map((d) => d.diid));
      await change();
      const d = await deployDecision('dev', c.name, (x) => !seen.has(x.diid), 'a deploy after the change');
      last = await requestFor(d.diid!);
      return valuesOf(last)['zones'] as string;
    };
    const zone = `/api/v1/tenants/${tenant}/environments/paused/values/zone`;
    expect(await zonesAfter(() => h.ok('PUT', zone, { value: 'europe-north1' }))).toBe('dark=none;dev=none;paused=europe-north1;');
    expect(await zonesAfter(() => h.ok('PUT', zone, { value: 'europe-west4' }))).toBe('dark=none;dev=none;paused=europe-west4;');
    expect(await zonesAfter(() => h.ok('DELETE', zone))).toBe('dark=none;dev=none;paused=none;');
    expect(await zonesAfter(() => h.ok('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'late', kind: 'tenant' }))).toBe(
      'dark=none;dev=none;late=none;paused=none;',
    );
    expect(await zonesAfter(() => h.ok('DELETE', `/api/v1/tenants/${tenant}/environments/late`))).toBe('dark=none;dev=none;paused=none;');
  });

  it("a tenant whose environment values cannot be opened fails its own renders, not the batch's other pairs", async () => {
    const other = unique('sealed');
    await h.ok('POST', '/api/v1/tenants', { name: other });
    const broken = (await h.ok<{ id: string }>('POST', `/api/v1/tenants/${other}/environments`, { name: 'dev', kind: 'tenant' })).id;
    await report('dev', { type: 'heartbeat', agentVersion: 'test' }, other);
    await h.ok('PUT', `/api/v1/tenants/${other}/environments/dev/values/db_password`, { value: 'hunter2', secret: true });
    // as if sealed under a key that is no longer in FASIT_SECRET_KEYS
    await h.query(`UPDATE catalog.environment_values SET encrypted_value = 'v1:gone:AAAA' WHERE environment_id = $1`, [broken]);
    const c = await chart('opened', plainYaml);
    await h.ok('POST', '/api/v1/assignments', { chart: c.ref, version: c.version, target: { tenant: other } });
    const fine = await chart('fine', plainYaml);
    await firstDeploy(fine, 'dev');
    await until(
      'the broken pair to have a winner',
      async () => (await h.query(`SELECT 1 FROM matcher.winners WHERE environment_id = $1`, [broken])).length > 0,
    );

    const outcomes = await h.service.app.get(ReconcileService).reconcile([
      { environmentId: broken, feature: c.name },
      { environmentId: env['dev']!, feature: fine.name },
    ]);
    const byEnv = new Map(outcomes.map((o) => [o.environmentId, o]));
    expect(byEnv.get(broken)).toMatchObject({ action: 'render-error' });
    expect(byEnv.get(broken)!.message).toMatch(/^environment values of the tenant cannot be opened: /);
    expect(byEnv.get(env['dev']!)).toMatchObject({ action: 'in-progress' });
  });

  it(`a failed deploy is retried after the backoff, at most FASIT_DEPLOY_RETRY_MAX (${RETRY_MAX}) times, then retry-exhausted`, async () => {
    const c = await chart('flaky', plainYaml);
    let d = await firstDeploy(c, 'dev');
    const diids = [d.diid];
    for (let retry = 1; retry <= RETRY_MAX; retry++) {
      await helm('dev', d, 'failed', 'helm: timed out waiting for the condition');
      const failedAt = Date.now();
      // Backing off: deciding again (twice) neither deploys nor appends a new decision.
      await sweep();
      const waiting = (await decisions('dev', c.name)).at(-1)!;
      expect(waiting.action).toBe('unchanged');
      await until('a second into the backoff', () => Promise.resolve(Date.now() - failedAt > 1200));
      await sweep();
      expect((await decisions('dev', c.name)).at(-1)!.id).toBe(waiting.id);
      // After the backoff: a new attempt of the same desired state.
      const next = await until(
        `retry ${retry}`,
        async () => {
          await sweep();
          return (await decisions('dev', c.name)).find((x) => x.action === 'deploy' && !diids.includes(x.diid!));
        },
        20_000,
      );
      expect(next.hash).toBe(d.hash);
      d = await requestFor(next.diid!);
      diids.push(d.diid);
    }
    await helm('dev', d, 'failed', 'helm: timed out waiting for the condition');
    const exhausted = await decided('dev', c.name, (x) => x.action === 'retry-exhausted');
    expect(exhausted.message).toContain(`failed ${RETRY_MAX + 1} times`);
    expect(new Set(diids).size).toBe(RETRY_MAX + 1);
    expect(requests.all().filter((r) => r.feature === c.name)).toHaveLength(RETRY_MAX + 1);

    // Another desired state deploys; going back to the failing one later starts its retries afresh.
    await h.ok('PUT', `/api/v1/features/${c.name}/config/image.tag`, { value: 'other' });
    const other = await deployDecision('dev', c.name, (x) => !diids.includes(x.diid!), 'the other state');
    await helm('dev', await requestFor(other.diid!), 'deployed');
    await decided('dev', c.name, (x) => x.action === 'unchanged' && x.hash === other.hash);
    await h.ok('DELETE', `/api/v1/features/${c.name}/config/image.tag`);
    const back = await deployDecision('dev', c.name, (x) => x.hash === d.hash && !diids.includes(x.diid!), 'the failing state again');
    await helm('dev', await requestFor(back.diid!), 'failed', 'helm: timed out waiting for the condition');
    const waiting = await decided('dev', c.name, (x) => x.diid === null && x.hash === d.hash && x.action !== 'in-progress');
    expect(waiting.action).toBe('unchanged');
    expect(waiting.message).toMatch(/^deploy failed; retry 1 of 2 at /);
  });
});

describe.each(transports)('reconciler at a (small) scale, agents answering at once (%s, PostgreSQL, catalog API, matcher and dispatcher)', (transport) => {
  // The original's scale scenario, scaled down: features × 2 assignments (everywhere, and a more specific one for
  // one region) × environments; every agent deploys what it is sent. A change of one feature's configuration then
  // sends new instructions for that feature only, one per environment.
  const scale = unique('scale');
  const ENVS = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'];
  const FEATURES = 4;
  const charts: PushedChart[] = [];
  const stops: (() => Promise<void>)[] = [];
  const pairs = () =>
    h.query<{ feature: string; action: string; n: number }>(
      `SELECT DISTINCT ON (d.environment_id, d.feature) d.feature, d.action FROM reconciler.decisions d JOIN catalog.environments e ON e.id = d.environment_id
     JOIN catalog.tenants t ON t.id = e.tenant_id WHERE t.name = $1 ORDER BY d.environment_id, d.feature, d.id DESC`,
      [scale],
    );

  beforeAll(async () => {
    h = await startHarness({
      prefix: 'reconciler',
      transport,
      companions: [
        (e) => {
          const config = readConfig(matcherSpec, { ...e, FASIT_MATCHER_SWEEP_INTERVAL_MS: '3600000' });
          return { definition: matcherService(config), config };
        },
        (e) => {
          const config = readConfig(dispatcherSpec, { ...e, FASIT_AGENT_KEY_SECRET: AGENT_SECRET });
          return { definition: dispatcherService(config), config };
        },
      ],
      service: (e) => {
        const config = readConfig(reconcilerSpec, { ...e, FASIT_AGENT_KEY_SECRET: AGENT_SECRET, FASIT_RECONCILE_INTERVAL_MS: '3600000' });
        return { definition: reconcilerService(config), config };
      },
    });
    requests = await h.record('reconciler.deploy.requested.v1');
    await h.ok('POST', '/api/v1/tenants', { name: scale });
    for (const [i, name] of ENVS.entries()) {
      await h.ok('POST', `/api/v1/tenants/${scale}/environments`, { name, kind: 'tenant', labels: { region: i % 2 === 0 ? 'eu' : 'us' } });
      // An agent that deploys whatever it is sent, at once (the dispatcher runs in development mode: its key is the development key).
      const verifier = new InstructionVerifier(parseInstructionPublicKeys(DEVELOPMENT_KEYS.FASIT_INSTRUCTION_PUBLIC_KEYS), scale, name);
      stops.push(
        await h.bus.consume<'naisd.instructions.v2'>(instructionTopic(scale, name), unique('agent'), async (message) => {
          const i = await verifier.verify(message.jws);
          if (i.action !== 'deploy') return;
          for (const status of ['installing', 'deployed'] as const) {
            await report(name, { type: 'helm', diid: i.diid, name: i.release, featureVersion: i.featureVersion, status, hash: i.hash, error: null }, scale);
          }
        }),
      );
      await report(name, { type: 'heartbeat', agentVersion: 'test' }, scale);
    }
    await until('every heartbeat', async () => (await h.query(`SELECT 1 FROM dispatcher.agent_health WHERE tenant = $1`, [scale])).length === ENVS.length);
    for (let f = 0; f < FEATURES; f++) {
      const name = unique(`scale${f}`);
      const [v1, v2] = [
        await pushChart('demo-feature', { repoPath: `reconciler-${run}`, name, version: '1.0.0', files: { 'Feature.yaml': plainYaml } }),
        await pushChart('demo-feature', { repoPath: `reconciler-${run}`, name, version: '2.0.0', files: { 'Feature.yaml': plainYaml } }),
      ];
      charts.push(v1);
      await h.ok('POST', '/api/v1/assignments', { chart: v1.ref, version: v1.version, target: { tenant: scale } });
      await h.ok('POST', '/api/v1/assignments', { chart: v2.ref, version: v2.version, target: { tenant: scale, region: 'eu' } });
    }
  });

  afterAll(async () => {
    for (const stop of stops) await stop();
    await h?.close();
  });

  it("every pair ends with its winner deployed; one feature's configuration change sends instructions for that feature only, one per environment", async () => {
    const settled = async () => {
      const rows = await pairs();
      return rows.length === ENVS.length * FEATURES && rows.every((r) => r.action === 'unchanged');
    };
    await until('every pair deployed', settled, 60_000);
    // Each pair ends with its winner deployed: the region-specific version in eu, the general one elsewhere.
    const versions = await h.query<{ environment: string; version: string }>(
      `SELECT e.name AS environment, l.feature_version AS version FROM dispatcher.deploy_statuses l JOIN catalog.environments e ON e.id = l.environment_id
       WHERE l.feature = $1 AND l.status = 'deployed' AND l.id = (SELECT max(id) FROM dispatcher.deploy_statuses x WHERE x.environment_id = l.environment_id AND x.feature = l.feature)
       ORDER BY e.name`,
      [charts[0]!.name],
    );
    expect(versions).toEqual(ENVS.map((name, i) => ({ environment: name, version: i % 2 === 0 ? '2.0.0' : '1.0.0' })));

    requests.reset();
    await h.ok('PUT', `/api/v1/features/${charts[0]!.name}/config/image.tag`, { value: '9.9.9' });
    await until('the changed feature deployed everywhere', async () => requests.since().length === ENVS.length && (await settled()), 60_000);
    await sweep();
    expect(requests.since().map((r) => r.feature)).toEqual(ENVS.map(() => charts[0]!.name));
    expect(new Set(requests.since().map((r) => r.environment))).toEqual(new Set(ENVS));
    expect(requests.since().every((r) => (valuesOf(r)['image'] as { tag: string }).tag === '9.9.9')).toBe(true);
    // Statuses that raced their `sent` were redelivered, not lost: nothing was dead-lettered.
    expect(h.logs.filter((l) => l.includes('message dead-lettered'))).toEqual([]);
  });
});

describe.each(transports)('reconciler while the dispatcher is down (%s, PostgreSQL, catalog API, matcher)', (transport) => {
  const REQUEST_TIMEOUT_MS = 1500;

  beforeAll(async () => {
    h = await startHarness({
      prefix: 'reconciler',
      transport,
      companions: [
        (e) => {
          const config = readConfig(matcherSpec, { ...e, FASIT_MATCHER_SWEEP_INTERVAL_MS: '3600000' });
          return { definition: matcherService(config), config };
        },
        (e) => {
          const config = readConfig(dispatcherSpec, { ...e, FASIT_AGENT_KEY_SECRET: AGENT_SECRET });
          return { definition: dispatcherService(config), config };
        },
      ],
      service: (e) => {
        const config = readConfig(reconcilerSpec, {
          ...e,
          FASIT_AGENT_KEY_SECRET: AGENT_SECRET,
          FASIT_RECONCILE_INTERVAL_MS: '3600000',
          FASIT_DEPLOY_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
        });
        return { definition: reconcilerService(config), config };
      },
    });
    requests = await h.record('reconciler.deploy.requested.v1');
    await h.ok('POST', '/api/v1/tenants', { name: tenant });
    env['dev'] = (await h.ok<{ id: string }>('POST', `/api/v1/tenants/${tenant}/environments`, { name: 'dev', kind: 'tenant' })).id;
    await report('dev', { type: 'heartbeat', agentVersion: 'test' });
    await until("dev's heartbeat", async () => (await h.query(`SELECT 1 FROM dispatcher.agent_health WHERE environment_id = $1`, [env['dev']])).length > 0);
    // The dispatcher's schema (deploy log, agent health) stays; nobody records the requests any more.
    await h.stopCompanion('dispatcher');
  });

  afterAll(async () => {
    await h?.close();
  });

  it(`a requested deploy is in progress until the dispatcher records it, and is requested again after FASIT_DEPLOY_REQUEST_TIMEOUT_MS`, async () => {
    const c = await chart('waiting', plainYaml);
    await assign(c, 'dev');
    const first = await deployDecision('dev', c.name, undefined, 'the first deploy');
    await requests.waitFor('the first request', (r) => r.diid === first.diid);
    await sweep();
    const waiting = (await decisions('dev', c.name)).at(-1)!;
    expect(waiting).toMatchObject({ action: 'in-progress', message: `deploy ${first.diid} requested, waiting for the dispatcher` });
    const again = await until('the request to be made again', async () => {
      await sweep();
      return (await decisions('dev', c.name)).find((x) => x.action === 'deploy' && x.diid !== first.diid);
    });
    expect(again.hash).toBe(first.hash);
    await requests.waitFor('the second request', (r) => r.diid === again.diid);
    expect(requests.all().filter((r) => r.feature === c.name)).toHaveLength(2);
  });
});
