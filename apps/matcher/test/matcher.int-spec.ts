// The matcher against the real PostgreSQL, the real catalog API (REST, charts pulled from the local OCI
// registry) and the in-process bus: matching rules, incremental recomputation, announcements,
// the repairing sweep and idempotent redelivery. Observed through matcher.winners, matcher.outbox and
// `matcher.targets.changed.v1`.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readConfig } from '@fasit/config';
import type { AssignmentChangedV1, EnvironmentChangedV1, TargetPair, TargetsChangedV1 } from '@fasit/bus';
import { pushChart, type PushedChart } from '@fasit/testing';
import { matcherService, matcherSpec } from '../src/index.js';
import { startHarness, transports, unique, until, type Harness, type Recording } from '@fasit/harness';

let h: Harness;
let targets: Recording<TargetsChangedV1>;
let assignmentEvents: Recording<AssignmentChangedV1>;
let environmentEvents: Recording<EnvironmentChangedV1>;
const run = unique('m');
const tenant = unique('acme');
const env: Record<string, string> = {};

interface WinnerRow {
  environment_id: string;
  feature: string;
  assignment_id: string;
  updated_at: Date;
}

/** A chart of its own per test (a feature name nobody else uses), pushed to the real registry. */
async function feature(prefix: string, versions: string[], featureYaml?: string): Promise<PushedChart[]> {
  const name = unique(prefix);
  const out: PushedChart[] = [];
  for (const version of versions)
    out.push(
      await pushChart('demo-feature', { repoPath: `matcher-${run}`, name, version, ...(featureYaml ? { files: { 'Feature.yaml': featureYaml } } : {}) }),
    );
  return out;
}

async function assign(chart: PushedChart, target: Record<string, string>): Promise<string> {
  return (await h.ok<{ id: string }>('POST', '/api/v1/assignments', { chart: chart.ref, version: chart.version, target })).id;
}

async function createEnvironment(t: string, name: string, kind: string, labels: Record<string, string>): Promise<string> {
  return (await h.ok<{ id: string }>('POST', `/api/v1/tenants/${t}/environments`, { name, kind, labels })).id;
}

async function winners(feature: string): Promise<Record<string, string>> {
  const rows = await h.query<WinnerRow>(`SELECT environment_id, assignment_id FROM matcher.winners WHERE feature = $1`, [feature]);
  return Object.fromEntries(rows.map((r) => [r.environment_id, r.assignment_id]));
}

/** Waits until the winners of `feature` are exactly `expected` (environment id → assignment id). */
async function expectWinners(feature: string, expected: Record<string, string>): Promise<void> {
  await until(
    `winners of ${feature} to be ${JSON.stringify(expected)}`,
    async () => JSON.stringify(sorted(await winners(feature))) === JSON.stringify(sorted(expected)),
  );
}

const sorted = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
const key = (p: TargetPair) => `${p.environmentId}/${p.feature}`;
const keys = (ps: TargetPair[]) => [...new Set(ps.map(key))].sort();
/** Announced pairs without their versions. */
const plain = (ps: TargetPair[]): TargetPair[] => ps.map(({ environmentId, feature }) => ({ environmentId, feature }));

async function outboxMark(): Promise<number> {
  const [row] = await h.query<{ id: string | null }>(`SELECT max(id)::text AS id FROM matcher.outbox`);
  return Number(row?.id ?? 0);
}

async function outboxSince(mark: number): Promise<TargetsChangedV1[]> {
  const rows = await h.query<{ payload: TargetsChangedV1 }>(`SELECT payload FROM matcher.outbox WHERE id > $1 ORDER BY id`, [mark]);
  return rows.map((r) => r.payload);
}

/**
 * Waits until everything is quiet: every catalog event is published and handled by the matcher, and every
 * announcement the matcher made is published and has arrived here. On Pub/Sub, deliveries lag and interleave; after
 * this, what arrives next was caused by what the test does next.
 */
async function quiet(): Promise<void> {
  await until('the catalog events to be handled and the announcements to arrive', async () => {
    const events = await h.query<{ event_id: string; topic: string; published: boolean }>(
      `SELECT event_id, topic, published_at IS NOT NULL AS published FROM catalog.outbox`,
    );
    const handled = new Set(h.raw.settled.filter((x) => x.outcome === 'ack').map((x) => `${x.subscription}|${x.eventId}`));
    if (!events.every((e) => e.published && (e.topic === 'catalog.uninstall.requested.v1' || handled.has(`${e.topic}.matcher|${e.event_id}`)))) return false;
    const announcements = await h.query<{ event_id: string; published: boolean }>(`SELECT event_id, published_at IS NOT NULL AS published FROM matcher.outbox`);
    const arrived = new Set(targets.items.map((i) => i.eventId));
    return announcements.every((a) => a.published && arrived.has(a.event_id));
  });
  targets.reset();
}

describe.each(transports)('matcher, two replicas at once (%s, PostgreSQL, catalog API)', (transport) => {
  beforeAll(async () => {
    h = await startHarness({
      prefix: 'matcher',
      transport,
      replicas: 2,
      service: (e) => {
        const config = readConfig(matcherSpec, { ...e, FASIT_MATCHER_SWEEP_INTERVAL_MS: '3600000' });
        return { definition: matcherService(config), config };
      },
    });
    targets = await h.record('matcher.targets.changed.v1');
    assignmentEvents = await h.record('catalog.assignment.changed.v1');
    environmentEvents = await h.record('catalog.environment.changed.v1');
    await h.ok('POST', '/api/v1/tenants', { name: tenant });
    env['dev'] = await createEnvironment(tenant, 'dev', 'tenant', { team: 'a' });
    env['prod'] = await createEnvironment(tenant, 'prod', 'tenant', { team: 'a', region: 'eu' });
    env['ops'] = await createEnvironment(tenant, 'ops', 'management', { team: 'a' });
  });

  afterAll(async () => {
    await h?.close();
  });

  beforeEach(quiet);

  it('the assignment with more target labels wins; the general one keeps the other environments; each pair is announced', async () => {
    const [v1, v2] = await feature('specific', ['1.0.0', '2.0.0']);
    await quiet();
    const general = await assign(v1!, { tenant });
    await expectWinners(v1!.name, { [env['dev']!]: general, [env['prod']!]: general, [env['ops']!]: general });
    await targets.waitFor(
      'the three pairs announced',
      (t) => t.reason === 'winner' && keys(t.pairs).length === 3 && t.pairs.every((p) => p.feature === v1!.name),
    );

    await quiet();
    const specific = await assign(v2!, { tenant, region: 'eu' });
    await expectWinners(v1!.name, { [env['dev']!]: general, [env['prod']!]: specific, [env['ops']!]: general });
    const announced = await targets.waitFor('prod announced', (t) => t.pairs.some((p) => p.feature === v1!.name));
    expect(plain(announced.payload.pairs)).toEqual([{ environmentId: env['prod'], feature: v1!.name }]);
  });

  it('an empty target matches every environment of every tenant; any label is more specific', async () => {
    const [v1, v2] = await feature('global', ['1.0.0', '2.0.0']);
    const everywhere = await assign(v1!, {});
    const all = (await h.query<{ id: string }>(`SELECT id FROM catalog.environments`)).map((r) => r.id);
    expect(all.length).toBeGreaterThanOrEqual(3);
    await expectWinners(v1!.name, Object.fromEntries(all.map((id) => [id, everywhere])));
    const mine = await assign(v2!, { kind: 'management' });
    await expectWinners(v1!.name, Object.fromEntries(all.map((id) => [id, id === env['ops'] ? mine : everywhere])));
    await h.ok('POST', `/api/v1/assignments/${everywhere}/deactivate`);
    await h.ok('POST', `/api/v1/assignments/${mine}/deactivate`);
    await expectWinners(v1!.name, {});
  });

  it('on equal specificity with different label keys the newer assignment wins, and the sweep agrees', async () => {
    const [v1, v2] = await feature('tie', ['1.0.0', '2.0.0']);
    const byRegion = await assign(v1!, { tenant, region: 'eu' });
    await expectWinners(v1!.name, { [env['prod']!]: byRegion });
    const byTeam = await assign(v2!, { tenant, team: 'a' });
    await expectWinners(v1!.name, { [env['dev']!]: byTeam, [env['prod']!]: byTeam, [env['ops']!]: byTeam });
    // Recomputing everything from scratch gives the same answer (no dependence on event order).
    const mark = await outboxMark();
    await h.service.jobs.get('sweep')!.trigger();
    expect(await winners(v1!.name)).toEqual({ [env['dev']!]: byTeam, [env['prod']!]: byTeam, [env['ops']!]: byTeam });
    expect(await outboxSince(mark)).toEqual([]);
  });

  it('a feature version whose environmentKinds exclude the environment kind has no winner there', async () => {
    const demoYaml = `environmentKinds: [management]\nvalues:\n  image.tag:\n    config:\n      type: string\n`;
    const [mgmt] = await feature('mgmt-only', ['1.0.0'], demoYaml);
    const a = await assign(mgmt!, { tenant });
    await expectWinners(mgmt!.name, { [env['ops']!]: a });
    const announced = await targets.waitFor('ops announced', (t) => t.pairs.some((p) => p.feature === mgmt!.name));
    expect(plain(announced.payload.pairs)).toEqual([{ environmentId: env['ops'], feature: mgmt!.name }]);
  });

  it('deactivating the winner falls back to the next most specific assignment and announces the pair', async () => {
    const [v1, v2] = await feature('fallback', ['1.0.0', '2.0.0']);
    const general = await assign(v1!, { tenant });
    const specific = await assign(v2!, { tenant, name: 'dev' });
    await expectWinners(v1!.name, { [env['dev']!]: specific, [env['prod']!]: general, [env['ops']!]: general });
    await quiet();
    // dev would go back from 2.0.0 to 1.0.0: the catalog wants that confirmed.
    await h.ok('POST', `/api/v1/assignments/${specific}/deactivate?confirm=true`);
    await expectWinners(v1!.name, { [env['dev']!]: general, [env['prod']!]: general, [env['ops']!]: general });
    const announced = await targets.waitFor('dev announced', (t) => t.pairs.some((p) => p.feature === v1!.name));
    expect(announced.payload).toMatchObject({ reason: 'winner', pairs: [{ environmentId: env['dev'], feature: v1!.name }] });

    // Deactivating the last one leaves no winner anywhere, and every pair is announced.
    await quiet();
    await h.ok('POST', `/api/v1/assignments/${general}/deactivate`);
    await expectWinners(v1!.name, {});
    const gone = await targets.waitFor('all three announced', (t) => t.pairs.filter((p) => p.feature === v1!.name).length === 3);
    expect(keys(gone.payload.pairs)).toEqual(keys(['dev', 'prod', 'ops'].map((n) => ({ environmentId: env[n]!, feature: v1!.name }))));
  });

  describe('environments change', () => {
    const t2 = unique('globex');
    let a: string;
    let b: string;
    let chart: PushedChart;
    let stage: string;

    beforeAll(async () => {
      await h.ok('POST', '/api/v1/tenants', { name: t2 });
      stage = await createEnvironment(t2, 'stage', 'tenant', { team: 'b' });
      const [v1, v2] = await feature('relabel', ['1.0.0', '2.0.0']);
      chart = v1!;
      a = await assign(v1!, { tenant: t2, team: 'a' });
      b = await assign(v2!, { tenant: t2, team: 'b' });
      await expectWinners(chart.name, { [stage]: b });
    });

    it('relabelling an environment moves its winners and announces its pairs', async () => {
      await quiet();
      await h.ok('PATCH', `/api/v1/tenants/${t2}/environments/stage`, { labels: { team: 'a' } });
      await expectWinners(chart.name, { [stage]: a });
      await targets.waitFor('stage announced', (t) => t.reason === 'environment' && t.pairs.some((p) => p.environmentId === stage && p.feature === chart.name));

      await quiet();
      await h.ok('PATCH', `/api/v1/tenants/${t2}/environments/stage`, { labels: { region: 'us' }, labelsMode: 'replace' });
      await expectWinners(chart.name, {});
      await targets.waitFor('the lost winner announced', (t) => t.pairs.some((p) => p.environmentId === stage && p.feature === chart.name));
    });

    it('a new environment gets the winners its labels select; deleting it removes them and announces the pairs', async () => {
      await quiet();
      const extra = await createEnvironment(t2, 'extra', 'tenant', { team: 'b' });
      await expectWinners(chart.name, { [extra]: b });
      const created = await targets.waitFor('extra announced', (t) => t.pairs.some((p) => p.environmentId === extra));
      expect(plain(created.payload.pairs)).toEqual([{ environmentId: extra, feature: chart.name }]);

      await quiet();
      await h.ok('DELETE', `/api/v1/tenants/${t2}/environments/extra`);
      await until('extra to lose its winners', async () => (await h.query(`SELECT 1 FROM matcher.winners WHERE environment_id = $1`, [extra])).length === 0);
      const deleted = await targets.waitFor('extra announced after delete', (t) => t.pairs.some((p) => p.environmentId === extra));
      expect(plain(deleted.payload.pairs)).toEqual([{ environmentId: extra, feature: chart.name }]);
    });

    it("an environment that joins, changes or leaves the tenant announces the pairs of the tenant's other environments too (their templates see it in .Envs)", async () => {
      await quiet();
      await h.ok('PATCH', `/api/v1/tenants/${t2}/environments/stage`, { labels: { team: 'b' }, labelsMode: 'replace' });
      await expectWinners(chart.name, { [stage]: b });
      await quiet();
      const peer = await createEnvironment(t2, 'peer', 'tenant', { team: 'a' });
      const joined = await targets.waitFor('peer announced', (t) => t.reason === 'environment' && t.pairs.some((p) => p.environmentId === peer));
      expect(keys(joined.payload.pairs)).toEqual(
        keys([
          { environmentId: stage, feature: chart.name },
          { environmentId: peer, feature: chart.name },
        ]),
      );

      await quiet();
      await h.ok('PATCH', `/api/v1/tenants/${t2}/environments/peer`, { description: 'now described' });
      const changed = await targets.waitFor(
        'peer announced after a change',
        (t) => t.reason === 'environment' && t.pairs.some((p) => p.environmentId === stage),
      );
      expect(keys(changed.payload.pairs)).toEqual(
        keys([
          { environmentId: stage, feature: chart.name },
          { environmentId: peer, feature: chart.name },
        ]),
      );

      await quiet();
      await h.ok('DELETE', `/api/v1/tenants/${t2}/environments/peer`);
      const left = await targets.waitFor(
        'stage announced after peer left',
        (t) => t.reason === 'environment' && t.pairs.some((p) => p.environmentId === stage),
      );
      expect(keys(left.payload.pairs)).toEqual(
        keys([
          { environmentId: stage, feature: chart.name },
          { environmentId: peer, feature: chart.name },
        ]),
      );
    });
  });

  describe('inputs of rendering change', () => {
    let a: PushedChart;
    let b: PushedChart;

    beforeAll(async () => {
      a = (await feature('cfg-a', ['1.0.0']))[0]!;
      b = (await feature('cfg-b', ['1.0.0']))[0]!;
      await assign(a, { tenant });
      await assign(b, { tenant, team: 'a' });
      await until(
        'both features to win everywhere',
        async () => (await h.query(`SELECT 1 FROM matcher.winners WHERE feature = ANY($1::text[])`, [[a.name, b.name]])).length === 6,
      );
    });

    it('global configuration announces every pair of that feature; environment configuration only its pair', async () => {
      await quiet();
      await h.ok('PUT', `/api/v1/features/${a.name}/config/image.tag`, { value: '1.2.3' });
      const global = await targets.waitFor('config announcement', (t) => t.reason === 'config');
      expect(keys(global.payload.pairs)).toEqual(keys(['dev', 'prod', 'ops'].map((n) => ({ environmentId: env[n]!, feature: a.name }))));

      await quiet();
      await h.ok('PUT', `/api/v1/tenants/${tenant}/environments/prod/features/${a.name}/config/image.tag`, { value: '1.2.4' });
      const local = await targets.waitFor('config announcement', (t) => t.reason === 'config');
      expect(plain(local.payload.pairs)).toEqual([{ environmentId: env['prod'], feature: a.name }]);
    });

    it('an environment value announces every pair of every environment of the tenant (templates see .Envs)', async () => {
      await quiet();
      await h.ok('PUT', `/api/v1/tenants/${tenant}/environments/dev/values/project_id`, { value: 'acme-dev-1' });
      const announced = await targets.waitFor('environment-value announcement', (t) => t.reason === 'environment-value');
      const expected = await h.query<TargetPair>(
        `SELECT environment_id AS "environmentId", feature FROM matcher.winners WHERE environment_id = ANY($1::uuid[])`,
        [[env['dev'], env['prod'], env['ops']]],
      );
      expect(keys(announced.payload.pairs)).toEqual(keys(expected));
      expect(keys(announced.payload.pairs)).toEqual(expect.arrayContaining([`${env['prod']}/${a.name}`, `${env['ops']}/${b.name}`]));
    });

    it('disabling a feature in one environment and asking for a redeploy announce that pair (the redeploy forced)', async () => {
      await quiet();
      await h.ok('POST', `/api/v1/tenants/${tenant}/environments/dev/features/${b.name}/disable`, { reason: 'testing' });
      const toggle = await targets.waitFor('toggle announcement', (t) => t.reason === 'toggle');
      expect(plain(toggle.payload.pairs)).toEqual([{ environmentId: env['dev'], feature: b.name }]);
      expect(toggle.payload.force).toBeUndefined();
      await h.ok('POST', `/api/v1/tenants/${tenant}/environments/dev/features/${b.name}/enable`);

      await quiet();
      await h.ok('POST', `/api/v1/tenants/${tenant}/environments/prod/features/${b.name}/redeploy`);
      const redeploy = await targets.waitFor('redeploy announcement', (t) => t.reason === 'redeploy');
      expect(plain(redeploy.payload.pairs)).toEqual([{ environmentId: env['prod'], feature: b.name }]);
      expect(redeploy.payload.force).toBe(true);
    });
  });

  it('the sweep repairs a tampered winners table and announces exactly the pairs it repaired', async () => {
    const before = await h.query<WinnerRow>(`SELECT environment_id, feature, assignment_id FROM matcher.winners ORDER BY environment_id, feature`);
    expect(before.length).toBeGreaterThan(4);
    const [lost, wrong] = before;
    const ghostEnv = '00000000-0000-4000-8000-000000000001';
    await h.query(`DELETE FROM matcher.winners WHERE environment_id = $1 AND feature = $2`, [lost!.environment_id, lost!.feature]);
    await h.query(`UPDATE matcher.winners SET assignment_id = $3 WHERE environment_id = $1 AND feature = $2`, [
      wrong!.environment_id,
      wrong!.feature,
      '00000000-0000-4000-8000-0000000000aa',
    ]);
    await h.query(`INSERT INTO matcher.winners (environment_id, feature, assignment_id) VALUES ($1, 'no-such-feature', $2), ($3, $4, $2)`, [
      env['dev'],
      '00000000-0000-4000-8000-0000000000bb',
      ghostEnv,
      lost!.feature,
    ]);
    const mark = await outboxMark();
    await quiet();
    await h.service.jobs.get('sweep')!.trigger();

    const after = await h.query<WinnerRow>(`SELECT environment_id, feature, assignment_id FROM matcher.winners ORDER BY environment_id, feature`);
    expect(after).toEqual(before);
    const announced = (await outboxSince(mark)).flatMap((e) => e.pairs);
    expect(keys(announced)).toEqual(
      keys([
        { environmentId: lost!.environment_id, feature: lost!.feature },
        { environmentId: wrong!.environment_id, feature: wrong!.feature },
        { environmentId: env['dev']!, feature: 'no-such-feature' },
        { environmentId: ghostEnv, feature: lost!.feature },
      ]),
    );
    await targets.waitFor('the sweep announcement on the bus', (t) => t.reason === 'sweep');

    // A second sweep finds nothing to repair and says nothing.
    const mark2 = await outboxMark();
    await h.service.jobs.get('sweep')!.trigger();
    expect(await outboxSince(mark2)).toEqual([]);
  });

  it('redelivering the same catalog event changes nothing', async () => {
    const [v1] = await feature('redeliver', ['1.0.0']);
    const id = await assign(v1!, { tenant, team: 'a' });
    await expectWinners(v1!.name, { [env['dev']!]: id, [env['prod']!]: id, [env['ops']!]: id });
    const original = await assignmentEvents.waitFor('the assignment event', (e) => e.assignmentId === id);
    await h.raw.acked('catalog.assignment.changed.v1.matcher', original.eventId);
    const envEvent = await environmentEvents.waitFor('the environment event', (e) => e.environmentId === env['prod']);
    const before = await h.query<WinnerRow>(`SELECT * FROM matcher.winners ORDER BY environment_id, feature`);
    const mark = await outboxMark();

    await h.bus.publish('catalog.assignment.changed.v1', original.payload, { eventId: original.eventId });
    await h.raw.acked('catalog.assignment.changed.v1.matcher', original.eventId, 2);
    expect(await outboxSince(mark)).toEqual([]);

    await h.bus.publish('catalog.environment.changed.v1', envEvent.payload, { eventId: envEvent.eventId });
    await h.raw.acked('catalog.environment.changed.v1.matcher', envEvent.eventId, 2);
    // Winners untouched (not even their update time), and nothing announced: the event's version was applied before.
    expect(await h.query<WinnerRow>(`SELECT * FROM matcher.winners ORDER BY environment_id, feature`)).toEqual(before);
    expect(await outboxSince(mark)).toEqual([]);
  });

  it('a newer catalog event, then an older one of the same aggregate: the older one is dropped as stale, changes nothing and announces nothing', async () => {
    const [v1] = await feature('older', ['1.0.0']);
    const id = await assign(v1!, { tenant, team: 'a' });
    await expectWinners(v1!.name, { [env['dev']!]: id, [env['prod']!]: id, [env['ops']!]: id });
    const { aggregateVersion: _a, ...assignment } = (await assignmentEvents.waitFor('the assignment event', (e) => e.assignmentId === id)).payload;
    const { aggregateVersion: _e, ...environment } = (await environmentEvents.waitFor('the environment event', (e) => e.environmentId === env['prod'])).payload;
    await quiet();
    const before = await h.query<WinnerRow>(`SELECT * FROM matcher.winners ORDER BY environment_id, feature`);
    const drafts = [
      ['catalog.assignment.changed.v1', assignment],
      ['catalog.environment.changed.v1', environment],
      ['catalog.config.changed.v1', { version: 'v1', feature: v1!.name, environmentId: env['dev']!, key: 'image.tag' }],
      ['catalog.environment-value.changed.v1', { version: 'v1', environmentId: env['dev']!, key: 'project' }],
      ['catalog.feature-toggle.changed.v1', { version: 'v1', environmentId: env['prod']!, feature: v1!.name, disabled: false }],
      ['catalog.redeploy.requested.v1', { version: 'v1', environmentId: env['prod']!, feature: v1!.name, requestedBy: 'tester' }],
    ] as const;
    for (const [topic, draft] of drafts) {
      // Two versions of the aggregate, as the catalog's outbox issues them; the newer is delivered first.
      const older = await h.versioned('catalog', topic, draft);
      const newer = await h.versioned('catalog', topic, draft);
      const [olderId, newerId] = [randomUUID(), randomUUID()];
      await h.bus.publish(topic, newer, { eventId: newerId });
      await h.raw.acked(`${topic}.matcher`, newerId);
      const mark = await outboxMark();
      const stale = await h.counter('fasit_events_consumed_total', { topic, result: 'stale' });
      await h.bus.publish(topic, older, { eventId: olderId });
      await h.raw.acked(`${topic}.matcher`, olderId);
      expect({ topic, announced: await outboxSince(mark) }).toEqual({ topic, announced: [] });
      expect(await h.counter('fasit_events_consumed_total', { topic, result: 'stale' })).toBe(stale + 1);
      expect(h.logs.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
        expect.objectContaining({ level: 'debug', msg: 'event dropped: older than what was applied', topic, eventId: olderId }),
      );
    }
    expect(await h.query<WinnerRow>(`SELECT * FROM matcher.winners ORDER BY environment_id, feature`)).toEqual(before);
  });

  it('every catalog event delivered three times at once, to two replicas, takes effect once (a redeploy is forced once)', async () => {
    const [v1] = await feature('thrice', ['1.0.0']);
    const id = await assign(v1!, { tenant, team: 'a' });
    await expectWinners(v1!.name, { [env['dev']!]: id, [env['prod']!]: id, [env['ops']!]: id });
    await quiet();
    const before = await h.query<WinnerRow>(`SELECT * FROM matcher.winners ORDER BY environment_id, feature`);
    const thrice = async (topic: Parameters<Harness['bus']['publish']>[0], payload: unknown) => {
      const eventId = randomUUID();
      await Promise.all([1, 2, 3].map(() => h.bus.publish(topic, payload as never, { eventId })));
      await h.raw.acked(`${topic}.matcher`, eventId, 3);
      return eventId;
    };
    // The matcher's own subscription may have applied it before the test's recording received it.
    const assignment = await assignmentEvents.waitFor('the assignment event', (e) => e.assignmentId === id);
    const mark = await outboxMark();
    await thrice('catalog.assignment.changed.v1', assignment.payload);
    expect(await outboxSince(mark)).toEqual([]);
    const envEvent = await environmentEvents.waitFor('the environment event', (e) => e.environmentId === env['prod']);
    await thrice('catalog.environment.changed.v1', envEvent.payload);
    await thrice(
      'catalog.config.changed.v1',
      await h.versioned('catalog', 'catalog.config.changed.v1', { version: 'v1', feature: v1!.name, environmentId: null, key: 'image.tag' }),
    );
    await thrice(
      'catalog.environment-value.changed.v1',
      await h.versioned('catalog', 'catalog.environment-value.changed.v1', { version: 'v1', environmentId: env['dev']!, key: 'project' }),
    );
    await thrice(
      'catalog.feature-toggle.changed.v1',
      await h.versioned('catalog', 'catalog.feature-toggle.changed.v1', { version: 'v1', environmentId: env['dev']!, feature: v1!.name, disabled: false }),
    );
    expect(await h.query<WinnerRow>(`SELECT * FROM matcher.winners ORDER BY environment_id, feature`)).toEqual(before);

    const redeployMark = await outboxMark();
    await thrice(
      'catalog.redeploy.requested.v1',
      await h.versioned('catalog', 'catalog.redeploy.requested.v1', { version: 'v1', environmentId: env['prod']!, feature: v1!.name, requestedBy: 'tester' }),
    );
    const forced = (await outboxSince(redeployMark)).filter((t) => t.force);
    expect(forced).toEqual([
      { version: 'v1', reason: 'redeploy', pairs: [{ environmentId: env['prod'], feature: v1!.name, aggregateVersion: expect.any(Number) }], force: true },
    ]);
  });
});
