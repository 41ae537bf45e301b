// The endpoints the original's GitHub Action (fasit-deploy) calls, with the original's shapes: create an
// assignment from a chart reference (201 {id}) and poll its state (200 {id, state}). Callers authenticate with a
// GitHub Actions OIDC token (owner allow-list, optional per-feature repository allow-list) or any token that may
// create assignments.
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { authorizeAssignment } from '../auth/access.js';
import { AuthService } from '../auth/auth.service.js';
import { AssignmentStatusService } from '../assignments/assignment-status.service.js';
import { AssignmentService } from '../assignments/assignment.service.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { validateInput } from '../common/validation.js';
import { labelsSchema } from '../environments/environment.controller.js';

export const githubAssignmentSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['chart', 'version', 'target'],
  properties: {
    chart: { type: 'string', minLength: 1, maxLength: 500 },
    version: { type: 'string', minLength: 1, maxLength: 128 },
    description: { type: 'string', maxLength: 1000 },
    ref: {
      type: 'object',
      additionalProperties: false,
      required: ['owner', 'repo', 'ref'],
      properties: { owner: { type: 'string', maxLength: 200 }, repo: { type: 'string', maxLength: 200 }, ref: { type: 'string', maxLength: 500 } },
    },
    target: labelsSchema,
    global: {},
  },
};

interface GithubAssignmentInput {
  chart: string;
  version: string;
  description?: string;
  ref?: { owner: string; repo: string; ref: string };
  target: Record<string, string>;
}

@Controller('github')
export class GithubController {
  constructor(
    private readonly assignments: AssignmentService,
    private readonly statuses: AssignmentStatusService,
    private readonly auth: AuthService,
  ) {}

  @Post(['assignment', 'deployment'])
  @HttpCode(201)
  async create(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<{ id: string }> {
    const input = validateInput<GithubAssignmentInput>(githubAssignmentSchema, body);
    const create = { chart: input.chart, version: input.version, target: input.target, description: input.description ?? `Set by ${actor.name}`, ...(input.ref ? { sourceRef: input.ref } : {}) };
    if (actor.kind !== 'github') authorizeAssignment(actor, input.target);
    const a = await this.assignments.create(actor, create, actor.kind === 'github' ? (feature) => this.auth.github.authorizeFeature(actor, feature) : undefined);
    return { id: a.id };
  }

  /** Degrades to UNKNOWN on an internal error, as the original (the action keeps polling). */
  @Get(['assignment/:id', 'deployment/:id'])
  async state(@Param('id') id: string): Promise<{ id: string; state: string }> {
    const a = await this.assignments.get(id);
    try {
      return { id: a.id, state: (await this.statuses.status(a)).state };
    } catch {
      return { id: a.id, state: 'UNKNOWN' };
    }
  }
}
