import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { authorizeGlobal, authorizeTenant, visibleTenants } from '../auth/access.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { validateInput } from '../common/validation.js';
import { TenantService, toTenantView, type TenantView } from './tenant.service.js';

export const createTenantSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string', maxLength: 63 }, description: { type: 'string', maxLength: 1000 } },
};

export const updateTenantSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['description'],
  properties: { description: { type: 'string', maxLength: 1000 } },
};

@Controller('api/v1/tenants')
export class TenantController {
  constructor(private readonly tenants: TenantService) {}

  @Post()
  @HttpCode(201)
  create(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<TenantView> {
    authorizeGlobal(actor, 'admin');
    return this.tenants.create(actor, validateInput(createTenantSchema, body));
  }

  @Get()
  list(@CurrentActor() actor: Actor): Promise<TenantView[]> {
    return this.tenants.list(visibleTenants(actor));
  }

  @Get(':tenant')
  async get(@CurrentActor() actor: Actor, @Param('tenant') name: string): Promise<TenantView> {
    authorizeTenant(actor, 'viewer', name);
    return toTenantView(await this.tenants.get(name));
  }

  @Patch(':tenant')
  update(@CurrentActor() actor: Actor, @Param('tenant') name: string, @Body() body: unknown): Promise<TenantView> {
    authorizeTenant(actor, 'admin', name);
    return this.tenants.update(actor, name, validateInput(updateTenantSchema, body));
  }

  @Delete(':tenant')
  @HttpCode(204)
  delete(@CurrentActor() actor: Actor, @Param('tenant') name: string): Promise<void> {
    authorizeGlobal(actor, 'admin');
    return this.tenants.delete(actor, name);
  }
}
