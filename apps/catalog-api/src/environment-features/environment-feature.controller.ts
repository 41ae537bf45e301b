import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Allow, policies } from '../auth/policy.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { boolQuery, validateInput } from '../common/validation.js';
import { EnvironmentService } from '../environments/environment.service.js';
import { EnvironmentFeatureService } from './environment-feature.service.js';
import { disableSchema } from './environment-feature.schemas.js';
import type { EnvironmentFeatureSummary, EnvironmentFeatureView } from './environment-feature.schemas.js';

const ROUTE = 'api/v1/tenants/:tenant/environments/:env/features/:feature';

@Controller()
export class EnvironmentFeatureController {
  constructor(
    private readonly features: EnvironmentFeatureService,
    private readonly environments: EnvironmentService,
  ) {}

  /** Every feature an assignment brings here (or disabled here), with its state. */
  @Get('api/v1/tenants/:tenant/environments/:env/features')
  @Allow(policies.tenantViewer)
  async list(@Param('tenant') tenant: string, @Param('env') env: string): Promise<EnvironmentFeatureSummary[]> {
    return this.features.list(await this.environments.get(tenant, env));
  }

  @Get(ROUTE)
  @Allow(policies.tenantViewer)
  async get(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('env') env: string,
    @Param('feature') feature: string,
    @Query('reveal') reveal?: string,
  ): Promise<EnvironmentFeatureView> {
    return this.features.get(actor, await this.environments.get(tenant, env), feature, boolQuery('reveal', reveal));
  }

  @Post(`${ROUTE}/disable`)
  @HttpCode(200)
  @Allow(policies.tenantOperator)
  async disable(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('env') env: string,
    @Param('feature') feature: string,
    @Body() body: unknown,
  ): Promise<EnvironmentFeatureView> {
    const { reason } = validateInput(disableSchema, body);
    return this.features.disable(actor, await this.environments.get(tenant, env), feature, reason);
  }

  @Post(`${ROUTE}/enable`)
  @HttpCode(200)
  @Allow(policies.tenantOperator)
  async enable(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('env') env: string,
    @Param('feature') feature: string,
  ): Promise<EnvironmentFeatureView> {
    return this.features.enable(actor, await this.environments.get(tenant, env), feature);
  }

  @Post(`${ROUTE}/redeploy`)
  @HttpCode(202)
  @Allow(policies.tenantOperator)
  async redeploy(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('env') env: string,
    @Param('feature') feature: string,
  ): Promise<{ requested: true; environmentId: string; feature: string }> {
    return this.features.redeploy(actor, await this.environments.get(tenant, env), feature);
  }
}
