import { createServiceDataSource } from '@fasit/db';
import type { DataSource } from 'typeorm';
import { Assignment } from '../assignments/assignment.entity.js';
import { AuditEntry } from '../audit/audit-entry.entity.js';
import { Environment, EnvironmentValue } from '../environments/environment.entity.js';
import { Feature, FeatureVersion } from '../features/feature-version.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { catalogMigrations } from './migrations/index.js';

export const catalogEntities = [Tenant, Environment, EnvironmentValue, Feature, FeatureVersion, Assignment, AuditEntry];

export function catalogDataSource(url: string, poolSize?: number): DataSource {
  return createServiceDataSource({ url, schema: 'catalog', entities: catalogEntities, migrations: catalogMigrations, ...(poolSize ? { poolSize } : {}) });
}
