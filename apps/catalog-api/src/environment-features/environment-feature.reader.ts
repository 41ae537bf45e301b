// What an environment feature's page shows of the other services, from their published views: the reconciler's
// decisions (`reconciler_api.decisions`, with the sealed copy of the rendered values) and the dispatcher's deploys
// and their log lines (`dispatcher_api.deploy_statuses`, `dispatcher_api.deploy_log_lines`).
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DecisionAction, DeployStatus } from '@fasit/domain';
import { foreignRead } from '../common/foreign-read.js';

export interface DecisionRow {
  action: DecisionAction;
  message: string;
  feature_version: string | null;
  assignment_id: string | null;
  hash: string | null;
  values: unknown;
  /** The full values sealed by the reconciler (its `values` column has the secrets masked). */
  sealed_values?: string | null;
  provenance: unknown;
  created_at: Date;
}

export interface DeployRow {
  id: string;
  diid: string;
  feature_version: string;
  assignment_id: string | null;
  status: DeployStatus;
  hash: string;
  error: string | null;
  created_at: Date;
}

/** Deploys of a pair shown with their statuses (the newest). */
const DEPLOY_HISTORY = 20;
/** Log lines shown per deploy (the last ones). */
const LOG_LINES = 500;

@Injectable()
export class EnvironmentFeatureReader {
  constructor(private readonly db: DataSource) {}

  /** Each feature's latest decision in the environment. */
  latestDecisions(environmentId: string): Promise<{ feature: string; action: DecisionAction; message: string; created_at: Date }[]> {
    return foreignRead(
      this.db,
      `SELECT DISTINCT ON (feature) feature, action, message, created_at FROM reconciler_api.decisions WHERE environment_id = $1 ORDER BY feature, id DESC`,
      [environmentId],
    );
  }

  /** Each feature's latest deploy status in the environment. */
  latestDeploys(environmentId: string): Promise<{ feature: string; status: DeployStatus; error: string | null; feature_version: string; created_at: Date }[]> {
    return foreignRead(
      this.db,
      `SELECT DISTINCT ON (feature) feature, status, error, feature_version, created_at FROM dispatcher_api.deploy_statuses WHERE environment_id = $1 ORDER BY feature, id DESC`,
      [environmentId],
    );
  }

  /** The pair's latest decision, without its values. */
  latestDecision(environmentId: string, feature: string): Promise<DecisionRow[]> {
    return foreignRead(
      this.db,
      `SELECT action, message, feature_version, assignment_id, hash, NULL AS "values", NULL AS provenance, created_at FROM reconciler_api.decisions
       WHERE environment_id = $1 AND feature = $2 ORDER BY id DESC LIMIT 1`,
      [environmentId, feature],
    );
  }

  /** The pair's latest decision that rendered values, with the sealed copy. */
  latestRendered(environmentId: string, feature: string): Promise<DecisionRow[]> {
    return foreignRead(
      this.db,
      `SELECT action, message, feature_version, assignment_id, hash, "values", sealed_values, provenance, created_at FROM reconciler_api.decisions
       WHERE environment_id = $1 AND feature = $2 AND "values" IS NOT NULL ORDER BY id DESC LIMIT 1`,
      [environmentId, feature],
    );
  }

  /** Every status of the pair's last deploys, oldest first. */
  deployHistory(environmentId: string, feature: string): Promise<DeployRow[]> {
    return foreignRead(
      this.db,
      `SELECT l.id::text AS id, l.diid::text AS diid, l.feature_version, l.assignment_id::text AS assignment_id, l.status, l.hash, l.error, l.created_at FROM dispatcher_api.deploy_statuses l
       WHERE l.environment_id = $1 AND l.feature = $2 AND l.diid IN (
         SELECT d.diid FROM (SELECT diid, max(id) AS last FROM dispatcher_api.deploy_statuses WHERE environment_id = $1 AND feature = $2 GROUP BY diid ORDER BY last DESC LIMIT ${DEPLOY_HISTORY}) d)
       ORDER BY l.id`,
      [environmentId, feature],
    );
  }

  /** The last log lines of each deploy, oldest first. */
  logTails(diids: string[]): Promise<{ diid: string; time: Date; msg: string; kind: string }[]> {
    return foreignRead(
      this.db,
      `SELECT diid, time, msg, kind FROM (SELECT diid::text AS diid, time, msg, kind, id, row_number() OVER (PARTITION BY diid ORDER BY time DESC, id DESC) AS n
         FROM dispatcher_api.deploy_log_lines WHERE diid::text = ANY($1::text[])) l WHERE n <= ${LOG_LINES} ORDER BY time, id`,
      [diids],
    );
  }
}
