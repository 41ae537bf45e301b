import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { invalid } from '@fasit/domain';
import { visibleTenants } from '../auth/access.js';
import { Allow, policies } from '../auth/policy.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { boolQuery, validateInput } from '../common/validation.js';
import { EnvironmentService } from '../environments/environment.service.js';
import { EnvironmentValueService } from './environment-value.service.js';
import { putValueSchema, type EnvironmentValueView } from './environment-value.schemas.js';

@Controller('api/v1')
export class EnvironmentValueController {
  constructor(
    private readonly values: EnvironmentValueService,
    private readonly environments: EnvironmentService,
  ) {}

  @Put('tenants/:tenant/environments/:env/values/:key')
  @Allow(policies.tenantOperator)
  async put(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('env') env: string,
    @Param('key') key: string,
    @Body() body: unknown,
  ): Promise<EnvironmentValueView> {
    return this.values.put(actor, await this.environments.get(tenant, env), key, validateInput(putValueSchema, body));
  }

  @Get('tenants/:tenant/environments/:env/values')
  @Allow(policies.tenantViewer)
  async list(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('env') env: string,
    @Query('reveal') reveal?: string,
  ): Promise<EnvironmentValueView[]> {
    return this.values.list(actor, await this.environments.get(tenant, env), boolQuery('reveal', reveal));
  }

  @Get('tenants/:tenant/environments/:env/values/:key')
  @Allow(policies.tenantViewer)
  async get(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('env') env: string,
    @Param('key') key: string,
    @Query('reveal') reveal?: string,
  ): Promise<EnvironmentValueView> {
    return this.values.get(actor, await this.environments.get(tenant, env), key, boolQuery('reveal', reveal));
  }

  @Delete('tenants/:tenant/environments/:env/values/:key')
  @HttpCode(204)
  @Allow(policies.tenantOperator)
  async delete(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('env') env: string, @Param('key') key: string): Promise<void> {
    await this.values.delete(actor, await this.environments.get(tenant, env), key);
  }

  /** One key across every environment the caller sees: `/values?key=project_id`. */
  @Get('values')
  @Allow(policies.anyViewer)
  across(@CurrentActor() actor: Actor, @Query('key') key?: string, @Query('reveal') reveal?: string): Promise<EnvironmentValueView[]> {
    if (!key) throw invalid('key: is required (?key=<value key>)', 'key');
    return this.values.across(actor, key, visibleTenants(actor), boolQuery('reveal', reveal));
  }
}
