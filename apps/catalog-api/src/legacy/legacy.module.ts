import { Module } from '@nestjs/common';
import { LegacyTenantsController } from './legacy-tenants.controller.js';

/** The original's `GET /api/tenants`, now authenticated. */
@Module({
  controllers: [LegacyTenantsController],
})
export class LegacyModule {}
