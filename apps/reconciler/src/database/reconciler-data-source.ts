import { createServiceDataSource } from '@fasit/db';
import type { DataSource } from 'typeorm';
import { ReconcilerProcessedEvents1733500000000 } from './migrations/1733500000000-processed-events.js';
import { ReconcilerAggregateVersions1734100000000 } from './migrations/1734100000000-aggregate-versions.js';
import { ReconcilerOutboxTraceContext1734200000000 } from './migrations/1734200000000-outbox-trace-context.js';
import { ReconcilerSchema1732432000000 } from './migrations/1732432000000-reconciler-schema.js';
import { ReconcilerValuesHash1734000000000 } from './migrations/1734000000000-values-hash.js';
import { ReconcilerDrift1734300000000 } from './migrations/1734300000000-drift.js';
import { ReconcilerApiDecisions1734400000000 } from './migrations/1734400000000-reconciler-api-decisions.js';
import { ReconcilerSweepInputs1734800000000 } from './migrations/1734800000000-sweep-inputs.js';

export const reconcilerMigrations = [
  ReconcilerSchema1732432000000,
  ReconcilerProcessedEvents1733500000000,
  ReconcilerValuesHash1734000000000,
  ReconcilerAggregateVersions1734100000000,
  ReconcilerOutboxTraceContext1734200000000,
  ReconcilerDrift1734300000000,
  ReconcilerApiDecisions1734400000000,
  ReconcilerSweepInputs1734800000000,
];

export function reconcilerDataSource(url: string, poolSize?: number): DataSource {
  return createServiceDataSource({ url, schema: 'reconciler', entities: [], migrations: reconcilerMigrations, ...(poolSize ? { poolSize } : {}) });
}
