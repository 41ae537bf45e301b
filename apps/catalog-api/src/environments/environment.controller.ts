import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Allow, policies } from '../auth/policy.js';
import { invalid, parseSelector } from '@fasit/domain';
import { CurrentActor, type Actor } from '../common/actor.js';
import { ifNoneMatch, sendAnswer } from '../common/answer-cache.js';
import { validateInput } from '../common/validation.js';
import { EnvironmentService, toEnvironmentView } from './environment.service.js';
import { createEnvironmentSchema, updateEnvironmentSchema, type EnvironmentView } from './environment.schemas.js';

export function selectorOf(labels: string | undefined): Record<string, string> {
  try {
    return labels ? parseSelector(labels) : {};
  } catch (e) {
    throw invalid((e as Error).message, 'labels');
  }
}

@Controller('api/v1/tenants/:tenant/environments')
export class EnvironmentController {
  constructor(private readonly environments: EnvironmentService) {}

  @Post()
  @HttpCode(201)
  @Allow(policies.tenantAdmin)
  create(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Body() body: unknown): Promise<EnvironmentView> {
    return this.environments.create(actor, tenant, validateInput(createEnvironmentSchema, body));
  }

  /** Sent as kept for the tenant's data version (`common/answer-cache.ts`), with its ETag; `If-None-Match` → 304. */
  @Get()
  @Allow(policies.tenantViewer)
  async list(@Param('tenant') tenant: string, @Req() req: Request, @Res() res: Response, @Query('labels') labels?: string): Promise<void> {
    sendAnswer(res, await this.environments.list(tenant, selectorOf(labels), ifNoneMatch(req)));
  }

  @Get(':env')
  @Allow(policies.tenantViewer)
  async get(@Param('tenant') tenant: string, @Param('env') env: string): Promise<EnvironmentView> {
    return toEnvironmentView(await this.environments.get(tenant, env));
  }

  /** Labels merge by default (`labelsMode: "replace"` replaces them; name, tenant and kind always stay). */
  @Patch(':env')
  @Allow(policies.tenantOperator)
  update(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('env') env: string, @Body() body: unknown): Promise<EnvironmentView> {
    return this.environments.update(actor, tenant, env, validateInput(updateEnvironmentSchema, body));
  }

  /** Refused while the agent reports releases there, unless `?force=true`. */
  @Delete(':env')
  @HttpCode(204)
  @Allow(policies.tenantAdmin)
  delete(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('env') env: string, @Query('force') force?: string): Promise<void> {
    return this.environments.delete(actor, tenant, env, force === 'true');
  }
}
