// What the dispatcher reads of the catalog, through its published views (`catalog_api`, see the catalog-api
// README): which environment an agent's (tenant, environment) names.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class CatalogReader {
  constructor(private readonly ds: DataSource) {}

  /** The id of the environment, or undefined when the catalog has none of that name (one indexed query). */
  async environmentId(tenant: string, environment: string): Promise<string | undefined> {
    const [row] = await this.ds.query<{ id: string }[]>(`SELECT id FROM catalog_api.environments WHERE tenant = $1 AND name = $2`, [tenant, environment]);
    return row?.id;
  }
}
