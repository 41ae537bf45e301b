// An assignment's progress as the other services publish it: the reconciler's latest decision per environment
// (`reconciler_api.decisions`) and the dispatcher's latest deploy status (`dispatcher_api.deploy_statuses`).
import type { DataSource, EntityManager } from 'typeorm';
import type { DecisionAction, DeployStatus } from '@fasit/domain';
import { foreignRead } from '../common/foreign-read.js';

export class AssignmentStatusReader {
  constructor(private readonly db: DataSource | EntityManager) {}

  /** The latest decision for the assignment in each of the environments. */
  latestDecisions(
    assignmentId: string,
    environmentIds: string[],
  ): Promise<{ environment_id: string; action: DecisionAction; message: string; created_at: Date }[]> {
    return foreignRead(
      this.db,
      `SELECT DISTINCT ON (environment_id) environment_id, action, message, created_at FROM reconciler_api.decisions
       WHERE assignment_id = $1 AND environment_id = ANY($2::uuid[]) ORDER BY environment_id, id DESC`,
      [assignmentId, environmentIds],
    );
  }

  /** The latest deploy status of the feature in each of the environments (of whichever assignment). */
  latestDeploys(
    feature: string,
    environmentIds: string[],
  ): Promise<{ environment_id: string; status: DeployStatus; error: string | null; created_at: Date; assignment_id: string }[]> {
    return foreignRead(
      this.db,
      `SELECT DISTINCT ON (environment_id) environment_id, status, error, created_at, assignment_id FROM dispatcher_api.deploy_statuses
       WHERE feature = $1 AND environment_id = ANY($2::uuid[]) ORDER BY environment_id, id DESC`,
      [feature, environmentIds],
    );
  }
}
