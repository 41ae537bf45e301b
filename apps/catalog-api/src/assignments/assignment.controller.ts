import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { invalid, notFound } from '@fasit/domain';
import { seesTenant, visibleTenants } from '../auth/access.js';
import { AuthService } from '../auth/auth.service.js';
import { visibilityKey, visibleEnvironments, type Access } from '../auth/authorizer.js';
import { CurrentAccess } from '../auth/policy.guard.js';
import { Allow, policies } from '../auth/policy.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { ifNoneMatch, sendAnswer } from '../common/answer-cache.js';
import { page, pageLimit } from '../common/paging.js';
import { boolQuery, validateInput } from '../common/validation.js';

import { EnvironmentService } from '../environments/environment.service.js';
import { AssignmentService, toAssignmentView } from './assignment.service.js';
import { AssignmentStatusService, type Fallback } from './assignment-status.service.js';
import { AssignmentPreviewService, type AssignmentPreview } from './assignment-preview.service.js';
import { createAssignmentSchema, previewSchema, type AssignmentView } from './assignment.schemas.js';

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
  @Allow(policies.assign)
  create(@CurrentActor() actor: Actor, @CurrentAccess() access: Access, @Body() body: unknown): Promise<AssignmentView> {
    const input = validateInput(createAssignmentSchema, body);
    const github = access.github;
    return this.assignments.create(actor, input, github ? { authorizeFeature: (feature) => this.auth.github.authorizeFeature(github, feature) } : {});
  }

  /** Without saving: which environments the assignment would reach and which assignment it would replace there. */
  @Post('preview')
  @HttpCode(200)
  @Allow(policies.previewTarget)
  preview(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<AssignmentPreview> {
    return this.previews.preview(actor, validateInput(previewSchema, body));
  }

  /**
   * The assignments the caller may see (those whose target's tenant it sees; tenant-less targets for global roles;
   * for GitHub callers those of the features their repository owns). `?feature=`, `?active=true|false`,
   * `?environment=tenant/env` (assignments whose target matches it), newest first, `?limit=` (100, at most 1000)
   * per page, `?before=<id>` for the next (the `Link` header names it).
   */
  @Get()
  @Allow(policies.assignmentList)
  async list(
    @CurrentActor() actor: Actor,
    @CurrentAccess() access: Access,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Query('feature') feature?: string,
    @Query('active') active?: string,
    @Query('environment') environment?: string,
    @Query('limit') limit?: string,
    @Query('before') before?: string,
  ): Promise<AssignmentView[]> {
    let labels: Record<string, string> | undefined;
    if (environment) {
      const [tenant, env] = environment.split('/');
      if (!tenant || !env) throw invalid('environment: "tenant/environment"', 'environment');
      if (actor.kind === 'github' || !seesTenant(actor, tenant)) throw notFound(`environment "${tenant}/${env}" not found`);
      labels = (await this.environments.get(tenant, env)).labels;
    }
    const take = pageLimit(limit, 100);
    const rows = await this.assignments.list(
      {
        ...(feature ? { feature } : {}),
        ...(active !== undefined ? { active: boolQuery('active', active) } : {}),
        ...(labels ? { labels } : {}),
        ...(access.github ? { features: [...access.github.features] } : { tenants: visibleTenants(actor) }),
      },
      { take: take + 1, ...(before !== undefined ? { before } : {}) },
    );
    return page(rows, take, (a) => a.id, req, res);
  }

  @Get(':id')
  @Allow(policies.assignmentViewer)
  get(@CurrentAccess() access: Access): AssignmentView {
    return toAssignmentView(access.assignment!);
  }

  /** Sent as kept for the version of what it is built from (`common/answer-cache.ts`), with its ETag; `If-None-Match` → 304. */
  @Get(':id/status')
  @Allow(policies.assignmentViewer)
  async status(@CurrentActor() actor: Actor, @CurrentAccess() access: Access, @Req() req: Request, @Res() res: Response): Promise<void> {
    const a = access.assignment!;
    sendAnswer(res, await this.statuses.statusAnswer(a, visibilityKey(actor, access), visibleEnvironments(actor, access), ifNoneMatch(req)));
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @Allow(policies.assignmentOperator)
  deactivate(
    @CurrentActor() actor: Actor,
    @CurrentAccess() access: Access,
    @Query('confirm') confirm?: string,
  ): Promise<AssignmentView & { fallback: Fallback[] }> {
    return this.assignments.deactivate(actor, access.assignment!.id, boolQuery('confirm', confirm));
  }
}
