import { Controller, Get, Param } from '@nestjs/common';
import { authorizeTenant } from '../auth/access.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { EnvironmentService } from '../environments/environment.service.js';
import { ExplainService, type Explanation } from './explain.service.js';

@Controller()
export class ExplainController {
  constructor(
    private readonly explanations: ExplainService,
    private readonly environments: EnvironmentService,
  ) {}

  /** Why the feature is or is not deployed in the environment, and what happens next. */
  @Get('api/v1/tenants/:tenant/environments/:env/features/:feature/explain')
  async explain(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('env') env: string, @Param('feature') feature: string): Promise<Explanation> {
    authorizeTenant(actor, 'viewer', tenant);
    return this.explanations.explain(await this.environments.get(tenant, env), feature);
  }
}
