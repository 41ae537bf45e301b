// Read-only reads of the catalog schema (listed in the README): environments, active assignments and the
// environment kinds of their feature versions. Label containment runs in PostgreSQL on the GIN-indexed labels,
// so one change touches only the environments it can affect.
import type { EntityManager } from 'typeorm';
import type { AssignmentRef } from '@fasit/domain';

export interface EnvRow {
  id: string;
  tenantId: string;
  kind: string;
  labels: Record<string, string>;
}

export interface ActiveAssignment extends AssignmentRef {
  kinds: string[];
}

export class CatalogReader {
  constructor(private readonly m: EntityManager) {}

  async environmentsMatching(target: Record<string, string>): Promise<EnvRow[]> {
    return this.m.query(`SELECT id, tenant_id AS "tenantId", kind::text AS kind, labels FROM catalog.environments WHERE labels @> $1::jsonb`, [JSON.stringify(target)]);
  }

  async environments(ids: string[]): Promise<EnvRow[]> {
    if (ids.length === 0) return [];
    return this.m.query(`SELECT id, tenant_id AS "tenantId", kind::text AS kind, labels FROM catalog.environments WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async allEnvironmentIds(): Promise<string[]> {
    return (await this.m.query<{ id: string }[]>(`SELECT id FROM catalog.environments`)).map((r) => r.id);
  }

  async environmentIdsOfTenantOf(environmentId: string): Promise<string[]> {
    const rows = await this.m.query<{ id: string }[]>(`SELECT e2.id FROM catalog.environments e1 JOIN catalog.environments e2 ON e2.tenant_id = e1.tenant_id WHERE e1.id = $1`, [environmentId]);
    return rows.map((r) => r.id);
  }

  async environmentIdsOfTenant(tenant: string): Promise<string[]> {
    const rows = await this.m.query<{ id: string }[]>(`SELECT e.id FROM catalog.environments e JOIN catalog.tenants t ON t.id = e.tenant_id WHERE t.name = $1`, [tenant]);
    return rows.map((r) => r.id);
  }

  /** Active assignments of the given features, or of every feature whose target the labels contain. */
  async activeAssignments(filter: { features?: string[]; labels?: Record<string, string> }): Promise<ActiveAssignment[]> {
    const where: string[] = ['a.active'];
    const params: unknown[] = [];
    if (filter.features) {
      params.push(filter.features);
      where.push(`a.feature = ANY($${params.length}::text[])`);
    }
    if (filter.labels) {
      params.push(JSON.stringify(filter.labels));
      where.push(`$${params.length}::jsonb @> a.target`);
    }
    const rows = await this.m.query<ActiveAssignment[]>(
      `SELECT a.id, a.feature, a.target, a.created_at AS "createdAt", fv.kinds::text[] AS kinds
       FROM catalog.assignments a JOIN catalog.feature_versions fv ON fv.feature = a.feature AND fv.version = a.version
       WHERE ${where.join(' AND ')}`,
      params,
    );
    return rows;
  }
}
