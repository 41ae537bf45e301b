import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { invalid } from '@fasit/domain';
import { authorizeAny, authorizeAssignment, authorizeTenant } from '../auth/access.js';
import { AuthService } from '../auth/auth.service.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { page, pageLimit } from '../common/paging.js';
import { boolQuery, validateInput } from '../common/validation.js';
import { labelsSchema } from '../environments/environment.controller.js';
import { EnvironmentService } from '../environments/environment.service.js';
import { AssignmentService, toAssignmentView, type AssignmentView, type CreateAssignmentInput } from './assignment.service.js';
import { AssignmentStatusService, type AssignmentStatus, type Fallback } from './assignment-status.service.js';
import { AssignmentPreviewService, type AssignmentPreview } from './assignment-preview.service.js';

export const createAssignmentSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'target'],
  properties: {
    chart: { type: 'string', minLength: 1, maxLength: 500 },
    feature: { type: 'string', minLength: 1, maxLength: 63 },
    version: { type: 'string', minLength: 1, maxLength: 128 },
    target: labelsSchema,
    description: { type: 'string', maxLength: 1000 },
    sourceRef: {
      type: 'object',
      additionalProperties: false,
      properties: { owner: { type: 'string', maxLength: 200 }, repo: { type: 'string', maxLength: 200 }, ref: { type: 'string', maxLength: 500 } },
    },
  },
};

export const previewSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['feature', 'version', 'target'],
  properties: { feature: { type: 'string', minLength: 1, maxLength: 63 }, version: { type: 'string', minLength: 1, maxLength: 128 }, target: labelsSchema },
};

@Controller('api/v1/assignments')
export class AssignmentController {
  constructor(
    private readonly assignments: AssignmentService,
    private readonly statuses: AssignmentStatusService,
    private readonly previews: AssignmentPreviewService,
    private readonly environments: EnvironmentService,
    private readonly auth: AuthService,
  ) {}

  @Post()
  @HttpCode(201)
  create(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<AssignmentView> {
    const input = validateInput<CreateAssignmentInput>(createAssignmentSchema, body);
    if (actor.kind === 'github') return this.assignments.create(actor, input, (feature) => this.auth.github.authorizeFeature(actor, feature));
    authorizeAssignment(actor, input.target);
    return this.assignments.create(actor, input);
  }

  /** Without saving: which environments the assignment would reach and which assignment it would replace there. */
  @Post('preview')
  @HttpCode(200)
  preview(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<AssignmentPreview> {
    authorizeAny(actor);
    return this.previews.preview(actor, validateInput(previewSchema, body));
  }

  /**
   * `?feature=`, `?active=true|false`, `?environment=tenant/env` (assignments whose target matches it), newest
   * first, `?limit=` (100, at most 1000) per page, `?before=<id>` for the next (the `Link` header names it).
   */
  @Get()
  async list(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Query('feature') feature?: string,
    @Query('active') active?: string,
    @Query('environment') environment?: string,
    @Query('limit') limit?: string,
    @Query('before') before?: string,
  ): Promise<AssignmentView[]> {
    if (actor.kind !== 'github') authorizeAny(actor);
    let labels: Record<string, string> | undefined;
    if (environment) {
      const [tenant, env] = environment.split('/');
      if (!tenant || !env) throw invalid('environment: "tenant/environment"', 'environment');
      authorizeTenant(actor, 'viewer', tenant);
      labels = (await this.environments.get(tenant, env)).labels;
    }
    const take = pageLimit(limit, 100);
    const rows = await this.assignments.list(
      { ...(feature ? { feature } : {}), ...(active !== undefined ? { active: boolQuery('active', active) } : {}), ...(labels ? { labels } : {}) },
      { take: take + 1, ...(before !== undefined ? { before } : {}) },
    );
    return page(rows, take, (a) => a.id, req, res);
  }

  @Get(':id')
  async get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<AssignmentView> {
    if (actor.kind !== 'github') authorizeAny(actor);
    return toAssignmentView(await this.assignments.get(id));
  }

  @Get(':id/status')
  async status(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<AssignmentStatus> {
    if (actor.kind !== 'github') authorizeAny(actor);
    return this.statuses.status(await this.assignments.get(id), actor);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  async deactivate(@CurrentActor() actor: Actor, @Param('id') id: string, @Query('confirm') confirm?: string): Promise<AssignmentView & { fallback: Fallback[] }> {
    authorizeAssignment(actor, (await this.assignments.get(id)).target);
    return this.assignments.deactivate(actor, id, boolQuery('confirm', confirm));
  }
}
