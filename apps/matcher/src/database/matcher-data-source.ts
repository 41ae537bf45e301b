import { createServiceDataSource } from '@fasit/db';
import type { DataSource } from 'typeorm';
import { MatcherProcessedEvents1733500000000 } from './migrations/1733500000000-processed-events.js';
import { MatcherSchema1732431000000 } from './migrations/1732431000000-matcher-schema.js';
import { MatcherAggregateVersions1734100000000 } from './migrations/1734100000000-aggregate-versions.js';
import { MatcherOutboxTraceContext1734200000000 } from './migrations/1734200000000-outbox-trace-context.js';
import { MatcherApiViews1732800000000 } from './migrations/1732800000000-matcher-api-views.js';

/** Append only; never edit one that has been committed. */
export const matcherMigrations = [
  MatcherSchema1732431000000,
  MatcherApiViews1732800000000,
  MatcherProcessedEvents1733500000000,
  MatcherAggregateVersions1734100000000,
  MatcherOutboxTraceContext1734200000000,
];

export function matcherDataSource(url: string, poolSize?: number): DataSource {
  return createServiceDataSource({ url, schema: 'matcher', entities: [], migrations: matcherMigrations, ...(poolSize ? { poolSize } : {}) });
}
