import { Controller, Get, Param } from '@nestjs/common';
import { Allow, policies } from '../auth/policy.js';
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
  @Allow(policies.tenantViewer)
  async explain(@Param('tenant') tenant: string, @Param('env') env: string, @Param('feature') feature: string): Promise<Explanation> {
    return this.explanations.explain(await this.environments.get(tenant, env), feature);
  }
}
