import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { OutboxRelay, type EventBus } from '@fasit/bus';
import type { JsonLogger } from '@fasit/config';
import { OciClient } from '@fasit/oci';
import { AssignmentController } from './assignments/assignment.controller.js';
import { AssignmentService } from './assignments/assignment.service.js';
import { AssignmentStatusService } from './assignments/assignment-status.service.js';
import { CATALOG_RELAY, CatalogTransactions } from './common/catalog-transaction.js';
import { ProblemFilter } from './common/problem.filter.js';
import { CATALOG_CONFIG, type CatalogConfig } from './config/catalog.config.js';
import { EnvironmentController } from './environments/environment.controller.js';
import { EnvironmentService } from './environments/environment.service.js';
import { ChartIngestService, OCI_CLIENT } from './features/chart-ingest.service.js';
import { FeatureController } from './features/feature.controller.js';
import { HealthController } from './health/health.controller.js';
import { TenantController } from './tenants/tenant.controller.js';
import { TenantService } from './tenants/tenant.service.js';

export interface CatalogModuleDeps {
  config: CatalogConfig;
  dataSource: DataSource;
  bus: EventBus;
  logger: JsonLogger;
}

/** The catalog API. Its infrastructure (data source, bus, logger) is built in main.ts and handed in. */
@Module({})
export class CatalogModule {
  static forRoot(deps: CatalogModuleDeps): DynamicModule {
    const relay = new OutboxRelay(deps.dataSource, deps.bus, { schema: 'catalog', logger: deps.logger.child('outbox') });
    return {
      module: CatalogModule,
      controllers: [HealthController, TenantController, EnvironmentController, FeatureController, AssignmentController],
      providers: [
        { provide: CATALOG_CONFIG, useValue: deps.config },
        { provide: DataSource, useValue: deps.dataSource },
        { provide: CATALOG_RELAY, useValue: relay },
        {
          provide: OCI_CLIENT,
          useValue: new OciClient({
            insecureHosts: ['localhost', '127.0.0.1', '::1', ...deps.config.ociInsecureHosts.split(',').map((h) => h.trim()).filter(Boolean)],
            ...(deps.config.ociUsername && deps.config.ociPassword ? { credentials: () => ({ username: deps.config.ociUsername!, password: deps.config.ociPassword! }) } : {}),
          }),
        },
        { provide: APP_FILTER, useValue: new ProblemFilter((err) => deps.logger.entry('error', 'unhandled error', { error: (err as Error).stack ?? String(err) })) },
        CatalogTransactions,
        TenantService,
        EnvironmentService,
        ChartIngestService,
        AssignmentService,
        AssignmentStatusService,
      ],
      exports: [CATALOG_RELAY],
    };
  }
}
