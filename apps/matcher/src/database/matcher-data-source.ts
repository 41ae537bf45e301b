import { createServiceDataSource } from '@fasit/db';
import type { DataSource } from 'typeorm';
import { MatcherSchema1732431000000 } from './migrations/1732431000000-matcher-schema.js';
import { MatcherApiViews1732800000000 } from './migrations/1732800000000-matcher-api-views.js';

/** Append only; never edit one that has been committed. */
export const matcherMigrations = [MatcherSchema1732431000000, MatcherApiViews1732800000000];

export function matcherDataSource(url: string, poolSize?: number): DataSource {
  return createServiceDataSource({ url, schema: 'matcher', entities: [], migrations: matcherMigrations, ...(poolSize ? { poolSize } : {}) });
}
