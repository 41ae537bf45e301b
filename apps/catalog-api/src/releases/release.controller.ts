import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Allow, policies } from '../auth/policy.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { EnvironmentService } from '../environments/environment.service.js';
import { ReleaseService } from './release.service.js';
import type { ReleaseInventory } from './release.schemas.js';

@Controller('api/v1/tenants/:tenant/environments/:env/releases')
export class ReleaseController {
  constructor(
    private readonly releases: ReleaseService,
    private readonly environments: EnvironmentService,
  ) {}

  @Get()
  @Allow(policies.tenantViewer)
  async list(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('env') env: string): Promise<ReleaseInventory> {
    return this.releases.inventory(await this.environments.get(tenant, env));
  }

  @Post(':name/uninstall')
  @HttpCode(202)
  @Allow(policies.tenantOperator)
  async uninstall(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('env') env: string,
    @Param('name') name: string,
  ): Promise<{ diid: string; release: string }> {
    return this.releases.uninstall(actor, await this.environments.get(tenant, env), name);
  }
}
