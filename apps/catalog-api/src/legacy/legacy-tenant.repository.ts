// The original's tenant listing: tenants with their environments and each environment's `project_id` value
// (never a secret one).
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface LegacyTenantRow {
  tid: string;
  tname: string;
  eid: string | null;
  ename: string | null;
  kind: string | null;
  labels: Record<string, string> | null;
  project: unknown;
}

@Injectable()
export class LegacyTenantRepository {
  constructor(private readonly ds: DataSource) {}

  /** One row per environment (one with nulls for a tenant without any), of the named tenants (null: all); by tenant and name. */
  tenantsWithEnvironments(only: string[] | null): Promise<LegacyTenantRow[]> {
    return this.ds.query<LegacyTenantRow[]>(
      `SELECT t.id AS tid, t.name AS tname, e.id AS eid, e.name AS ename, e.kind, e.labels, v.value AS project
       FROM catalog.tenants t LEFT JOIN catalog.environments e ON e.tenant_id = t.id
       LEFT JOIN catalog.environment_values v ON v.environment_id = e.id AND v.key = 'project_id' AND NOT v.secret
       WHERE $1::text[] IS NULL OR t.name = ANY($1::text[]) ORDER BY t.name, e.name`,
      [only],
    );
  }
}
