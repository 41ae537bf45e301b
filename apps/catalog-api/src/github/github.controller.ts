// The endpoints the original's GitHub Action (fasit-deploy) calls, with the original's shapes: create an
// assignment from a chart reference (201 {id}) and poll its state (200 {id, state}). Callers authenticate with a
// GitHub Actions OIDC token (the repository's policy: features and targets) or any token that may create
// assignments. A GitHub caller's assignment records the repository, commit and run its token names, not the body's
// `ref`. The Action prints the whole answer of a refused POST, but only `state` (and a link) of a poll.
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { AssignmentStatusService, type AssignmentStatus } from '../assignments/assignment-status.service.js';
import { AuthService } from '../auth/auth.service.js';
import { visibleEnvironments, type Access } from '../auth/authorizer.js';
import { CurrentAccess } from '../auth/policy.guard.js';
import { Allow, policies } from '../auth/policy.js';
import { AssignmentService } from '../assignments/assignment.service.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { validateInput } from '../common/validation.js';
import { githubAssignmentSchema } from './github.schemas.js';

@Controller('github')
export class GithubController {
  constructor(
    private readonly assignments: AssignmentService,
    private readonly statuses: AssignmentStatusService,
    private readonly auth: AuthService,
  ) {}

  /**
   * Refuses (400, naming the target) a target that matches no environment where the feature runs, or names a
   * tenant that does not exist: the Action would otherwise wait for a deploy that never comes until its time-out.
   */
  @Post(['assignment', 'deployment'])
  @HttpCode(201)
  @Allow(policies.assign)
  async create(@CurrentActor() actor: Actor, @CurrentAccess() access: Access, @Body() body: unknown): Promise<{ id: string }> {
    const input = validateInput(githubAssignmentSchema, body);
    const create = {
      chart: input.chart,
      version: input.version,
      target: input.target,
      description: input.description ?? `Set by ${actor.name}`,
      ...(input.ref ? { sourceRef: input.ref } : {}),
    };
    const github = access.github;
    const a = await this.assignments.create(actor, create, {
      requireTargets: true,
      ...(github ? { authorizeFeature: (feature: string) => this.auth.github.authorizeFeature(github, feature) } : {}),
    });
    return { id: a.id };
  }

  /**
   * `{id, state}` as the original, plus `message`: why it FAILED (each failing environment and its error) or has
   * NO_TARGETS. Degrades to UNKNOWN on an internal error, as the original (the Action keeps polling).
   */
  @Get(['assignment/:id', 'deployment/:id'])
  @Allow(policies.assignmentViewer)
  async state(@CurrentActor() actor: Actor, @CurrentAccess() access: Access): Promise<{ id: string; state: string; message?: string }> {
    const a = access.assignment!;
    try {
      const status = await this.statuses.status(a, visibleEnvironments(actor, access));
      const message = stateMessage(status);
      return { id: a.id, state: status.state, ...(message ? { message } : {}) };
    } catch {
      return { id: a.id, state: 'UNKNOWN' };
    }
  }
}

/** Why an assignment failed (or reaches nothing), in one line the Action's log can show. */
export function stateMessage(status: AssignmentStatus): string | undefined {
  if (status.state === 'NO_TARGETS')
    return 'the assignment reaches no environment (its target matches none where the feature runs, or a more specific assignment wins everywhere)';
  if (status.state !== 'FAILED') return undefined;
  const failed = status.environments.filter((e) => e.state === 'FAILED');
  return failed
    .map((e) => `${e.tenant}/${e.environment}: ${e.message}`)
    .join('; ')
    .slice(0, 2000);
}
