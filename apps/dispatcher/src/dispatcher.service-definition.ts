import type { ServiceDefinition } from '@fasit/service';
import { DISPATCHER_CONFIG, type DispatcherConfig } from './config/dispatcher.config.js';
import { dispatcherDataSource } from './database/dispatcher-data-source.js';
import { DeployHandler } from './deploys/deploy.handler.js';
import { DeployService } from './deploys/deploy.service.js';
import { CatalogReader } from './reports/catalog.reader.js';
import { ReportService } from './reports/report.service.js';

export function dispatcherService(config: DispatcherConfig): ServiceDefinition<'dispatcher'> {
  return {
    name: 'dispatcher',
    schema: 'dispatcher',
    dataSource: dispatcherDataSource,
    handlers: DeployHandler,
    providers: () => [{ provide: DISPATCHER_CONFIG, useValue: config }, DeployService, ReportService, CatalogReader],
    jobs: (app) => [{ name: 'deploy-timeouts', intervalMs: config.timeoutSweepIntervalMs, run: () => app.get(DeployService).timeOutLostDeploys() }],
  };
}
