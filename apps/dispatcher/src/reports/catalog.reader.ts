// What the dispatcher reads of the catalog, through its published views (`catalog_api`, see the catalog-api
// README): which environment an agent's (tenant, environment) names.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class CatalogReader {
  constructor(private readonly ds: DataSource) {}

  /** Per (tenant, environment): the environment's id, or undefined when the catalog has none of that name (one query). */
  async environmentIds(names: readonly { tenant: string; environment: string }[]): Promise<(string | undefined)[]> {
    if (names.length === 0) return [];
    const rows = await this.ds.query<{ tenant: string; name: string; id: string }[]>(
      `SELECT e.tenant, e.name, e.id FROM catalog_api.environments e
       JOIN (SELECT DISTINCT * FROM unnest($1::text[], $2::text[]) AS n(tenant, name)) n ON e.tenant = n.tenant AND e.name = n.name`,
      [names.map((n) => n.tenant), names.map((n) => n.environment)],
    );
    const ids = new Map(rows.map((r) => [JSON.stringify([r.tenant, r.name]), r.id]));
    return names.map((n) => ids.get(JSON.stringify([n.tenant, n.environment])));
  }
}
