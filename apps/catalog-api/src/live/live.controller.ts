import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { notFound } from '@fasit/domain';
import { visibleEnvironments, type Access } from '../auth/authorizer.js';
import { CurrentAccess } from '../auth/policy.guard.js';
import { Allow, policies } from '../auth/policy.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { sendEvents } from '../common/sse.js';
import { EnvironmentService } from '../environments/environment.service.js';
import { LiveReader } from './live.reader.js';
import { LiveService } from './live.service.js';

@Controller()
export class LiveController {
  constructor(
    private readonly live: LiveService,
    private readonly reader: LiveReader,
    private readonly environments: EnvironmentService,
  ) {}

  /** Server-sent events: a deploy's helm log as the agent reports it (`line`), its `status`, and `end`. */
  @Get('api/v1/tenants/:tenant/environments/:env/features/:feature/deploys/:diid/log')
  @Allow(policies.tenantViewer)
  async deployLog(
    @Param('tenant') tenant: string,
    @Param('env') env: string,
    @Param('feature') feature: string,
    @Param('diid') diid: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const e = await this.environments.get(tenant, env);
    if (!(await this.reader.deployStatus(e.id, feature, diid))) throw notFound(`no deploy ${diid} of ${feature} in ${tenant}/${env}`);
    await sendEvents(req, res, (signal) => this.live.deployLog(e.id, feature, diid, signal));
  }

  /** Server-sent events: the assignment's status (as GET …/status answers it) now and on every change. */
  @Get('api/v1/assignments/:id/status/stream')
  @Allow(policies.assignmentViewer)
  async assignmentStatus(@CurrentActor() actor: Actor, @CurrentAccess() access: Access, @Req() req: Request, @Res() res: Response): Promise<void> {
    await sendEvents(req, res, (signal) => this.live.assignmentStatus(access.assignment!, visibleEnvironments(actor, access), signal));
  }
}
