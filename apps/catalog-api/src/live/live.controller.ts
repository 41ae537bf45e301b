import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { notFound } from '@fasit/domain';
import { authorizeAny, authorizeTenant } from '../auth/access.js';
import { AssignmentService } from '../assignments/assignment.service.js';
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
    private readonly assignments: AssignmentService,
  ) {}

  /** Server-sent events: a deploy's helm log as the agent reports it (`line`), its `status`, and `end`. */
  @Get('api/v1/tenants/:tenant/environments/:env/features/:feature/deploys/:diid/log')
  async deployLog(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('env') env: string,
    @Param('feature') feature: string,
    @Param('diid') diid: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    authorizeTenant(actor, 'viewer', tenant);
    const e = await this.environments.get(tenant, env);
    if (!(await this.reader.deployStatus(e.id, feature, diid))) throw notFound(`no deploy ${diid} of ${feature} in ${tenant}/${env}`);
    await sendEvents(req, res, (signal) => this.live.deployLog(e.id, feature, diid, signal));
  }

  /** Server-sent events: the assignment's status (as GET …/status answers it) now and on every change. */
  @Get('api/v1/assignments/:id/status/stream')
  async assignmentStatus(@CurrentActor() actor: Actor, @Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    authorizeAny(actor);
    const a = await this.assignments.get(id);
    await sendEvents(req, res, (signal) => this.live.assignmentStatus(a, actor, signal));
  }
}
