// An assignment's progress as the other services publish it: the reconciler's latest decision per environment
// (`reconciler_api.decisions`) and the dispatcher's latest deploy status (`dispatcher_api.deploy_statuses`), each one
// indexed lookup per environment (their `(environment_id, feature, id DESC)` indexes); and the catalog's own
// environments an assignment's target reaches, as plain rows (no entities: the status of an assignment over
// thousands of environments is asked often, and building entities was most of its time).
import type { DataSource, EntityManager } from 'typeorm';
import type { EnvironmentKind } from '@fasit/bus';
import type { DecisionAction, DeployStatus, Labels } from '@fasit/domain';
import { foreignRead } from '../common/foreign-read.js';

/** An environment an assignment's target reaches: what its status and its deactivation preview need. */
export interface TargetedEnvironment {
  id: string;
  tenant: { name: string };
  name: string;
  labels: Labels;
  reconcile: boolean;
  /** The feature is disabled there. */
  disabled: boolean;
}

export class AssignmentStatusReader {
  constructor(private readonly db: DataSource | EntityManager) {}

  /**
   * A version of everything an assignment's status is built from, read in one statement (the status is kept per
   * version, `common/answer-cache.ts`): any committed change to what the status shows changes it. Its parts:
   * - the data versions of the tenants with environments the target's labels reach (decision 0005: raised with every
   *   change to a tenant's environments, so also when one starts or stops being reached);
   * - the feature's active assignments (who wins where; this one's own deactivation) and where it is disabled;
   * - the count and the highest id of the assignment's decisions (`decisions_assignment`, index-only): the table is
   *   append-only, so the count moves with every decision committed, even one whose id is below one already seen;
   * - the sum of the latest deploy status id of the feature in each reached environment (`deploy_statuses`'
   *   `(environment_id, feature, id DESC)`, index-only): an environment's latest row only ever moves to a higher id,
   *   and the status shows exactly that row.
   * undefined: the other services' views are not there yet.
   */
  async version(assignmentId: string, feature: string, target: Labels): Promise<string | undefined> {
    const [row] = await foreignRead<{ version: string }>(
      this.db,
      `WITH reached AS (SELECT id, tenant_id FROM catalog.environments WHERE labels @> $3::jsonb)
       SELECT concat_ws(' ',
         (SELECT md5(coalesce(string_agg(t.id::text || ':' || t.data_version, ',' ORDER BY t.id), '')) FROM catalog.tenants t
          WHERE t.id IN (SELECT tenant_id FROM reached)),
         (SELECT md5(coalesce(string_agg(a.id::text, ',' ORDER BY a.id), '')) FROM catalog.assignments a WHERE a.feature = $2 AND a.active),
         (SELECT md5(coalesce(string_agg(d.environment_id::text, ',' ORDER BY d.environment_id), '')) FROM catalog.disabled_features d
          WHERE d.feature = $2),
         (SELECT count(*) || ':' || coalesce(max(id), 0) FROM reconciler_api.decisions WHERE assignment_id = $1),
         (SELECT coalesce(sum(l.id), 0) FROM reached r
          JOIN LATERAL (SELECT id FROM dispatcher_api.deploy_statuses WHERE environment_id = r.id AND feature = $2 ORDER BY id DESC LIMIT 1) l ON true)
       ) AS version`,
      [assignmentId, feature, JSON.stringify(target)],
    );
    return row?.version;
  }

  /** The environments whose labels contain `target`, of one of `kinds`, with whether `feature` is disabled there. */
  targetedEnvironments(target: Labels, kinds: readonly EnvironmentKind[], feature: string): Promise<TargetedEnvironment[]> {
    return this.db.query<TargetedEnvironment[]>(
      `SELECT e.id, json_build_object('name', t.name) AS tenant, e.name, e.labels, e.reconcile, (d.environment_id IS NOT NULL) AS disabled
       FROM catalog.environments e JOIN catalog.tenants t ON t.id = e.tenant_id
       LEFT JOIN catalog.disabled_features d ON d.environment_id = e.id AND d.feature = $3
       WHERE e.labels @> $1::jsonb AND e.kind::text = ANY($2::text[])`,
      [JSON.stringify(target), kinds, feature],
    );
  }

  /** The latest decision for the assignment in each of the environments. */
  latestDecisions(
    assignmentId: string,
    feature: string,
    environmentIds: string[],
  ): Promise<{ environment_id: string; action: DecisionAction; message: string; created_at: Date }[]> {
    return foreignRead(
      this.db,
      `SELECT e AS environment_id, d.action, d.message, d.created_at FROM unnest($3::uuid[]) AS e
       JOIN LATERAL (SELECT action, message, created_at FROM reconciler_api.decisions
                     WHERE environment_id = e AND feature = $2 AND assignment_id = $1 ORDER BY id DESC LIMIT 1) d ON true`,
      [assignmentId, feature, environmentIds],
    );
  }

  /** The latest deploy status of the feature in each of the environments (of whichever assignment). */
  latestDeploys(
    feature: string,
    environmentIds: string[],
  ): Promise<{ environment_id: string; status: DeployStatus; error: string | null; created_at: Date; assignment_id: string }[]> {
    return foreignRead(
      this.db,
      `SELECT e AS environment_id, l.status, l.error, l.created_at, l.assignment_id FROM unnest($2::uuid[]) AS e
       JOIN LATERAL (SELECT status, error, created_at, assignment_id FROM dispatcher_api.deploy_statuses
                     WHERE environment_id = e AND feature = $1 ORDER BY id DESC LIMIT 1) l ON true`,
      [feature, environmentIds],
    );
  }
}
