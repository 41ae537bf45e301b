import { Module } from '@nestjs/common';
import { CatalogMetricsController } from './catalog-metrics.controller.js';

@Module({
  controllers: [CatalogMetricsController],
})
export class MetricsModule {}
