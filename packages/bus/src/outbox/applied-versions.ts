// The consumer's half of per-aggregate versions (docs/decisions/0018-aggregate-versions.md): the last version of
// each aggregate a consumer applied, recorded in the transaction of its effect. An event whose version is not newer
// is dropped: acked, counted as `duplicate` (the same version again) or `stale` (an older one), logged at debug.
// The row of an aggregate stays locked until the transaction ends, so a replica handling an event of the same
// aggregate at the same time waits for the first and then sees what it applied.
import type { EntityManager, QueryRunner } from 'typeorm';
import { aggregateVersionsOf, type AggregateVersion } from '../catalogue/versioning.js';
import type { PayloadOf, TopicName } from '../catalogue/topics.js';

/** Statements for a service migration that creates its `applied_versions` table. */
export async function createAppliedVersionsTable(q: QueryRunner, schema: string): Promise<void> {
  await q.query(`CREATE TABLE "${schema}".applied_versions (
    consumer text NOT NULL,
    aggregate text NOT NULL,
    version bigint NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, aggregate)
  )`);
}

/** Whether an aggregate's version is to be applied (`new`) or dropped: the same as applied, or older. */
export type Freshness = 'new' | 'duplicate' | 'stale';

/**
 * Records, inside the caller's transaction, each version that is newer than what `consumer` applied of its aggregate,
 * and says of each whether it is `new` (apply it), a `duplicate` or `stale` (drop it). Aggregates are taken in
 * order, so two replicas claiming overlapping sets never wait on each other crosswise.
 */
export async function claimVersions(m: EntityManager, schema: string, consumer: string, claims: AggregateVersion[]): Promise<Map<string, Freshness>> {
  const newest = new Map<string, number>();
  for (const c of claims) newest.set(c.aggregate, Math.max(c.version, newest.get(c.aggregate) ?? 0));
  const result = new Map<string, Freshness>();
  if (newest.size === 0) return result;
  const aggregates = [...newest.keys()].sort();
  const applied = await m.query<{ aggregate: string }[]>(
    `INSERT INTO "${schema}".applied_versions (consumer, aggregate, version)
     SELECT $1, aggregate, version FROM unnest($2::text[], $3::bigint[]) AS u(aggregate, version) ORDER BY aggregate
     ON CONFLICT (consumer, aggregate) DO UPDATE SET version = EXCLUDED.version, applied_at = now()
       WHERE "${schema}".applied_versions.version < EXCLUDED.version
     RETURNING aggregate`,
    [consumer, aggregates, aggregates.map((a) => newest.get(a))],
  );
  for (const a of applied) result.set(a.aggregate, 'new');
  const dropped = aggregates.filter((a) => !result.has(a));
  if (dropped.length > 0) {
    // The conflicting rows are locked by the statement above: what they hold now is what was applied.
    const held = await m.query<{ aggregate: string; version: string }[]>(
      `SELECT aggregate, version::text AS version FROM "${schema}".applied_versions WHERE consumer = $1 AND aggregate = ANY($2::text[])`,
      [consumer, dropped],
    );
    const current = new Map(held.map((h) => [h.aggregate, Number(h.version)]));
    for (const a of dropped) result.set(a, current.get(a) === newest.get(a) ? 'duplicate' : 'stale');
  }
  return result;
}

/**
 * `claimVersions` for an event of one aggregate: `new` when it is to be applied (and is now recorded as applied),
 * otherwise why it is dropped. An event of a topic without versions (the agents' topics) is always `new`.
 */
export async function claimEventVersion<T extends TopicName>(
  m: EntityManager,
  schema: string,
  consumer: string,
  topic: T,
  payload: PayloadOf<T>,
): Promise<Freshness> {
  const versions = aggregateVersionsOf(topic, payload);
  const claimed = await claimVersions(m, schema, consumer, versions);
  const outcomes = [...claimed.values()];
  if (outcomes.includes('new') || outcomes.length === 0) return 'new';
  return outcomes.includes('stale') ? 'stale' : 'duplicate';
}

/**
 * `claimEventVersion` for a batch of events of one topic, in one statement: each event's freshness, as if the events
 * had been claimed one after another in the batch's order. Of two events of one aggregate in the batch, the older is
 * `stale` and a second copy of the same version a `duplicate`.
 */
export async function claimEventVersions<T extends TopicName>(
  m: EntityManager,
  schema: string,
  consumer: string,
  topic: T,
  payloads: readonly PayloadOf<T>[],
): Promise<Freshness[]> {
  const versions = payloads.map((p) => aggregateVersionsOf(topic, p));
  const newest = new Map<string, number>();
  for (const v of versions.flat()) newest.set(v.aggregate, Math.max(v.version, newest.get(v.aggregate) ?? 0));
  const claimed = await claimVersions(m, schema, consumer, versions.flat());
  const given = new Set<string>();
  return versions.map((own) => {
    const outcomes = own.map(({ aggregate, version }): Freshness => {
      if (version < (newest.get(aggregate) ?? 0)) return 'stale';
      const outcome = claimed.get(aggregate) ?? 'new';
      if (outcome !== 'new') return outcome;
      if (given.has(aggregate)) return 'duplicate';
      given.add(aggregate);
      return 'new';
    });
    if (outcomes.includes('new') || outcomes.length === 0) return 'new';
    return outcomes.includes('stale') ? 'stale' : 'duplicate';
  });
}

/** A claim of an event's versions, to be made in the transaction of its effect (a service takes it from its handler). */
export type VersionClaim = (m: EntityManager) => Promise<Freshness>;

/** The claim of `consumer` (in `schema`) on the versions of one event. */
export function versionClaim<T extends TopicName>(schema: string, consumer: string, topic: T, payload: PayloadOf<T>): VersionClaim {
  return (m) => claimEventVersion(m, schema, consumer, topic, payload);
}
