import { Module, forwardRef } from '@nestjs/common';
import { ReleasesModule } from '../releases/releases.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { EnvironmentController } from './environment.controller.js';
import { EnvironmentRepository } from './environment.repository.js';
import { EnvironmentService } from './environment.service.js';

// The one cycle between modules: an environment with releases may not be deleted (ReleaseReader), and the releases
// route finds its environment here.
@Module({
  imports: [TenantsModule, forwardRef(() => ReleasesModule)],
  controllers: [EnvironmentController],
  providers: [EnvironmentService, EnvironmentRepository],
  exports: [EnvironmentService, EnvironmentRepository],
})
export class EnvironmentsModule {}
