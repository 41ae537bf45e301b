// What the agents' reports write, many reports per statement: the deploy log's statuses, heartbeats, inventories
// (releases), deploy log lines. Every method writes a whole batch in the caller's transaction, with the same outcome
// as writing its reports one by one in that order (the rules are @fasit/domain's `statusAppends` and
// `inventoryOutcomes`); the locks a batch takes are taken in one sorted order, so two batches never wait on each
// other crosswise.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { inventoryOutcomes, statusAppends, type DeployStatus, type InventoryOutcome } from '@fasit/domain';

/** A row of the deploy log: a deploy's status. */
export interface StatusRow {
  diid: string;
  environmentId: string;
  feature: string;
  assignmentId: string;
  featureVersion: string;
  status: DeployStatus;
  hash: string;
  error: string | null;
}

/** What the deploy log records of a diid's deploy besides its status (its `sent` row). */
export interface SentDeploy {
  environmentId: string;
  feature: string;
  assignmentId: string;
  featureVersion: string;
  hash: string;
}

export interface HeartbeatRow {
  environmentId: string;
  tenant: string;
  environment: string;
  agentVersion: string;
  /** What the agent announced (none from an older naisd). */
  capabilities: readonly string[];
}

export interface ReleaseRow {
  name: string;
  chartVersion: string;
  status: string;
  revision: number;
  lastDeployed: string | null;
  valuesHash?: string | undefined;
}

export interface InventoryRow {
  environmentId: string;
  real: boolean;
  takenAt: Date;
  releases: readonly ReleaseRow[];
}

export interface LogLineRow {
  diid: string;
  /** ISO 8601; null: now. */
  time: string | null;
  msg: string;
  kind: string;
  eventId: string;
  lineNo: number;
}

const SENT_DEPLOY = `SELECT diid, environment_id AS "environmentId", feature, assignment_id AS "assignmentId", feature_version AS "featureVersion", hash
  FROM dispatcher.deploy_statuses WHERE status = 'sent'`;

@Injectable()
export class ReportRepository {
  constructor(private readonly ds: DataSource) {}

  /** The `sent` row of each diid that has one (one query). */
  async sentDeploys(diids: readonly string[], m: EntityManager = this.ds.manager): Promise<Map<string, SentDeploy>> {
    if (diids.length === 0) return new Map();
    const rows = await m.query<(SentDeploy & { diid: string })[]>(`${SENT_DEPLOY} AND diid = ANY($1::uuid[])`, [[...new Set(diids)]]);
    return new Map(rows.map(({ diid, ...sent }) => [diid, sent]));
  }

  /**
   * Appends the statuses that are new (`statusAppends`: once per diid and status, no `installing` after `deployed` or
   * `failed`), in order, under the lock of each diid (a concurrent `installing` checked against a `deployed` not yet
   * committed would otherwise be appended after it). Per row: undefined when nothing was appended, else the seconds
   * since the diid's `sent` row (null when there is none before this batch).
   */
  async appendStatuses(m: EntityManager, rows: readonly StatusRow[]): Promise<({ sinceSent: number | null } | undefined)[]> {
    if (rows.length === 0) return [];
    const diids = [...new Set(rows.map((r) => r.diid))];
    await lockAll(
      m,
      diids.map((d) => `fasit-deploy:${d}`),
    );
    const recorded = await m.query<{ diid: string; statuses: DeployStatus[] }[]>(
      `SELECT diid, array_agg(status) AS statuses FROM dispatcher.deploy_statuses WHERE diid = ANY($1::uuid[]) GROUP BY diid`,
      [diids],
    );
    const appends = statusAppends(new Map(recorded.map((r) => [r.diid, r.statuses])), rows);
    const fresh = rows.filter((_, i) => appends[i]);
    if (fresh.length === 0) return rows.map(() => undefined);
    const inserted = await m.query<{ diid: string; status: DeployStatus; sinceSent: number | null }[]>(
      `INSERT INTO dispatcher.deploy_statuses (diid, environment_id, feature, assignment_id, feature_version, status, hash, error)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[])
       ON CONFLICT (diid, status) DO NOTHING
       RETURNING diid, status,
         EXTRACT(EPOCH FROM now() - (SELECT s.created_at FROM dispatcher.deploy_statuses s WHERE s.diid = deploy_statuses.diid AND s.status = 'sent'))::float8 AS "sinceSent"`,
      [
        fresh.map((r) => r.diid),
        fresh.map((r) => r.environmentId),
        fresh.map((r) => r.feature),
        fresh.map((r) => r.assignmentId),
        fresh.map((r) => r.featureVersion),
        fresh.map((r) => r.status),
        fresh.map((r) => r.hash),
        fresh.map((r) => r.error),
      ],
    );
    const byKey = new Map(inserted.map((r) => [`${r.diid} ${r.status}`, { sinceSent: r.sinceSent }]));
    return rows.map((r, i) => (appends[i] ? byKey.get(`${r.diid} ${r.status}`) : undefined));
  }

  /**
   * Each environment's agent was heard now; the last heartbeat of an environment in the batch says its version and
   * capabilities (a capability is a name without commas: the contract's pattern).
   */
  async recordHeartbeats(m: EntityManager, rows: readonly HeartbeatRow[]): Promise<void> {
    if (rows.length === 0) return;
    const last = [...new Map(rows.map((r) => [r.environmentId, r])).values()];
    await m.query(
      `INSERT INTO dispatcher.agent_health (environment_id, tenant, environment, agent_version, capabilities, reported_at)
       SELECT e, t, n, v, coalesce(string_to_array(nullif(c, ''), ','), '{}'), now()
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(e, t, n, v, c)
       ON CONFLICT (environment_id) DO UPDATE
         SET agent_version = EXCLUDED.agent_version, capabilities = EXCLUDED.capabilities, reported_at = EXCLUDED.reported_at`,
      [
        last.map((r) => r.environmentId),
        last.map((r) => r.tenant),
        last.map((r) => r.environment),
        last.map((r) => r.agentVersion),
        last.map((r) => r.capabilities.join(',')),
      ],
    );
  }

  /** Of these environments, those whose agent announced `capability` in its last heartbeat. */
  async withCapability(m: EntityManager, environmentIds: readonly string[], capability: string): Promise<Set<string>> {
    if (environmentIds.length === 0) return new Set();
    const rows = await m.query<{ environment_id: string }[]>(
      `SELECT environment_id FROM dispatcher.agent_health WHERE environment_id = ANY($1::uuid[]) AND $2 = ANY(capabilities)`,
      [[...new Set(environmentIds)], capability],
    );
    return new Set(rows.map((r) => r.environment_id));
  }

  /**
   * Replaces each environment's recorded inventory and releases with the newest of the batch (`inventoryOutcomes`:
   * one taken before the recorded one changes nothing), one inventory of an environment at a time (two replicas
   * handling two deliveries of it at once would otherwise both delete, then collide on insert). Per row: whether it
   * was applied and is to be announced.
   */
  async replaceInventories(m: EntityManager, rows: readonly InventoryRow[]): Promise<InventoryOutcome[]> {
    if (rows.length === 0) return [];
    const environments = [...new Set(rows.map((r) => r.environmentId))];
    await lockAll(
      m,
      environments.map((e) => `fasit-inventory:${e}`),
    );
    const recorded = await m.query<{ environmentId: string; real: boolean; takenAt: Date }[]>(
      `SELECT environment_id AS "environmentId", real, reported_at AS "takenAt" FROM dispatcher.inventories WHERE environment_id = ANY($1::uuid[])`,
      [environments],
    );
    const outcomes = inventoryOutcomes(new Map(recorded.map((r) => [r.environmentId, r])), rows);
    // What each environment ends with: the last inventory applied to it.
    const final = new Map<string, InventoryRow>();
    rows.forEach((r, i) => outcomes[i]?.applied && final.set(r.environmentId, r));
    if (final.size === 0) return outcomes;
    const applied = [...final.values()];
    const ids = applied.map((r) => r.environmentId);
    await m.query(`DELETE FROM dispatcher.releases WHERE environment_id = ANY($1::uuid[])`, [ids]);
    const releases = applied.flatMap((r) => r.releases.map((rel) => ({ ...rel, environmentId: r.environmentId, takenAt: r.takenAt })));
    if (releases.length > 0) {
      await m.query(
        `INSERT INTO dispatcher.releases (environment_id, name, chart_version, status, revision, last_deployed, values_hash, reported_at)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::timestamptz[], $7::text[], $8::timestamptz[])`,
        [
          releases.map((r) => r.environmentId),
          releases.map((r) => r.name),
          releases.map((r) => r.chartVersion),
          releases.map((r) => r.status),
          releases.map((r) => r.revision),
          releases.map((r) => r.lastDeployed),
          releases.map((r) => r.valuesHash ?? null),
          releases.map((r) => r.takenAt),
        ],
      );
    }
    await m.query(
      `INSERT INTO dispatcher.inventories (environment_id, real, reported_at) SELECT * FROM unnest($1::uuid[], $2::boolean[], $3::timestamptz[])
       ON CONFLICT (environment_id) DO UPDATE SET real = EXCLUDED.real, reported_at = EXCLUDED.reported_at`,
      [ids, applied.map((r) => r.real), applied.map((r) => r.takenAt)],
    );
    return outcomes;
  }

  /** An agent's refusal of an instruction, and its line in the deploy's log (`logLine`, when the deploy is known there). */
  async recordRefusal(
    m: EntityManager,
    r: { environmentId: string; diid: string | null; reason: string; verified: boolean; error: string },
    logLine?: { diid: string; msg: string },
  ): Promise<void> {
    await m.query(`INSERT INTO dispatcher.refused_instructions (environment_id, diid, reason, verified, error) VALUES ($1, $2, $3, $4, $5)`, [
      r.environmentId,
      r.diid,
      r.reason,
      r.verified,
      r.error,
    ]);
    if (logLine)
      await m.query(`INSERT INTO dispatcher.deploy_log_lines (diid, time, msg, kind) VALUES ($1, now(), $2, 'refusal')`, [logLine.diid, logLine.msg]);
  }

  /** How many agents reported within the window (healthy) and how many did not (silent). */
  async agentHealth(windowSeconds: number): Promise<{ healthy: number; silent: number }> {
    const [row] = await this.ds.query<{ healthy: number; silent: number }[]>(
      `SELECT count(*) FILTER (WHERE reported_at > now() - make_interval(secs => $1))::int AS healthy,
              count(*) FILTER (WHERE reported_at <= now() - make_interval(secs => $1))::int AS silent
       FROM dispatcher.agent_health`,
      [windowSeconds],
    );
    return row ?? { healthy: 0, silent: 0 };
  }

  /** Deploy log lines; a line already recorded under its report's event id and position adds nothing (a redelivery). */
  async insertLogLines(m: EntityManager, rows: readonly LogLineRow[]): Promise<void> {
    if (rows.length === 0) return;
    await m.query(
      `INSERT INTO dispatcher.deploy_log_lines (diid, time, msg, kind, event_id, line_no)
       SELECT d, coalesce(t, now()), msg, k, e, n FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::integer[]) AS l(d, t, msg, k, e, n)
       ON CONFLICT (event_id, line_no) WHERE event_id IS NOT NULL DO NOTHING`,
      [
        rows.map((r) => r.diid),
        rows.map((r) => r.time),
        rows.map((r) => r.msg),
        rows.map((r) => r.kind),
        rows.map((r) => r.eventId),
        rows.map((r) => r.lineNo),
      ],
    );
  }
}

/** Takes the transaction's advisory lock of every key, in one order (sorted by lock number): no two batches deadlock. */
async function lockAll(m: EntityManager, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await m.query(`SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtext(key) AS k FROM unnest($1::text[]) AS key ORDER BY 1) AS locks`, [keys]);
}
