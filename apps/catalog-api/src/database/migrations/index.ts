import { CatalogSchema1732430000000 } from './1732430000000-catalog-schema.js';
import { CatalogAccess1732500000000 } from './1732500000000-catalog-access.js';
import { EnvironmentOidc1732600000000 } from './1732600000000-environment-oidc.js';
import { TenantDataVersion1732700000000 } from './1732700000000-tenant-data-version.js';
import { CatalogApiViews1732800000000 } from './1732800000000-catalog-api-views.js';
import { CatalogApiSnapshotViews1733600000000 } from './1733600000000-catalog-api-snapshot-views.js';
import { CatalogAggregateVersions1734100000000 } from './1734100000000-aggregate-versions.js';
import { CatalogOutboxTraceContext1734200000000 } from './1734200000000-outbox-trace-context.js';

/** Every catalog migration, in order. Append only; never edit one that has been committed. */
export const catalogMigrations = [
  CatalogSchema1732430000000,
  CatalogAccess1732500000000,
  EnvironmentOidc1732600000000,
  TenantDataVersion1732700000000,
  CatalogApiViews1732800000000,
  CatalogApiSnapshotViews1733600000000,
  CatalogAggregateVersions1734100000000,
  CatalogOutboxTraceContext1734200000000,
];
