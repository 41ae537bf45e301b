// An assignment's progress as the other services publish it: the reconciler's latest decision per environment
// (`reconciler_api.decisions`) and the dispatcher's latest deploy status (`dispatcher_api.deploy_log`), each one
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
       JOIN LATERAL (SELECT status, error, created_at, assignment_id FROM dispatcher_api.deploy_log
                     WHERE environment_id = e AND feature = $1 ORDER BY id DESC LIMIT 1) l ON true`,
      [feature, environmentIds],
    );
  }
}
