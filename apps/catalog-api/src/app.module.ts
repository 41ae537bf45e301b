import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { OutboxRelay, type EventBus } from '@fasit/bus';
import type { JsonLogger } from '@fasit/config';
import type { SecretBox } from '@fasit/domain';
import { outboxMetrics, type ServiceMetrics } from '@fasit/metrics';
import { AssignmentsModule } from './assignments/assignments.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ProblemFilter } from './common/problem.filter.js';
import { CoreModule } from './core/core.module.js';
import { DriftModule } from './drift/drift.module.js';
import { DryRunModule } from './dry-run/dry-run.module.js';
import { EnvironmentFeaturesModule } from './environment-features/environment-features.module.js';
import { EnvironmentValuesModule } from './environment-values/environment-values.module.js';
import { EnvironmentsModule } from './environments/environments.module.js';
import { ExplainModule } from './explain/explain.module.js';
import { FeatureConfigModule } from './feature-config/feature-config.module.js';
import { FeaturesModule } from './features/features.module.js';
import { GithubModule } from './github/github.module.js';
import { GrpcModule } from './grpc/grpc.module.js';
import { HealthModule } from './health/health.module.js';
import { LegacyModule } from './legacy/legacy.module.js';
import { LiveModule } from './live/live.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OpenApiModule } from './openapi/openapi.module.js';
import { ReleasesModule } from './releases/releases.module.js';
import { SecretsModule } from './secrets/secrets.module.js';
import type { CatalogConfig } from './settings/catalog.settings.js';
import { TemplatesModule } from './templates/templates.module.js';
import { TenantsModule } from './tenants/tenants.module.js';
import { WebModule } from './web/web.module.js';

export interface CatalogModuleDeps {
  config: CatalogConfig;
  dataSource: DataSource;
  bus: EventBus;
  logger: JsonLogger;
  secretBox: SecretBox;
  metrics: ServiceMetrics;
}

/** Every capability's module, in no particular order: each imports what it uses (README: the module map). */
export const CAPABILITY_MODULES = [
  HealthModule,
  MetricsModule,
  OpenApiModule,
  AuthModule,
  TenantsModule,
  EnvironmentsModule,
  EnvironmentValuesModule,
  FeaturesModule,
  FeatureConfigModule,
  EnvironmentFeaturesModule,
  ReleasesModule,
  AssignmentsModule,
  GithubModule,
  LegacyModule,
  AuditModule,
  SecretsModule,
  WebModule,
  DriftModule,
  ExplainModule,
  TemplatesModule,
  DryRunModule,
  LiveModule,
  GrpcModule,
];

/** The catalog API. Its infrastructure (data source, bus, logger, secret box) is built in bootstrap.ts and handed in. */
@Module({})
export class CatalogModule {
  static forRoot(deps: CatalogModuleDeps): DynamicModule {
    const relay = new OutboxRelay(deps.dataSource, deps.bus, { schema: 'catalog', logger: deps.logger.child('outbox') });
    outboxMetrics(deps.metrics, relay);
    return {
      module: CatalogModule,
      imports: [
        CoreModule.forRoot({ config: deps.config, dataSource: deps.dataSource, relay, secretBox: deps.secretBox, metrics: deps.metrics }),
        ...CAPABILITY_MODULES,
      ],
      providers: [
        {
          provide: APP_FILTER,
          useValue: new ProblemFilter((err) => deps.logger.entry('error', 'unhandled error', { error: (err as Error).stack ?? String(err) })),
        },
      ],
    };
  }
}
