import { Module } from '@nestjs/common';
import { DriftModule } from '../drift/drift.module.js';
import { EnvironmentFeaturesModule } from '../environment-features/environment-features.module.js';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { ExplainController } from './explain.controller.js';
import { ExplainReader } from './explain.reader.js';
import { ExplainService } from './explain.service.js';

@Module({
  imports: [DriftModule, EnvironmentFeaturesModule, EnvironmentsModule],
  controllers: [ExplainController],
  providers: [ExplainReader, ExplainService],
  exports: [ExplainReader],
})
export class ExplainModule {}
