import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { authorizeTenant } from '../auth/access.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { EnvironmentService } from '../environments/environment.service.js';
import { ReleaseService, type ReleaseInventory } from './release.service.js';

@Controller('api/v1/tenants/:tenant/environments/:env/releases')
export class ReleaseController {
  constructor(
    private readonly releases: ReleaseService,
    private readonly environments: EnvironmentService,
  ) {}

  @Get()
  async list(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('env') env: string): Promise<ReleaseInventory> {
    authorizeTenant(actor, 'viewer', tenant);
    return this.releases.inventory(await this.environments.get(tenant, env));
  }

  @Post(':name/uninstall')
  @HttpCode(202)
  async uninstall(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('env') env: string, @Param('name') name: string): Promise<{ diid: string; release: string }> {
    authorizeTenant(actor, 'operator', tenant);
    return this.releases.uninstall(actor, await this.environments.get(tenant, env), name);
  }
}
