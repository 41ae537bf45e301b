import { createServiceDataSource } from '@fasit/db';
import type { DataSource } from 'typeorm';
import { DispatcherDeliveryDedup1733500000000 } from './migrations/1733500000000-delivery-dedup.js';
import { DispatcherSchema1732433000000 } from './migrations/1732433000000-dispatcher-schema.js';
import { RefusedInstructions1733100000000 } from './migrations/1733100000000-refused-instructions.js';
import { DispatcherApiViews1733600000000 } from './migrations/1733600000000-dispatcher-api-views.js';
import { RealInventory1733700000000 } from './migrations/1733700000000-real-inventory.js';
import { DispatcherApiInventory1733800000000 } from './migrations/1733800000000-dispatcher-api-inventory.js';
import { DispatcherAggregateVersions1734100000000 } from './migrations/1734100000000-aggregate-versions.js';
import { DispatcherOutboxTraceContext1734200000000 } from './migrations/1734200000000-outbox-trace-context.js';
import { DispatcherReceivedRequests1734400000000 } from './migrations/1734400000000-received-requests.js';
import { DeployNames1734600000000 } from './migrations/1734600000000-deploy-names.js';
import { AgentCapabilities1734850000000 } from './migrations/1734850000000-agent-capabilities.js';
import { DispatcherLatestDeployStatuses1734900000000 } from './migrations/1734900000000-latest-deploy-statuses.js';

export const dispatcherMigrations = [
  DispatcherSchema1732433000000,
  RefusedInstructions1733100000000,
  DispatcherDeliveryDedup1733500000000,
  DispatcherApiViews1733600000000,
  RealInventory1733700000000,
  DispatcherApiInventory1733800000000,
  DispatcherAggregateVersions1734100000000,
  DispatcherOutboxTraceContext1734200000000,
  DispatcherReceivedRequests1734400000000,
  DeployNames1734600000000,
  AgentCapabilities1734850000000,
  DispatcherLatestDeployStatuses1734900000000,
];

export function dispatcherDataSource(url: string, poolSize?: number): DataSource {
  return createServiceDataSource({ url, schema: 'dispatcher', entities: [], migrations: dispatcherMigrations, ...(poolSize ? { poolSize } : {}) });
}
