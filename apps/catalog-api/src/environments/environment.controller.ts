import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { invalid, parseSelector } from '@fasit/domain';
import { CurrentActor, type Actor } from '../common/actor.js';
import { validateInput } from '../common/validation.js';
import { EnvironmentService, toEnvironmentView, type EnvironmentView } from './environment.service.js';

export const labelsSchema = { type: 'object', maxProperties: 64, additionalProperties: { type: 'string', maxLength: 63 } };

const createEnvironmentSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'kind'],
  properties: {
    name: { type: 'string', maxLength: 63 },
    kind: { enum: ['management', 'tenant', 'onprem'] },
    labels: labelsSchema,
    description: { type: 'string', maxLength: 1000 },
    reconcile: { type: 'boolean' },
  },
};

@Controller('api/v1/tenants/:tenant/environments')
export class EnvironmentController {
  constructor(private readonly environments: EnvironmentService) {}

  @Post()
  @HttpCode(201)
  create(@CurrentActor() actor: Actor, @Param('tenant') tenant: string, @Body() body: unknown): Promise<EnvironmentView> {
    return this.environments.create(actor, tenant, validateInput(createEnvironmentSchema, body));
  }

  @Get()
  list(@Param('tenant') tenant: string, @Query('labels') labels?: string): Promise<EnvironmentView[]> {
    let selector = {};
    try {
      selector = labels ? parseSelector(labels) : {};
    } catch (e) {
      throw invalid((e as Error).message, 'labels');
    }
    return this.environments.list(tenant, selector);
  }

  @Get(':env')
  async get(@Param('tenant') tenant: string, @Param('env') env: string): Promise<EnvironmentView> {
    return toEnvironmentView(await this.environments.get(tenant, env));
  }
}
