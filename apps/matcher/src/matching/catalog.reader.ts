// What the matcher reads of the catalog, through the catalog's published views (`catalog_api`, see the
// catalog-api README): environments, and the active assignments with the environment kinds of their feature
// versions. Label containment runs in PostgreSQL on the GIN-indexed labels behind the view, so one change
// touches only the environments it can affect.
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
    return this.m.query(`SELECT id, tenant_id AS "tenantId", kind, labels FROM catalog_api.environments WHERE labels @> $1::jsonb`, [JSON.stringify(target)]);
  }

  async environments(ids: string[]): Promise<EnvRow[]> {
    if (ids.length === 0) return [];
    return this.m.query(`SELECT id, tenant_id AS "tenantId", kind, labels FROM catalog_api.environments WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async allEnvironmentIds(): Promise<string[]> {
    return (await this.m.query<{ id: string }[]>(`SELECT id FROM catalog_api.environments`)).map((r) => r.id);
  }

  async environmentIdsOfTenantOf(environmentId: string): Promise<string[]> {
    const rows = await this.m.query<{ id: string }[]>(
      `SELECT e2.id FROM catalog_api.environments e1 JOIN catalog_api.environments e2 ON e2.tenant_id = e1.tenant_id WHERE e1.id = $1`,
      [environmentId],
    );
    return rows.map((r) => r.id);
  }

  async environmentIdsOfTenant(tenant: string): Promise<string[]> {
    const rows = await this.m.query<{ id: string }[]>(`SELECT id FROM catalog_api.environments WHERE tenant = $1`, [tenant]);
    return rows.map((r) => r.id);
  }

  /** Active assignments of the given features, or of every feature whose target the labels contain. */
  async activeAssignments(filter: { features?: string[]; labels?: Record<string, string> }): Promise<ActiveAssignment[]> {
    const where: string[] = ['true'];
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
      `SELECT a.id, a.feature, a.target, a.created_at AS "createdAt", a.kinds FROM catalog_api.active_assignments a WHERE ${where.join(' AND ')}`,
      params,
    );
    return rows;
  }
}
