import { Module } from '@nestjs/common';
import { LegacyTenantRepository } from './legacy-tenant.repository.js';
import { LegacyTenantsController } from './legacy-tenants.controller.js';

/** The original's `GET /api/tenants`, now authenticated. */
@Module({
  controllers: [LegacyTenantsController],
  providers: [LegacyTenantRepository],
})
export class LegacyModule {}
