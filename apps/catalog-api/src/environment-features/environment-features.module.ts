import { Module } from '@nestjs/common';
import { DriftModule } from '../drift/drift.module.js';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { ReleasesModule } from '../releases/releases.module.js';
import { DisabledFeatureRepository } from './disabled-feature.repository.js';
import { EnvironmentFeatureController } from './environment-feature.controller.js';
import { EnvironmentFeatureReader } from './environment-feature.reader.js';
import { EnvironmentFeatureService } from './environment-feature.service.js';

/** One feature in one environment: its state, values and history; disable, enable, redeploy, uninstall. */
@Module({
  imports: [DriftModule, EnvironmentsModule, ReleasesModule],
  controllers: [EnvironmentFeatureController],
  providers: [DisabledFeatureRepository, EnvironmentFeatureReader, EnvironmentFeatureService],
  exports: [DisabledFeatureRepository],
})
export class EnvironmentFeaturesModule {}
