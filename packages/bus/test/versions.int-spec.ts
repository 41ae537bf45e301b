// Per-aggregate versions against the local PostgreSQL (DATABASE_URL): the outbox issues them in the transaction of
// the change, and a consumer's claim drops what is not newer than what it applied; both under real concurrency
// (separate connections, overlapping transactions).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@fasit/testing';
import {
  aggregateVersionsOf,
  announcedPairAggregate,
  claimEventVersion,
  claimEventVersions,
  claimVersions,
  createAggregateVersionsTable,
  createAppliedVersionsTable,
  addOutboxTraceContext,
  createOutboxTable,
  enqueueEvents,
  outboxEvent,
  versionUnpublishedEvents,
  type EnvironmentValueChangedV1,
  type TargetsChangedV1,
} from '../src/index.js';

const TOPIC = 'catalog.environment-value.changed.v1';

describe('aggregate versions (PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('versions');
    ds = new DataSource({ type: 'postgres', url: db.url, poolSize: 12 });
    await ds.initialize();
    await ds.query('CREATE SCHEMA svc');
    const q = ds.createQueryRunner();
    await createOutboxTable(q, 'svc');
    await addOutboxTraceContext(q, 'svc');
    await createAggregateVersionsTable(q, 'svc');
    await createAppliedVersionsTable(q, 'svc');
    await q.release();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  async function published<T>(topic: string, since: number): Promise<T[]> {
    const rows = await ds.query<{ payload: T }[]>(`SELECT payload FROM svc.outbox WHERE topic = $1 AND id > $2 ORDER BY id`, [topic, since]);
    return rows.map((r) => r.payload);
  }
  async function mark(): Promise<number> {
    const [row] = await ds.query<{ id: string | null }[]>('SELECT max(id)::text AS id FROM svc.outbox');
    return Number(row?.id ?? 0);
  }

  it('the outbox issues 1, 2, 3, … per aggregate and topic, several in one transaction in the order written, none for a rolled-back write', async () => {
    const env = randomUUID();
    const other = randomUUID();
    const since = await mark();
    await ds.transaction((m) =>
      enqueueEvents(m, 'svc', [
        outboxEvent(TOPIC, { version: 'v1', environmentId: env, key: 'a' }),
        outboxEvent(TOPIC, { version: 'v1', environmentId: other, key: 'b' }),
      ]),
    );
    await ds.transaction((m) =>
      enqueueEvents(m, 'svc', [
        outboxEvent(TOPIC, { version: 'v1', environmentId: env, key: 'c' }),
        outboxEvent(TOPIC, { version: 'v1', environmentId: env, key: 'd' }),
      ]),
    );
    await expect(
      ds.transaction(async (m) => {
        await enqueueEvents(m, 'svc', [outboxEvent(TOPIC, { version: 'v1', environmentId: env, key: 'rolled-back' })]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    // The same aggregate on another topic counts on its own.
    await ds.transaction((m) =>
      enqueueEvents(m, 'svc', [
        outboxEvent('catalog.environment.changed.v1', {
          version: 'v1',
          environmentId: env,
          tenant: 't',
          name: 'dev',
          kind: 'tenant',
          labels: {},
          reconcile: true,
          deleted: false,
        }),
      ]),
    );
    await ds.transaction((m) => enqueueEvents(m, 'svc', [outboxEvent(TOPIC, { version: 'v1', environmentId: env, key: 'e' })]));

    const values = await published<EnvironmentValueChangedV1>(TOPIC, since);
    expect(values.map((v) => [v.environmentId === env ? 'env' : 'other', v.key, v.aggregateVersion])).toEqual([
      ['env', 'a', 1],
      ['other', 'b', 1],
      ['env', 'c', 2],
      ['env', 'd', 3],
      ['env', 'e', 4],
    ]);
    expect((await published<{ aggregateVersion: number }>('catalog.environment.changed.v1', since)).map((e) => e.aggregateVersion)).toEqual([1]);
  });

  it('an announcement carries a version per pair', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const since = await mark();
    const announce = (pairs: { environmentId: string; feature: string }[]) =>
      ds.transaction((m) => enqueueEvents(m, 'svc', [outboxEvent('matcher.targets.changed.v1', { version: 'v1', reason: 'winner', pairs })]));
    await announce([
      { environmentId: a, feature: 'f' },
      { environmentId: b, feature: 'f' },
    ]);
    await announce([{ environmentId: a, feature: 'f' }]);
    const sent = await published<TargetsChangedV1>('matcher.targets.changed.v1', since);
    expect(sent.map((e) => e.pairs.map((p) => [p.environmentId === a ? 'a' : 'b', p.aggregateVersion]))).toEqual([
      [
        ['a', 1],
        ['b', 1],
      ],
      [['a', 2]],
    ]);
  });

  it('concurrent writers of one aggregate get distinct versions in the order they commit', async () => {
    const env = randomUUID();
    const since = await mark();
    // Each writer holds its transaction open a moment after taking its version, so they overlap.
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        ds.transaction(async (m) => {
          await enqueueEvents(m, 'svc', [outboxEvent(TOPIC, { version: 'v1', environmentId: env, key: `w${i}` })]);
          await new Promise((r) => setTimeout(r, 20));
        }),
      ),
    );
    const values = await published<EnvironmentValueChangedV1>(TOPIC, since);
    // Outbox ids are taken after the counter's row lock, so id order is commit order: versions rise with it.
    expect(values.map((v) => v.aggregateVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('stamps the events a migration finds waiting in the outbox, in the order they were written', async () => {
    const env = randomUUID();
    // Written by a producer from before versions (straight into the table, as its old code did).
    await ds.query(`INSERT INTO svc.outbox (event_id, topic, payload) VALUES ($1, $3, $4), ($2, $3, $5)`, [
      randomUUID(),
      randomUUID(),
      TOPIC,
      JSON.stringify({ version: 'v1', environmentId: env, key: 'old-1' }),
      JSON.stringify({ version: 'v1', environmentId: env, key: 'old-2' }),
    ]);
    const q = ds.createQueryRunner();
    await q.startTransaction();
    await versionUnpublishedEvents(q, 'svc');
    await q.commitTransaction();
    await q.release();
    const rows = await ds.query<{ payload: EnvironmentValueChangedV1 }[]>(`SELECT payload FROM svc.outbox WHERE payload->>'environmentId' = $1 ORDER BY id`, [
      env,
    ]);
    expect(rows.map((r) => [r.payload.key, r.payload.aggregateVersion])).toEqual([
      ['old-1', 1],
      ['old-2', 2],
    ]);
  });

  describe('a consumer claims a version in the transaction of its effect', () => {
    const event = (environmentId: string, aggregateVersion: number): EnvironmentValueChangedV1 => ({
      version: 'v1',
      aggregateVersion,
      environmentId,
      key: 'k',
    });
    const claim = (e: EnvironmentValueChangedV1, consumer = 'c') => ds.transaction((m) => claimEventVersion(m, 'svc', consumer, TOPIC, e));

    it('applies a newer version, drops the same one as a duplicate and an older one as stale; each consumer on its own', async () => {
      const env = randomUUID();
      expect(await claim(event(env, 2))).toBe('new');
      expect(await claim(event(env, 2))).toBe('duplicate');
      expect(await claim(event(env, 1))).toBe('stale');
      expect(await claim(event(env, 1), 'another-consumer')).toBe('new');
      expect(await claim(event(env, 5))).toBe('new');
      expect(await claim(event(env, 3))).toBe('stale');
      const [row] = await ds.query<{ version: string }[]>(`SELECT version::text AS version FROM svc.applied_versions WHERE consumer = 'c' AND aggregate = $1`, [
        aggregateVersionsOf(TOPIC, event(env, 1))[0]!.aggregate,
      ]);
      expect(row?.version).toBe('5');
    });

    it('a batch claims in one statement: the newest version of each aggregate, if newer than applied, is new; an older one in the batch is stale, a second copy a duplicate', async () => {
      const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
      expect(await claim(event(c, 4))).toBe('new');
      const batch = [event(a, 2), event(a, 1), event(b, 1), event(b, 1), event(c, 4), event(c, 3), event(c, 5)];
      expect(await ds.transaction((m) => claimEventVersions(m, 'svc', 'c', TOPIC, batch))).toEqual([
        'new',
        'stale',
        'new',
        'duplicate',
        'stale',
        'stale',
        'new',
      ]);
      // What the batch applied is what one-by-one claims now see.
      expect(await claim(event(a, 2))).toBe('duplicate');
      expect(await claim(event(b, 1))).toBe('duplicate');
      expect(await claim(event(c, 5))).toBe('duplicate');
      expect(await ds.transaction((m) => claimEventVersions(m, 'svc', 'c', TOPIC, []))).toEqual([]);
    });

    it('a claim rolled back with its effect was never applied', async () => {
      const env = randomUUID();
      await expect(
        ds.transaction(async (m) => {
          expect(await claimEventVersion(m, 'svc', 'c', TOPIC, event(env, 1))).toBe('new');
          throw new Error('the effect failed');
        }),
      ).rejects.toThrow('the effect failed');
      expect(await claim(event(env, 1))).toBe('new');
    });

    it('of many replicas claiming the same versions at once, in any order, each version is applied at most once and never after a newer one', async () => {
      const env = randomUUID();
      const applied: number[] = [];
      // Versions 1..6, each delivered three times, all at once: every claim is its own transaction on its own
      // connection, holding its row a moment as an effect would.
      const deliveries = [1, 2, 3, 4, 5, 6].flatMap((v) => [v, v, v]).sort(() => Math.random() - 0.5);
      const outcomes = await Promise.all(
        deliveries.map((v) =>
          ds.transaction(async (m) => {
            const f = await claimEventVersion(m, 'svc', 'c', TOPIC, event(env, v));
            if (f === 'new') applied.push(v);
            await new Promise((r) => setTimeout(r, 5));
            return f;
          }),
        ),
      );
      expect(new Set(applied).size).toBe(applied.length);
      expect(applied).toEqual([...applied].sort((a, b) => a - b));
      expect(applied).toContain(6);
      expect(outcomes.filter((o) => o === 'new')).toHaveLength(applied.length);
    });

    it('claims the pairs of an announcement one by one', async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      const announcement = (va: number, vb: number): TargetsChangedV1 => ({
        version: 'v1',
        reason: 'winner',
        pairs: [
          { environmentId: a, feature: 'f', aggregateVersion: va },
          { environmentId: b, feature: 'f', aggregateVersion: vb },
        ],
      });
      const claimPairs = (e: TargetsChangedV1) => ds.transaction((m) => claimVersions(m, 'svc', 'c', aggregateVersionsOf('matcher.targets.changed.v1', e)));
      await claimPairs(announcement(3, 1));
      const second = await claimPairs(announcement(2, 2));
      expect(second.get(announcedPairAggregate({ environmentId: a, feature: 'f' }))).toBe('stale');
      expect(second.get(announcedPairAggregate({ environmentId: b, feature: 'f' }))).toBe('new');
    });
  });
});
