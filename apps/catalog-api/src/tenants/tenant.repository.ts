// The catalog's tenants (`catalog.tenants`). Writes take the transaction's manager (CatalogTx.manager); reads
// outside a transaction use the data source's.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Tenant } from './tenant.entity.js';

const UUID = /^[0-9a-f-]{36}$/i;

@Injectable()
export class TenantRepository {
  constructor(private readonly ds: DataSource) {}

  exists(m: EntityManager, name: string): Promise<boolean> {
    return m.getRepository(Tenant).exists({ where: { name } });
  }

  insert(m: EntityManager, input: { name: string; description: string }): Promise<Tenant> {
    const repo = m.getRepository(Tenant);
    return repo.save(repo.create(input));
  }

  save(m: EntityManager, tenant: Tenant): Promise<Tenant> {
    return m.getRepository(Tenant).save(tenant);
  }

  /** The tenant, locked until the transaction ends. */
  lock(m: EntityManager, name: string): Promise<Tenant | null> {
    return m.getRepository(Tenant).findOne({ where: { name }, lock: { mode: 'pessimistic_write' } });
  }

  delete(m: EntityManager, id: string): Promise<unknown> {
    return m.query(`DELETE FROM catalog.tenants WHERE id = $1`, [id]);
  }

  /** The names of the tenant's environments (what stands in the way of deleting it). */
  async environmentNames(m: EntityManager, tenantId: string): Promise<string[]> {
    const rows = await m.query<{ name: string }[]>(`SELECT name FROM catalog.environments WHERE tenant_id = $1 ORDER BY name`, [tenantId]);
    return rows.map((r) => r.name);
  }

  all(): Promise<Tenant[]> {
    return this.ds.getRepository(Tenant).find({ order: { name: 'ASC' } });
  }

  byName(name: string): Promise<Tenant | null> {
    return this.ds.getRepository(Tenant).findOne({ where: { name } });
  }

  /** null for an id that is not a UUID (never a database error). */
  async byId(id: string): Promise<Tenant | null> {
    return UUID.test(id) ? this.ds.getRepository(Tenant).findOne({ where: { id } }) : null;
  }
}
