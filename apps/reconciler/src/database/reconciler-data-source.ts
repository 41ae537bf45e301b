import { createServiceDataSource } from '@fasit/db';
import type { DataSource } from 'typeorm';
import { ReconcilerProcessedEvents1733500000000 } from './migrations/1733500000000-processed-events.js';
import { ReconcilerAggregateVersions1733900000000 } from './migrations/1733900000000-aggregate-versions.js';
import { ReconcilerSchema1732432000000 } from './migrations/1732432000000-reconciler-schema.js';

export const reconcilerMigrations = [ReconcilerSchema1732432000000, ReconcilerProcessedEvents1733500000000, ReconcilerAggregateVersions1733900000000];

export function reconcilerDataSource(url: string, poolSize?: number): DataSource {
  return createServiceDataSource({ url, schema: 'reconciler', entities: [], migrations: reconcilerMigrations, ...(poolSize ? { poolSize } : {}) });
}
