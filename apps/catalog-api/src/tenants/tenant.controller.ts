import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentActor, type Actor } from '../common/actor.js';
import { validateInput } from '../common/validation.js';
import { TenantService, toTenantView, type TenantView } from './tenant.service.js';

const createTenantSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string', maxLength: 63 }, description: { type: 'string', maxLength: 1000 } },
};

@Controller('api/v1/tenants')
export class TenantController {
  constructor(private readonly tenants: TenantService) {}

  @Post()
  @HttpCode(201)
  create(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<TenantView> {
    return this.tenants.create(actor, validateInput(createTenantSchema, body));
  }

  @Get()
  list(): Promise<TenantView[]> {
    return this.tenants.list();
  }

  @Get(':tenant')
  async get(@Param('tenant') name: string): Promise<TenantView> {
    return toTenantView(await this.tenants.get(name));
  }
}
