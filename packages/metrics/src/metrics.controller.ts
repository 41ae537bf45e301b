import { Controller, Get, Header } from '@nestjs/common';
import { ServiceMetrics } from './service-metrics.js';

/**
 * `/metrics` in the Prometheus text format, on the port of /healthz; public like it (docs/operations.md says why).
 * The app provides its `ServiceMetrics`.
 */
@Controller()
export class MetricsController {
  constructor(private readonly metrics: ServiceMetrics) {}

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async metricsText(): Promise<string> {
    return this.metrics.text();
  }
}
