// What the periodic sweep reads to find the pairs whose inputs moved (decision 0028): the environments with winners,
// in ranges, and per range, in one set-based query, the fingerprint of every input of each pair's decision compared
// with the one stored when the sweep last decided it. Other services are read through their published views only
// (`matcher_api.winners`, `catalog_api`, `dispatcher_api`); the reconciler's own `sweep_inputs`, `latest_decisions`
// and `drift` besides.
import type { EntityManager } from 'typeorm';
import type { TargetPair } from '@fasit/bus';

/** A range of environments (by id, both ends included) and how many pairs have a winner in it. */
export interface SweepRange {
  from: string;
  to: string;
  pairs: number;
}

/** A pair whose inputs moved since the sweep last decided it (or whose timed verdict is due), with its fingerprint now. */
export interface MovedPair extends TargetPair {
  fingerprint: string;
}

export interface FingerprintParams {
  /** The reconciler's own settings that decide (retry policy, windows, the rules' version), as one string. */
  settings: string;
  /** The time the sweep decides at: a pair whose timed verdict is due by then moved. */
  now: Date;
  /** An agent whose last heartbeat is at or after this is healthy (now minus the health window). */
  healthySince: Date;
}

/** The dispatcher's views the fingerprint reads; one the dispatcher has not published yet reads as empty. */
const DISPATCHER_VIEWS = {
  'dispatcher_api.latest_deploy_statuses': `SELECT NULL::bigint AS id, NULL::uuid AS environment_id, NULL::text AS feature, NULL::text AS status, NULL::timestamptz AS created_at WHERE false`,
  'dispatcher_api.deploy_statuses': `SELECT NULL::bigint AS id, NULL::uuid AS environment_id, NULL::text AS feature, NULL::text AS status, NULL::timestamptz AS created_at WHERE false`,
  'dispatcher_api.agent_health': `SELECT NULL::uuid AS environment_id, NULL::timestamptz AS reported_at WHERE false`,
  'dispatcher_api.inventories': `SELECT NULL::uuid AS environment_id, NULL::boolean AS real, NULL::timestamptz AS reported_at WHERE false`,
  'dispatcher_api.releases': `SELECT NULL::uuid AS environment_id, NULL::text AS name, NULL::text AS chart_version, NULL::text AS status, NULL::int AS revision,
     NULL::timestamptz AS last_deployed, NULL::text AS values_hash WHERE false`,
} as const;
type DispatcherView = keyof typeof DISPATCHER_VIEWS;

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** One range's hash tables and sorts (50,000 pairs at 100 features) fit in memory with this, not in the default 4 MB. */
const WORK_MEM = `SET LOCAL work_mem = '64MB'`;

export class SweepReader {
  private views?: Record<DispatcherView, string> & { latest: boolean };

  constructor(private readonly m: EntityManager) {}

  /** The next `environments` environments with winners after `after` (in id order), or null when none is left. */
  async nextRange(after: string | null, environments: number): Promise<SweepRange | null> {
    const rows = await this.m.query<{ id: string; pairs: number }[]>(
      `SELECT environment_id::text AS id, count(*)::int AS pairs FROM matcher_api.winners
       WHERE environment_id > $1::uuid GROUP BY environment_id ORDER BY environment_id LIMIT $2`,
      [after ?? NIL_UUID, environments],
    );
    if (rows.length === 0) return null;
    return { from: rows[0]!.id, to: rows.at(-1)!.id, pairs: rows.reduce((n, r) => n + r.pairs, 0) };
  }

  /**
   * The pairs of the range whose fingerprint differs from the one stored (or none is), whose newest decision is not
   * the one the sweep left (an event decided it since), or whose timed verdict is due.
   * The fingerprint covers every input of a decision: the winner (assignment, version, chart digest), the environment
   * (kind, reconcile, drift policy) and its tenant's data version (every environment and value of the tenant: `.Envs`),
   * the feature's configuration (global and the environment's), its disabled state, whether the agent is healthy
   * (or its last heartbeat, when not), the pair's latest deploy status (its newest decision is compared on its own),
   * the features deployed in the environment when the feature has dependencies, the inventory (real,
   * newer than the latest deploy) and the release it lists, the drift recorded, and the reconciler's own settings.
   */
  async moved(range: SweepRange, p: FingerprintParams): Promise<MovedPair[]> {
    const sql = await this.movedSql();
    return this.m.transaction(async (t) => {
      await t.query(WORK_MEM);
      return t.query<MovedPair[]>(sql, [range.from, range.to, p.settings, p.healthySince, p.now]);
    });
  }

  /** `EXPLAIN (ANALYZE, BUFFERS)` of `moved` for one range (the benchmarks' evidence). */
  async explainMoved(range: SweepRange, p: FingerprintParams): Promise<string> {
    const sql = await this.movedSql();
    const rows = await this.m.transaction(async (t) => {
      await t.query(WORK_MEM);
      return t.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, [range.from, range.to, p.settings, p.healthySince, p.now]);
    });
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  /**
   * Every relation of the pairs is bounded by the range itself (PostgreSQL carries equalities across a join, not
   * ranges): each is read by its index on the environment, never whole.
   */
  private async movedSql(): Promise<string> {
    const v = await this.dispatcherViews();
    return `WITH w AS (
         SELECT environment_id, feature, assignment_id FROM matcher_api.winners WHERE environment_id BETWEEN $1::uuid AND $2::uuid
       ), env AS (
         SELECT e.id, e.kind, e.reconcile, to_jsonb(e) ->> 'drift_policy' AS drift_policy, e.tenant_id, t.data_version
         FROM catalog_api.environments e JOIN catalog_api.tenants t ON t.id = e.tenant_id WHERE e.id BETWEEN $1::uuid AND $2::uuid
       ), global_config AS (
         SELECT feature, md5(string_agg(row(key, value, secret, sealed)::text, ',' ORDER BY key)) AS h
         FROM catalog_api.configs WHERE environment_id IS NULL GROUP BY feature
       ), env_config AS (
         SELECT environment_id, feature, md5(string_agg(row(key, value, secret, sealed)::text, ',' ORDER BY key)) AS h
         FROM catalog_api.configs WHERE environment_id BETWEEN $1::uuid AND $2::uuid GROUP BY environment_id, feature
       ), deploys AS NOT MATERIALIZED (${
         // one row per pair; a dispatcher that has not published it yet: the newest of each pair's history
         v.latest
           ? `SELECT environment_id, feature, id, status, created_at FROM dispatcher_api.latest_deploy_statuses WHERE environment_id BETWEEN $1::uuid AND $2::uuid`
           : `SELECT DISTINCT ON (environment_id, feature) environment_id, feature, id, status, created_at
              FROM (${v['dispatcher_api.deploy_statuses']}) d WHERE environment_id BETWEEN $1::uuid AND $2::uuid ORDER BY environment_id, feature, id DESC`
       }
       ), deployed AS (
         SELECT environment_id, md5(string_agg(feature, ',' ORDER BY feature)) AS h FROM deploys WHERE status = 'deployed' GROUP BY environment_id
       ), fp AS (
         SELECT w.environment_id, w.feature, lat.decision_id, md5(row(
             $3::text, w.assignment_id, a.version, fv.chart, fv.chart_digest,
             env.id, env.kind, env.reconcile, env.drift_policy, env.tenant_id, env.data_version,
             CASE WHEN h.reported_at >= $4::timestamptz THEN 'healthy' ELSE h.reported_at::text END,
             gc.h, ec.h, df.feature IS NOT NULL,
             ld.id, ld.status, CASE WHEN fv.dependencies <> '[]'::jsonb THEN dep.h END,
             inv.real, inv.reported_at > ld.created_at,
             r.chart_version, r.status, r.revision, r.last_deployed, r.values_hash,
             dr.kind, dr.hash, dr.corrections, dr.last_correction_at
           )::text) AS fingerprint
         FROM w
         LEFT JOIN env ON env.id = w.environment_id
         LEFT JOIN catalog_api.assignments a ON a.id = w.assignment_id
         LEFT JOIN catalog_api.feature_versions fv ON fv.feature = a.feature AND fv.version = a.version
         LEFT JOIN (${v['dispatcher_api.agent_health']}) h ON h.environment_id = w.environment_id AND h.environment_id BETWEEN $1::uuid AND $2::uuid
         LEFT JOIN global_config gc ON gc.feature = w.feature
         LEFT JOIN env_config ec ON ec.environment_id = w.environment_id AND ec.feature = w.feature
         LEFT JOIN catalog_api.disabled_features df ON df.environment_id = w.environment_id AND df.feature = w.feature AND df.environment_id BETWEEN $1::uuid AND $2::uuid
         LEFT JOIN deploys ld ON ld.environment_id = w.environment_id AND ld.feature = w.feature
         LEFT JOIN deployed dep ON dep.environment_id = w.environment_id
         LEFT JOIN reconciler.latest_decisions lat ON lat.environment_id = w.environment_id AND lat.feature = w.feature AND lat.environment_id BETWEEN $1::uuid AND $2::uuid
         LEFT JOIN (${v['dispatcher_api.inventories']}) inv ON inv.environment_id = w.environment_id AND inv.environment_id BETWEEN $1::uuid AND $2::uuid
         LEFT JOIN (${v['dispatcher_api.releases']}) r ON r.environment_id = w.environment_id AND r.name = w.feature AND r.environment_id BETWEEN $1::uuid AND $2::uuid
         LEFT JOIN reconciler.drift dr ON dr.environment_id = w.environment_id AND dr.feature = w.feature AND dr.environment_id BETWEEN $1::uuid AND $2::uuid
       )
       SELECT fp.environment_id::text AS "environmentId", fp.feature, fp.fingerprint
       FROM fp LEFT JOIN reconciler.sweep_inputs s ON s.environment_id = fp.environment_id AND s.feature = fp.feature AND s.environment_id BETWEEN $1::uuid AND $2::uuid
       WHERE s.fingerprint IS DISTINCT FROM fp.fingerprint OR s.decision_id IS DISTINCT FROM fp.decision_id OR s.due_at <= $5::timestamptz`;
  }

  /** Each dispatcher view by name, or an empty relation of its columns while the dispatcher has not published it. */
  private async dispatcherViews(): Promise<Record<DispatcherView, string> & { latest: boolean }> {
    if (this.views) return this.views;
    const names = Object.keys(DISPATCHER_VIEWS) as DispatcherView[];
    const [row] = await this.m.query<[{ present: boolean[] }]>(
      `SELECT array_agg(to_regclass(n) IS NOT NULL ORDER BY i) AS present FROM unnest($1::text[]) WITH ORDINALITY AS x(n, i)`,
      [names],
    );
    const views = { latest: row.present[names.indexOf('dispatcher_api.latest_deploy_statuses')] === true } as Record<DispatcherView, string> & {
      latest: boolean;
    };
    names.forEach((n, i) => (views[n] = row.present[i] ? `SELECT * FROM ${n}` : DISPATCHER_VIEWS[n]));
    // only kept once every view is there: a view published later is read from the next sweep on
    if (row.present.every(Boolean)) this.views = views;
    return views;
  }
}
