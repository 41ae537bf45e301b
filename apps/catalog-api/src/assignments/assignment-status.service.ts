// An assignment's status: the environments it wins (computed here from the catalog, so a fresh assignment is
// PENDING rather than NO_TARGETS while the matcher catches up), and per environment the reconciler's latest
// decision and the dispatcher's latest deploy status for this assignment.
//
// The other services' part comes from their published views, through AssignmentStatusReader.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assignmentState, compareVersions, pairState, selectWinners, type AssignmentState, type Labels, type PairState } from '@fasit/domain';

import { AnswerCache, type Answer } from '../common/answer-cache.js';
import { Assignment } from './assignment.entity.js';
import { AssignmentStatusReader, type TargetedEnvironment } from './assignment-status.reader.js';
import { FeatureVersionRepository } from '../features/feature-version.repository.js';
import { AssignmentRepository } from './assignment.repository.js';

export interface EnvironmentStatus {
  environmentId: string;
  tenant: string;
  environment: string;
  state: PairState;
  message: string;
  updatedAt: string | null;
}

/** What deactivating an assignment would change in one environment where it wins now. */
export interface Fallback {
  tenant: string;
  environment: string;
  /** The assignment that would win there instead (null: none, the feature stays installed as it is). */
  next: { assignmentId: string; version: string } | null;
  /** The next winner's version is older. */
  downgrade: boolean;
}

export interface AssignmentStatus {
  id: string;
  feature: string;
  version: string;
  state: AssignmentState;
  environments: EnvironmentStatus[];
}

@Injectable()
export class AssignmentStatusService {
  private readonly reader: AssignmentStatusReader;

  constructor(
    ds: DataSource,
    private readonly assignments: AssignmentRepository,
    private readonly versions: FeatureVersionRepository,
    private readonly answers: AnswerCache,
  ) {
    this.reader = new AssignmentStatusReader(ds);
  }

  /**
   * The status as the API sends it, serialized: kept per version of what it is built from (the reader's `version`,
   * read on every request, so a replica never sends an older status than the database holds) and per `visibility`,
   * the key of what `shows` lets through (callers who see different environments get different answers).
   */
  async statusAnswer(a: Assignment, visibility: string, shows: (e: { tenant: string; labels: Labels }) => boolean, ifNoneMatch?: string): Promise<Answer> {
    const version = await this.reader.version(a.id, a.feature, a.target);
    return this.answers.answer('assignment-status', `assignment-status\0${a.id}\0${visibility}`, version, () => this.status(a, shows), ifNoneMatch);
  }

  /** With `shows`, only the environments it lets through count (what the caller may see). */
  async status(a: Assignment, shows: (e: { tenant: string; labels: Labels }) => boolean = () => true): Promise<AssignmentStatus> {
    const envs = (a.active ? await this.wonEnvironments(a) : []).filter((e) => shows({ tenant: e.tenant.name, labels: e.labels }));
    const ids = envs.map((e) => e.id);
    const [decisions, deploys] = await Promise.all([this.reader.latestDecisions(a.id, a.feature, ids), this.reader.latestDeploys(a.feature, ids)]);
    const decisionBy = new Map(decisions.map((d) => [d.environment_id, d]));
    const deployBy = new Map(deploys.filter((d) => d.assignment_id === a.id).map((d) => [d.environment_id, d]));
    const environments = envs.map((e): EnvironmentStatus => {
      const d = decisionBy.get(e.id);
      const dep = deployBy.get(e.id);
      const s = pairState({
        disabled: e.disabled || !e.reconcile,
        decision: d ? { action: d.action, message: d.message, at: d.created_at } : undefined,
        deploy: dep ? { status: dep.status, at: dep.created_at, error: dep.error } : undefined,
      });
      const latest = [d?.created_at, dep?.created_at].filter((x): x is Date => !!x).sort((x, y) => y.getTime() - x.getTime())[0];
      return { environmentId: e.id, tenant: e.tenant.name, environment: e.name, state: s.state, message: s.message, updatedAt: latest?.toISOString() ?? null };
    });
    return { id: a.id, feature: a.feature, version: a.version, state: assignmentState(environments.map((e) => e.state)), environments };
  }

  /** Environments whose labels match, of a kind the feature runs in, where this assignment is the most specific. */
  /** Where the assignment wins now, and what would win there once it is deactivated (an older version winning there is an implicit downgrade: docs/decisions/0004-deactivation-guard.md). */
  async fallbackIfDeactivated(a: Assignment): Promise<Fallback[]> {
    if (!a.active) return [];
    const envs = await this.wonEnvironments(a);
    if (envs.length === 0) return [];
    const others = (await this.assignments.active(a.feature)).filter((x) => x.id !== a.id);
    return envs.map((e) => {
      const next = selectWinners(others, e.labels).get(a.feature)?.winner;
      return {
        tenant: e.tenant.name,
        environment: e.name,
        next: next ? { assignmentId: next.id, version: next.version } : null,
        downgrade: next !== undefined && compareVersions(next.version, a.version) < 0,
      };
    });
  }

  /** Sorted by tenant, then name. */
  async wonEnvironments(a: Assignment): Promise<TargetedEnvironment[]> {
    const [fv, actives] = await Promise.all([this.versions.assigned(a.feature, a.version), this.assignments.active(a.feature)]);
    const envs = await this.reader.targetedEnvironments(a.target, fv.kinds, a.feature);
    return envs
      .filter((e) => selectWinners(actives, e.labels).get(a.feature)?.winner.id === a.id)
      .sort((x, y) => `${x.tenant.name}/${x.name}`.localeCompare(`${y.tenant.name}/${y.name}`));
  }
}
