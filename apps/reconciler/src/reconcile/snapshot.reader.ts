// Bulk reads for one batch of (environment, feature) pairs: a constant number of queries per batch, whatever
// its size. Other services are read through their published views only (see the README): `catalog_api`
// (environments, tenants, values, assignments, feature versions, configs, disabled features), `matcher_api.winners`
// and `dispatcher_api` (deploy_statuses, agent_health, inventories, releases).
import type { EntityManager } from 'typeorm';
import type { TargetPair } from '@fasit/bus';
import { DEFAULT_DRIFT_POLICY, isDriftPolicy, type DeployStatus, type Dependency, type DriftKind, type DriftPolicy } from '@fasit/domain';
import type { RenderFeatureSpec } from '@fasit/templates';

export interface EnvRow {
  id: string;
  name: string;
  kind: string;
  labels: Record<string, string>;
  reconcile: boolean;
  tenantId: string;
  tenant: string;
}

/** An environment of the batch, with its drift policy. */
export interface BatchEnvRow extends EnvRow {
  driftPolicy: DriftPolicy;
}

/** The environments of one tenant with their values, as read at a catalog data version. */
export interface TenantRows {
  environments: EnvRow[];
  /** environment id → its values */
  values: Map<string, StoredRow[]>;
}

export interface WinnerRow {
  environmentId: string;
  feature: string;
  assignmentId: string;
  version: string;
  chart: string;
  chartDigest: string;
  kinds: string[];
  spec: RenderFeatureSpec;
  dependencies: Dependency[];
  timeoutMs: number;
}

export interface StoredRow {
  key: string;
  value: unknown;
  secret: boolean;
  sealed: string | null;
}

export interface DeployRow {
  environmentId: string;
  feature: string;
  diid: string;
  status: DeployStatus;
  hash: string;
  featureVersion: string;
  createdAt: Date;
}

/** A release the environment's agent last listed (dispatcher_api.releases; its name is the feature). */
export interface ReleaseRow {
  environmentId: string;
  name: string;
  chartVersion: string;
  status: string;
  valuesHash: string | null;
  lastDeployed: Date | null;
}

/** The drift last recorded for a pair (reconciler.drift). */
export interface DriftRow {
  environmentId: string;
  feature: string;
  kind: DriftKind;
  message: string;
  policy: DriftPolicy;
  hash: string;
  corrections: number;
  lastCorrectionAt: Date | null;
}

export interface DecisionRow {
  environmentId: string;
  feature: string;
  assignmentId: string | null;
  featureVersion: string | null;
  action: string;
  message: string;
  hash: string | null;
  diid: string | null;
  createdAt: Date;
}

export interface Snapshot {
  /** The environments of the batch's pairs. */
  environments: Map<string, BatchEnvRow>;
  /**
   * tenant id → `catalog_api.tenants.data_version`, read before anything of the tenant's environments: data read after
   * it (`tenantRows`) is at least that new, so what was read at a version can be reused while it is current.
   */
  tenantVersions: Map<string, string>;
  winners: Map<string, WinnerRow>;
  /** feature → environment id ('' = global) → rows */
  configs: Map<string, Map<string, StoredRow[]>>;
  disabled: Set<string>;
  health: Map<string, Date>;
  latestDeploys: Map<string, DeployRow>;
  lastDecisions: Map<string, DecisionRow>;
  lastRequests: Map<string, DecisionRow>;
  /** environment id → its last inventory: real or not, and when it arrived. */
  inventories: Map<string, { real: boolean; at: Date }>;
  /** pair key → the release of that name in the environment's last inventory. */
  releases: Map<string, ReleaseRow>;
  /** pair key → the drift recorded for it. */
  drift: Map<string, DriftRow>;
  /** diid → the values hash its decision recorded (for the latest deploys of the batch that succeeded). */
  deployedValuesHashes: Map<string, string | null>;
}

/** Runs the thunks one after another (queries of one transaction share a connection). */
async function sequential<T extends readonly (() => Promise<unknown>)[]>(thunks: T): Promise<{ [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const out: unknown[] = [];
  for (const t of thunks) out.push(await t());
  return out as { [K in keyof T]: Awaited<ReturnType<T[K]>> };
}

export const pairKey = (environmentId: string, feature: string): string => `${environmentId}/${feature}`;

export class SnapshotReader {
  constructor(private readonly m: EntityManager) {}

  async load(pairs: TargetPair[]): Promise<Snapshot> {
    const envIds = [...new Set(pairs.map((p) => p.environmentId))];
    const features = [...new Set(pairs.map((p) => p.feature))];
    const m = this.m;
    const [winners, envRows, configs, disabled, health, deploys, decisions, requests, inventories, releases, drift] = await sequential([
      () =>
        m.query<WinnerRow[]>(
          `SELECT w.environment_id AS "environmentId", w.feature, w.assignment_id AS "assignmentId", a.version, fv.chart, fv.chart_digest AS "chartDigest",
                fv.kinds, fv.spec, fv.dependencies, fv.timeout_ms::float8 AS "timeoutMs"
         FROM matcher_api.winners w
         JOIN unnest($1::uuid[], $2::text[]) AS p(env, feature) ON p.env = w.environment_id AND p.feature = w.feature
         JOIN catalog_api.assignments a ON a.id = w.assignment_id
         JOIN catalog_api.feature_versions fv ON fv.feature = a.feature AND fv.version = a.version`,
          [pairs.map((p) => p.environmentId), pairs.map((p) => p.feature)],
        ),
      // drift_policy through to_jsonb: a catalog that has not published the column yet reads as the default policy
      () =>
        m.query<(EnvRow & { dataVersion: string; driftPolicy: string | null })[]>(
          `SELECT e.id, e.name, e.kind, e.labels, e.reconcile, e.tenant_id AS "tenantId", t.name AS tenant, t.data_version::text AS "dataVersion",
                to_jsonb(e) ->> 'drift_policy' AS "driftPolicy"
         FROM catalog_api.environments e JOIN catalog_api.tenants t ON t.id = e.tenant_id
         WHERE e.id = ANY($1::uuid[])`,
          [envIds],
        ),
      () =>
        m.query<(StoredRow & { feature: string; environmentId: string | null })[]>(
          `SELECT feature, environment_id AS "environmentId", key, value, secret, sealed FROM catalog_api.configs WHERE feature = ANY($1::text[])`,
          [features],
        ),
      () =>
        m.query<{ environmentId: string; feature: string }[]>(
          `SELECT environment_id AS "environmentId", feature FROM catalog_api.disabled_features WHERE environment_id = ANY($1::uuid[])`,
          [envIds],
        ),
      () =>
        this.optional<{ environmentId: string; reportedAt: Date }>(
          'dispatcher_api.agent_health',
          `SELECT environment_id AS "environmentId", reported_at AS "reportedAt" FROM dispatcher_api.agent_health WHERE environment_id = ANY($1::uuid[])`,
          [envIds],
        ),
      // every feature of the batch's environments (dependencies), one row per pair; out of the history while the
      // dispatcher has not published its latest statuses yet
      async () =>
        (await this.exists('dispatcher_api.latest_deploy_statuses'))
          ? m.query<DeployRow[]>(
              `SELECT environment_id AS "environmentId", feature, diid, status, hash, feature_version AS "featureVersion", created_at AS "createdAt"
               FROM dispatcher_api.latest_deploy_statuses WHERE environment_id = ANY($1::uuid[])`,
              [envIds],
            )
          : this.optional<DeployRow>(
              'dispatcher_api.deploy_statuses',
              `SELECT DISTINCT ON (environment_id, feature) environment_id AS "environmentId", feature, diid, status, hash, feature_version AS "featureVersion", created_at AS "createdAt"
               FROM dispatcher_api.deploy_statuses WHERE environment_id = ANY($1::uuid[]) ORDER BY environment_id, feature, id DESC`,
              [envIds],
            ),
      // the pairs' newest decision and newest deploy decision, by id from reconciler.latest_decisions
      () => this.latestDecisions(pairs, 'decision_id'),
      () => this.latestDecisions(pairs, 'deploy_decision_id'),
      () =>
        this.optional<{ environmentId: string; real: boolean; at: Date }>(
          'dispatcher_api.inventories',
          `SELECT environment_id AS "environmentId", real, reported_at AS at FROM dispatcher_api.inventories WHERE environment_id = ANY($1::uuid[])`,
          [envIds],
        ),
      () =>
        this.optional<ReleaseRow>(
          'dispatcher_api.releases',
          `SELECT environment_id AS "environmentId", name, chart_version AS "chartVersion", status, values_hash AS "valuesHash", last_deployed AS "lastDeployed"
         FROM dispatcher_api.releases WHERE environment_id = ANY($1::uuid[]) AND name = ANY($2::text[])`,
          [envIds, features],
        ),
      () =>
        m.query<DriftRow[]>(
          `SELECT environment_id AS "environmentId", feature, kind, message, policy, hash, corrections, last_correction_at AS "lastCorrectionAt"
         FROM reconciler.drift WHERE environment_id = ANY($1::uuid[]) AND feature = ANY($2::text[])`,
          [envIds, features],
        ),
    ] as const);
    const deployedDiids = deploys.filter((d) => d.status === 'deployed').map((d) => d.diid);
    const deployedHashes =
      deployedDiids.length === 0
        ? []
        : await m.query<{ diid: string; valuesHash: string | null }[]>(
            `SELECT diid::text AS diid, values_hash AS "valuesHash" FROM reconciler.decisions WHERE diid = ANY($1::uuid[])`,
            [deployedDiids],
          );
    const configMap = new Map<string, Map<string, StoredRow[]>>();
    for (const c of configs) {
      const byEnv = configMap.get(c.feature) ?? new Map<string, StoredRow[]>();
      const k = c.environmentId ?? '';
      byEnv.set(k, [...(byEnv.get(k) ?? []), c]);
      configMap.set(c.feature, byEnv);
    }
    return {
      environments: new Map(
        envRows.map(({ dataVersion: _, driftPolicy, ...e }) => [e.id, { ...e, driftPolicy: isDriftPolicy(driftPolicy) ? driftPolicy : DEFAULT_DRIFT_POLICY }]),
      ),
      tenantVersions: new Map(envRows.map((e) => [e.tenantId, e.dataVersion])),
      winners: new Map(winners.map((w) => [pairKey(w.environmentId, w.feature), w])),
      configs: configMap,
      disabled: new Set(disabled.map((d) => pairKey(d.environmentId, d.feature))),
      health: new Map(health.map((h) => [h.environmentId, h.reportedAt])),
      latestDeploys: new Map(deploys.map((d) => [pairKey(d.environmentId, d.feature), d])),
      lastDecisions: new Map(decisions.map((d) => [pairKey(d.environmentId, d.feature), d])),
      lastRequests: new Map(requests.map((d) => [pairKey(d.environmentId, d.feature), d])),
      inventories: new Map(inventories.map((i) => [i.environmentId, { real: i.real, at: i.at }])),
      releases: new Map(releases.map((r) => [pairKey(r.environmentId, r.name), r])),
      drift: new Map(drift.map((d) => [pairKey(d.environmentId, d.feature), d])),
      deployedValuesHashes: new Map(deployedHashes.map((d) => [d.diid, d.valuesHash])),
    };
  }

  /** Every environment of the given tenants with its values (for `.Envs` and `.Management`). */
  async tenantRows(tenantIds: string[]): Promise<Map<string, TenantRows>> {
    const [envRows, values] = await sequential([
      () =>
        this.m.query<EnvRow[]>(
          `SELECT id, name, kind, labels, reconcile, tenant_id AS "tenantId", tenant
         FROM catalog_api.environments WHERE tenant_id = ANY($1::uuid[]) ORDER BY name`,
          [tenantIds],
        ),
      () =>
        this.m.query<(StoredRow & { environmentId: string; tenantId: string })[]>(
          `SELECT v.environment_id AS "environmentId", e.tenant_id AS "tenantId", v.key, v.value, v.secret, v.sealed
         FROM catalog_api.environment_values v JOIN catalog_api.environments e ON e.id = v.environment_id WHERE e.tenant_id = ANY($1::uuid[]) ORDER BY v.key`,
          [tenantIds],
        ),
    ] as const);
    const out = new Map<string, TenantRows>(tenantIds.map((id) => [id, { environments: [], values: new Map() }]));
    for (const e of envRows) out.get(e.tenantId)?.environments.push(e);
    for (const v of values) {
      const byEnv = out.get(v.tenantId)?.values;
      if (!byEnv) continue;
      const list = byEnv.get(v.environmentId);
      if (list) list.push(v);
      else byEnv.set(v.environmentId, [v]);
    }
    return out;
  }

  /**
   * Consecutive failed deploys of one desired state in one environment (the newest deploys of the pair, back to the
   * first that is not a failure of this state), and the time of the last. A state that failed before, then gave
   * way to another and came back, starts its retries afresh.
   */
  async failures(environmentId: string, feature: string, hash: string): Promise<{ count: number; lastAt: Date | null }> {
    const deploys = await this.optional<{ status: string; hash: string; at: Date }>(
      'dispatcher_api.deploy_statuses',
      `SELECT status, hash, at FROM (
         SELECT DISTINCT ON (diid) diid, status, hash, created_at AS at, min(id) OVER (PARTITION BY diid) AS first
         FROM dispatcher_api.deploy_statuses WHERE environment_id = $1 AND feature = $2 ORDER BY diid, id DESC
       ) latest ORDER BY first DESC LIMIT 100`,
      [environmentId, feature],
    );
    let count = 0;
    for (const d of deploys) {
      if (d.status !== 'failed' || d.hash !== hash) break;
      count++;
    }
    return { count, lastAt: count > 0 ? deploys[0]!.at : null };
  }

  private latestDecisions(pairs: TargetPair[], which: 'decision_id' | 'deploy_decision_id'): Promise<DecisionRow[]> {
    return this.m.query<DecisionRow[]>(
      `SELECT d.environment_id AS "environmentId", d.feature, d.assignment_id AS "assignmentId", d.feature_version AS "featureVersion",
              d.action, d.message, d.hash, d.diid, d.created_at AS "createdAt"
       FROM unnest($1::uuid[], $2::text[]) AS p(env, feature)
       JOIN reconciler.latest_decisions l ON l.environment_id = p.env AND l.feature = p.feature
       JOIN reconciler.decisions d ON d.id = l.${which}`,
      [pairs.map((p) => p.environmentId), pairs.map((p) => p.feature)],
    );
  }

  /** A read of another service's view; empty while that service has not published it yet (it migrates on its own start). */
  private async optional<T>(table: string, sql: string, params: unknown[]): Promise<T[]> {
    return (await this.exists(table)) ? await this.m.query<T[]>(sql, params) : [];
  }

  private async exists(table: string): Promise<boolean> {
    const [{ exists }] = await this.m.query<[{ exists: boolean }]>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [table]);
    return exists;
  }
}
