import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { Allow, policies } from '../auth/policy.js';
import { visibleTenants } from '../auth/access.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { validateInput } from '../common/validation.js';
import { TenantService, toTenantView } from './tenant.service.js';
import { createTenantSchema, updateTenantSchema, type TenantView } from './tenant.schemas.js';

@Controller('api/v1/tenants')
export class TenantController {
  constructor(private readonly tenants: TenantService) {}

  @Post()
  @HttpCode(201)
  @Allow(policies.globalAdmin)
  create(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<TenantView> {
    return this.tenants.create(actor, validateInput(createTenantSchema, body));
  }

  @Get()
  @Allow(policies.scopedList)
  list(@CurrentActor() actor: Actor): Promise<TenantView[]> {
    return this.tenants.list(visibleTenants(actor));
  }

  @Get(':tenant')
  @Allow(policies.tenantViewer)
  async get(@Param('tenant') name: string): Promise<TenantView> {
    return toTenantView(await this.tenants.get(name));
  }

  @Patch(':tenant')
  @Allow(policies.tenantAdmin)
  update(@CurrentActor() actor: Actor, @Param('tenant') name: string, @Body() body: unknown): Promise<TenantView> {
    return this.tenants.update(actor, name, validateInput(updateTenantSchema, body));
  }

  @Delete(':tenant')
  @HttpCode(204)
  @Allow(policies.globalAdmin)
  delete(@CurrentActor() actor: Actor, @Param('tenant') name: string): Promise<void> {
    return this.tenants.delete(actor, name);
  }
}
