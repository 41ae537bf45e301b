import { createServiceDataSource } from '@fasit/db';
import type { DataSource } from 'typeorm';
import { MatcherSchema1732431000000 } from './migrations/1732431000000-matcher-schema.js';

export const matcherMigrations = [MatcherSchema1732431000000];

export function matcherDataSource(url: string, poolSize?: number): DataSource {
  return createServiceDataSource({ url, schema: 'matcher', entities: [], migrations: matcherMigrations, ...(poolSize ? { poolSize } : {}) });
}
