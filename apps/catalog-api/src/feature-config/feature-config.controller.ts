import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { visibleTenants } from '../auth/access.js';
import { Allow, policies } from '../auth/policy.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { boolQuery, validateInput } from '../common/validation.js';
import { EnvironmentService } from '../environments/environment.service.js';
import { FeatureConfigService } from './feature-config.service.js';
import { putFeatureConfigSchema, type FeatureConfigView } from './feature-config.schemas.js';

@Controller('api/v1')
export class FeatureConfigController {
  constructor(
    private readonly configs: FeatureConfigService,
    private readonly environments: EnvironmentService,
  ) {}

  @Get('features/:feature/config')
  @Allow(policies.globalViewer)
  listGlobal(@CurrentActor() actor: Actor, @Param('feature') feature: string, @Query('reveal') reveal?: string): Promise<FeatureConfigView[]> {
    return this.configs.list(actor, feature, null, boolQuery('reveal', reveal));
  }

  @Get('features/:feature/config/:key')
  @Allow(policies.globalViewer)
  getGlobal(
    @CurrentActor() actor: Actor,
    @Param('feature') feature: string,
    @Param('key') key: string,
    @Query('reveal') reveal?: string,
  ): Promise<FeatureConfigView> {
    return this.configs.get(actor, feature, null, key, boolQuery('reveal', reveal));
  }

  /** One key compared across every environment the caller sees (and the global value, for global viewers). */
  @Get('features/:feature/config/:key/environments')
  @Allow(policies.anyViewer)
  across(
    @CurrentActor() actor: Actor,
    @Param('feature') feature: string,
    @Param('key') key: string,
    @Query('reveal') reveal?: string,
  ): Promise<FeatureConfigView[]> {
    return this.configs.across(actor, feature, key, visibleTenants(actor), boolQuery('reveal', reveal));
  }

  @Put('features/:feature/config/:key')
  @Allow(policies.globalOperator)
  putGlobal(@CurrentActor() actor: Actor, @Param('feature') feature: string, @Param('key') key: string, @Body() body: unknown): Promise<FeatureConfigView> {
    return this.configs.put(actor, feature, null, key, validateInput(putFeatureConfigSchema, body));
  }

  @Delete('features/:feature/config/:key')
  @HttpCode(204)
  @Allow(policies.globalOperator)
  deleteGlobal(@CurrentActor() actor: Actor, @Param('feature') feature: string, @Param('key') key: string): Promise<void> {
    return this.configs.delete(actor, feature, null, key);
  }

  @Get('tenants/:tenant/environments/:env/features/:feature/config')
  @Allow(policies.tenantViewer)
  async list(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('env') env: string,
    @Param('feature') feature: string,
    @Query('reveal') reveal?: string,
  ): Promise<FeatureConfigView[]> {
    return this.configs.list(actor, feature, await this.environments.get(tenant, env), boolQuery('reveal', reveal));
  }

  @Get('tenants/:tenant/environments/:env/features/:feature/config/:key')
  @Allow(policies.tenantViewer)
  async get(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('env') env: string,
    @Param('feature') feature: string,
    @Param('key') key: string,
    @Query('reveal') reveal?: string,
  ): Promise<FeatureConfigView> {
    return this.configs.get(actor, feature, await this.environments.get(tenant, env), key, boolQuery('reveal', reveal));
  }

  @Put('tenants/:tenant/environments/:env/features/:feature/config/:key')
  @Allow(policies.tenantOperator)
  async put(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('env') env: string,
    @Param('feature') feature: string,
    @Param('key') key: string,
    @Body() body: unknown,
  ): Promise<FeatureConfigView> {
    return this.configs.put(actor, feature, await this.environments.get(tenant, env), key, validateInput(putFeatureConfigSchema, body));
  }

  @Delete('tenants/:tenant/environments/:env/features/:feature/config/:key')
  @HttpCode(204)
  @Allow(policies.tenantOperator)
  async delete(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('env') env: string,
    @Param('feature') feature: string,
    @Param('key') key: string,
  ): Promise<void> {
    await this.configs.delete(actor, feature, await this.environments.get(tenant, env), key);
  }
}
