import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { authorizeGlobal, authorizeTenant } from '../auth/access.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { boolQuery, validateInput } from '../common/validation.js';
import { EnvironmentService } from '../environments/environment.service.js';
import { ConfigService, type ConfigView } from './config.service.js';

export const putConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['value'],
  properties: { value: {}, description: { type: 'string', maxLength: 1000 } },
};

type Input = { value: unknown; description?: string };

@Controller('api/v1')
export class ConfigController {
  constructor(
    private readonly configs: ConfigService,
    private readonly environments: EnvironmentService,
  ) {}

  @Get('features/:feature/config')
  listGlobal(@CurrentActor() actor: Actor, @Param('feature') feature: string, @Query('reveal') reveal?: string): Promise<ConfigView[]> {
    authorizeGlobal(actor, 'viewer');
    return this.configs.list(actor, feature, null, boolQuery('reveal', reveal));
  }

  @Get('features/:feature/config/:key')
  getGlobal(@CurrentActor() actor: Actor, @Param('feature') feature: string, @Param('key') key: string, @Query('reveal') reveal?: string): Promise<ConfigView> {
    authorizeGlobal(actor, 'viewer');
    return this.configs.get(actor, feature, null, key, boolQuery('reveal', reveal));
  }

  @Put('features/:feature/config/:key')
  putGlobal(@CurrentActor() actor: Actor, @Param('feature') feature: string, @Param('key') key: string, @Body() body: unknown): Promise<ConfigView> {
    authorizeGlobal(actor, 'operator');
    return this.configs.put(actor, feature, null, key, validateInput<Input>(putConfigSchema, body));
  }

  @Delete('features/:feature/config/:key')
  @HttpCode(204)
  deleteGlobal(@CurrentActor() actor: Actor, @Param('feature') feature: string, @Param('key') key: string): Promise<void> {
    authorizeGlobal(actor, 'operator');
    return this.configs.delete(actor, feature, null, key);
  }

  @Get('tenants/:tenant/environments/:env/features/:feature/config')
  async list(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('env') env: string, @Param('feature') feature: string, @Query('reveal') reveal?: string): Promise<ConfigView[]> {
    authorizeTenant(actor, 'viewer', tenant);
    return this.configs.list(actor, feature, await this.environments.get(tenant, env), boolQuery('reveal', reveal));
  }

  @Get('tenants/:tenant/environments/:env/features/:feature/config/:key')
  async get(
    @CurrentActor() actor: Actor,
    @Param('tenant') tenant: string,
    @Param('env') env: string,
    @Param('feature') feature: string,
    @Param('key') key: string,
    @Query('reveal') reveal?: string,
  ): Promise<ConfigView> {
    authorizeTenant(actor, 'viewer', tenant);
    return this.configs.get(actor, feature, await this.environments.get(tenant, env), key, boolQuery('reveal', reveal));
  }

  @Put('tenants/:tenant/environments/:env/features/:feature/config/:key')
  async put(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('env') env: string, @Param('feature') feature: string, @Param('key') key: string, @Body() body: unknown): Promise<ConfigView> {
    authorizeTenant(actor, 'operator', tenant);
    return this.configs.put(actor, feature, await this.environments.get(tenant, env), key, validateInput<Input>(putConfigSchema, body));
  }

  @Delete('tenants/:tenant/environments/:env/features/:feature/config/:key')
  @HttpCode(204)
  async delete(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Param('env') env: string, @Param('feature') feature: string, @Param('key') key: string): Promise<void> {
    authorizeTenant(actor, 'operator', tenant);
    await this.configs.delete(actor, feature, await this.environments.get(tenant, env), key);
  }
}
