import { Module } from '@nestjs/common';
import { EnvironmentFeaturesModule } from '../environment-features/environment-features.module.js';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { ExplainModule } from '../explain/explain.module.js';
import { ReleasesModule } from '../releases/releases.module.js';
import { TemplatesModule } from '../templates/templates.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { DryRunController } from './dry-run.controller.js';
import { DryRunReader } from './dry-run.reader.js';
import { DryRunService } from './dry-run.service.js';

@Module({
  imports: [EnvironmentFeaturesModule, EnvironmentsModule, ExplainModule, ReleasesModule, TemplatesModule, TenantsModule],
  controllers: [DryRunController],
  providers: [DryRunReader, DryRunService],
})
export class DryRunModule {}
