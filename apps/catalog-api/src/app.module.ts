import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { OutboxRelay, type EventBus } from '@fasit/bus';
import type { JsonLogger } from '@fasit/config';
import { ServiceMetrics, outboxMetrics } from '@fasit/metrics';
import { OciClient } from '@fasit/oci';
import { AssignmentController } from './assignments/assignment.controller.js';
import { AssignmentPreviewService } from './assignments/assignment-preview.service.js';
import { AssignmentService } from './assignments/assignment.service.js';
import { AssignmentStatusService } from './assignments/assignment-status.service.js';
import { AuditController } from './audit/audit.controller.js';
import { AuditService } from './audit/audit.service.js';
import { AccessController } from './auth/access.controller.js';
import { AccessService } from './auth/access.service.js';
import { Authorizer } from './auth/authorizer.js';
import { PolicyGuard } from './auth/policy.guard.js';
import { AuthService } from './auth/auth.service.js';
import { CATALOG_RELAY, CatalogTransactions } from './common/catalog-transaction.js';
import { ProblemFilter } from './common/problem.filter.js';
import { CATALOG_CONFIG, ociAllowedHosts, type CatalogConfig } from './config/catalog.config.js';
import { ConfigController } from './configs/config.controller.js';
import { ConfigService } from './configs/config.service.js';
import { EnvironmentFeatureController } from './environment-features/environment-feature.controller.js';
import { EnvironmentFeatureService } from './environment-features/environment-feature.service.js';
import { EnvironmentValueController } from './environment-values/environment-value.controller.js';
import { EnvironmentValueService } from './environment-values/environment-value.service.js';
import { EnvironmentController } from './environments/environment.controller.js';
import { EnvironmentService } from './environments/environment.service.js';
import { ChartIngestService, OCI_CLIENT } from './features/chart-ingest.service.js';
import { FeatureController } from './features/feature.controller.js';
import { FeatureService } from './features/feature.service.js';
import { GithubController } from './github/github.controller.js';
import { HealthController } from './health/health.controller.js';
import { LegacyTenantsController } from './legacy/legacy-tenants.controller.js';
import { CatalogMetricsController } from './metrics/catalog-metrics.controller.js';
import { OpenApiController } from './openapi/openapi.controller.js';
import { ReleaseController } from './releases/release.controller.js';
import { ReleaseService } from './releases/release.service.js';
import type { SecretBox } from '@fasit/domain';
import { SECRET_BOX } from './secrets/secret-box.provider.js';
import { SecretController } from './secrets/secret.controller.js';
import { SecretRotationService } from './secrets/secret-rotation.service.js';
import { TenantController } from './tenants/tenant.controller.js';
import { TenantService } from './tenants/tenant.service.js';
import { ConsoleConfigController } from './web/console-config.controller.js';
import { DryRunController } from './dry-run/dry-run.controller.js';
import { DryRunService } from './dry-run/dry-run.service.js';
import { ExplainController } from './explain/explain.controller.js';
import { DriftReader } from './drift/drift.reader.js';
import { ExplainReader } from './explain/explain.reader.js';
import { ExplainService } from './explain/explain.service.js';
import { LiveController } from './live/live.controller.js';
import { LiveReader } from './live/live.reader.js';
import { LiveService } from './live/live.service.js';
import { CatalogRenderPool } from './templates/catalog-render-pool.js';
import { RenderDataReader } from './templates/render-data.reader.js';
import { TemplateTestController } from './templates/template-test.controller.js';
import { TemplateTestService } from './templates/template-test.service.js';

export interface CatalogModuleDeps {
  config: CatalogConfig;
  dataSource: DataSource;
  bus: EventBus;
  logger: JsonLogger;
  secretBox: SecretBox;
  metrics: ServiceMetrics;
}

/** The catalog API. Its infrastructure (data source, bus, logger, secret box) is built in bootstrap.ts and handed in. */
@Module({})
export class CatalogModule {
  static forRoot(deps: CatalogModuleDeps): DynamicModule {
    const relay = new OutboxRelay(deps.dataSource, deps.bus, { schema: 'catalog', logger: deps.logger.child('outbox') });
    outboxMetrics(deps.metrics, relay);
    return {
      module: CatalogModule,
      controllers: [
        HealthController,
        CatalogMetricsController,
        OpenApiController,
        AccessController,
        TenantController,
        EnvironmentController,
        EnvironmentValueController,
        FeatureController,
        ConfigController,
        EnvironmentFeatureController,
        ReleaseController,
        AssignmentController,
        GithubController,
        LegacyTenantsController,
        AuditController,
        SecretController,
        ConsoleConfigController,
        ExplainController,
        TemplateTestController,
        DryRunController,
        LiveController,
      ],
      providers: [
        { provide: CATALOG_CONFIG, useValue: deps.config },
        { provide: DataSource, useValue: deps.dataSource },
        { provide: CATALOG_RELAY, useValue: relay },
        { provide: ServiceMetrics, useValue: deps.metrics },
        { provide: SECRET_BOX, useValue: deps.secretBox },
        {
          provide: OCI_CLIENT,
          useValue: new OciClient({
            allowedHosts: ociAllowedHosts(deps.config),
            insecureHosts: [
              'localhost',
              '127.0.0.1',
              '[::1]',
              ...deps.config.ociInsecureHosts
                .split(',')
                .map((h) => h.trim())
                .filter(Boolean),
            ],
            ...(deps.config.ociUsername && deps.config.ociPassword
              ? { credentials: () => ({ username: deps.config.ociUsername!, password: deps.config.ociPassword! }) }
              : {}),
          }),
        },
        {
          provide: APP_FILTER,
          useValue: new ProblemFilter((err) => deps.logger.entry('error', 'unhandled error', { error: (err as Error).stack ?? String(err) })),
        },
        { provide: APP_GUARD, useClass: PolicyGuard },
        CatalogTransactions,
        AuthService,
        Authorizer,
        AccessService,
        TenantService,
        EnvironmentService,
        EnvironmentValueService,
        ChartIngestService,
        FeatureService,
        ConfigService,
        EnvironmentFeatureService,
        ReleaseService,
        AssignmentService,
        AssignmentStatusService,
        AssignmentPreviewService,
        AuditService,
        SecretRotationService,
        ExplainReader,
        DriftReader,
        ExplainService,
        CatalogRenderPool,
        RenderDataReader,
        TemplateTestService,
        DryRunService,
        LiveReader,
        LiveService,
      ],
      exports: [CATALOG_RELAY],
    };
  }
}
