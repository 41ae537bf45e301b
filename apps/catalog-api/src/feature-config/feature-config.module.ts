import { Module } from '@nestjs/common';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { FeatureConfigController } from './feature-config.controller.js';
import { FeatureConfigRepository } from './feature-config.repository.js';
import { FeatureConfigService } from './feature-config.service.js';

@Module({
  imports: [EnvironmentsModule],
  controllers: [FeatureConfigController],
  providers: [FeatureConfigService, FeatureConfigRepository],
  exports: [FeatureConfigService],
})
export class FeatureConfigModule {}
