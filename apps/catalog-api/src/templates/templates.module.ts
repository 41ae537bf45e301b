import { Module } from '@nestjs/common';
import { EnvironmentValuesModule } from '../environment-values/environment-values.module.js';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { FeatureConfigModule } from '../feature-config/feature-config.module.js';
import { CatalogRenderPool } from './catalog-render-pool.js';
import { RenderDataRepository } from './render-data.repository.js';
import { RenderDataService } from './render-data.service.js';
import { TemplateTestController } from './template-test.controller.js';
import { TemplateTestService } from './template-test.service.js';

@Module({
  imports: [EnvironmentsModule, EnvironmentValuesModule, FeatureConfigModule],
  controllers: [TemplateTestController],
  providers: [CatalogRenderPool, RenderDataRepository, RenderDataService, TemplateTestService],
  exports: [CatalogRenderPool, RenderDataService],
})
export class TemplatesModule {}
