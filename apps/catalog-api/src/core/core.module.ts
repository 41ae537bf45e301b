// The catalog's infrastructure, built in bootstrap.ts and handed in: the settings, the data source, the outbox
// relay and the transactions over it, the metrics registry, the SecretBox and the cache of serialized answers (one
// byte budget for every capability that keeps its answers there). Every capability needs some of these
// and none of them is a capability, so this one module is global (like Nest's own TypeOrmModule); everything else
// is imported explicitly by the module that uses it. With them, the repositories of the two tables nearly every
// capability reads, assignments and feature versions: owned by AssignmentsModule or FeaturesModule they would
// tie most modules into cycles (assignments preview with templates, releases count assignments, ...).
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { OutboxRelay } from '@fasit/bus';
import type { SecretBox } from '@fasit/domain';
import { ServiceMetrics } from '@fasit/metrics';
import { AssignmentRepository } from '../assignments/assignment.repository.js';
import { AnswerCache } from '../common/answer-cache.js';
import { CATALOG_RELAY, CatalogTransactions } from '../common/catalog-transaction.js';
import { FeatureVersionRepository } from '../features/feature-version.repository.js';
import { SECRET_BOX } from '../secrets/secret-box.provider.js';
import { CATALOG_CONFIG, type CatalogConfig } from '../settings/catalog.settings.js';

export interface CoreDeps {
  config: CatalogConfig;
  dataSource: DataSource;
  relay: OutboxRelay;
  secretBox: SecretBox;
  metrics: ServiceMetrics;
}

@Global()
@Module({})
export class CoreModule {
  static forRoot(deps: CoreDeps): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: CATALOG_CONFIG, useValue: deps.config },
        { provide: DataSource, useValue: deps.dataSource },
        { provide: CATALOG_RELAY, useValue: deps.relay },
        { provide: ServiceMetrics, useValue: deps.metrics },
        { provide: SECRET_BOX, useValue: deps.secretBox },
        CatalogTransactions,
        AnswerCache,
        AssignmentRepository,
        FeatureVersionRepository,
      ],
      exports: [
        CATALOG_CONFIG,
        DataSource,
        CATALOG_RELAY,
        ServiceMetrics,
        SECRET_BOX,
        CatalogTransactions,
        AnswerCache,
        AssignmentRepository,
        FeatureVersionRepository,
      ],
    };
  }
}
