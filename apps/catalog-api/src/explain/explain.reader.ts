// What explain reads of the reconciler's and the dispatcher's published views (`reconciler_api`, `dispatcher_api`): the
// latest decisions of a pair, its deploys with their latest status, the agent's heartbeat, a deploy's last log
// lines, and the latest deploy status of other features in the environment (dependencies).
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DecisionAction, DeployStatus } from '@fasit/domain';
import { foreignRead } from '../common/foreign-read.js';

export interface DecisionFact {
  action: DecisionAction;
  message: string;
  hash: string | null;
  featureVersion: string | null;
  assignmentId: string | null;
  diid: string | null;
  at: Date;
}

export interface DeployFact {
  diid: string;
  status: DeployStatus;
  hash: string;
  error: string | null;
  featureVersion: string;
  /** When the deploy reached its latest status. */
  at: Date;
}

@Injectable()
export class ExplainReader {
  constructor(private readonly ds: DataSource) {}

  /** The latest decision of the pair, and the latest `deploy` decision (the last deploy the reconciler requested). */
  async decisions(environmentId: string, feature: string): Promise<{ latest: DecisionFact | null; lastRequest: DecisionFact | null }> {
    const sql = (where: string) =>
      `SELECT action, message, hash, feature_version AS "featureVersion", assignment_id::text AS "assignmentId", diid::text AS diid, created_at AS at
       FROM reconciler_api.decisions WHERE environment_id = $1 AND feature = $2 ${where} ORDER BY id DESC LIMIT 1`;
    const [latest, request] = await Promise.all([
      foreignRead<DecisionFact>(this.ds, sql(''), [environmentId, feature]),
      foreignRead<DecisionFact>(this.ds, sql(`AND action = 'deploy'`), [environmentId, feature]),
    ]);
    return { latest: latest[0] ?? null, lastRequest: request[0] ?? null };
  }

  /** The pair's deploys, newest first (by when each started), each with its latest status; at most 100. */
  async deploys(environmentId: string, feature: string): Promise<DeployFact[]> {
    return foreignRead<DeployFact>(
      this.ds,
      `SELECT diid, status, hash, error, "featureVersion", at FROM (
         SELECT DISTINCT ON (diid) diid::text AS diid, status, hash, error, feature_version AS "featureVersion", created_at AS at, min(id) OVER (PARTITION BY diid) AS first
         FROM dispatcher_api.deploy_statuses WHERE environment_id = $1 AND feature = $2 ORDER BY diid, id DESC
       ) latest ORDER BY first DESC LIMIT 100`,
      [environmentId, feature],
    );
  }

  async health(environmentId: string): Promise<{ reportedAt: Date; version: string | null } | null> {
    const rows = await foreignRead<{ reportedAt: Date; version: string | null }>(
      this.ds,
      `SELECT reported_at AS "reportedAt", agent_version AS version FROM dispatcher_api.agent_health WHERE environment_id = $1`,
      [environmentId],
    );
    return rows[0] ?? null;
  }

  /** The last `lines` log lines of a deploy, oldest first. */
  async logTail(diid: string, lines: number): Promise<{ time: string; msg: string; kind: string }[]> {
    const rows = await foreignRead<{ time: Date; msg: string; kind: string }>(
      this.ds,
      `SELECT time, msg, kind FROM (SELECT time, msg, kind, id FROM dispatcher_api.deploy_log_lines WHERE diid::text = $1 ORDER BY time DESC, id DESC LIMIT $2) l ORDER BY time, id`,
      [diid, lines],
    );
    return rows.map((r) => ({ time: new Date(r.time).toISOString(), msg: r.msg, kind: r.kind }));
  }

  /** The latest deploy status of each of `features` in the environment. */
  async latestStatuses(environmentId: string, features: string[]): Promise<Map<string, { status: DeployStatus; version: string; at: Date }>> {
    if (features.length === 0) return new Map();
    const rows = await foreignRead<{ feature: string; status: DeployStatus; version: string; at: Date }>(
      this.ds,
      `SELECT DISTINCT ON (feature) feature, status, feature_version AS version, created_at AS at FROM dispatcher_api.deploy_statuses
       WHERE environment_id = $1 AND feature = ANY($2::text[]) ORDER BY feature, id DESC`,
      [environmentId, features],
    );
    return new Map(rows.map((r) => [r.feature, { status: r.status, version: r.version, at: r.at }]));
  }
}
