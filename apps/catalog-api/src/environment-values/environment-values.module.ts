import { Module } from '@nestjs/common';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { EnvironmentValueController } from './environment-value.controller.js';
import { EnvironmentValueRepository } from './environment-value.repository.js';
import { EnvironmentValueService } from './environment-value.service.js';

@Module({
  imports: [EnvironmentsModule],
  controllers: [EnvironmentValueController],
  providers: [EnvironmentValueService, EnvironmentValueRepository],
  exports: [EnvironmentValueService],
})
export class EnvironmentValuesModule {}
