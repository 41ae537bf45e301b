import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, dnsLabelProblem, invalid, notFound } from '@fasit/domain';
import type { Actor } from '../common/actor.js';
import { CatalogTransactions } from '../common/catalog-transaction.js';
import { Tenant } from './tenant.entity.js';
import type { TenantView } from './tenant.schemas.js';

export const toTenantView = (t: Tenant): TenantView => ({ id: t.id, name: t.name, description: t.description, createdAt: t.createdAt.toISOString() });

@Injectable()
export class TenantService {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: CatalogTransactions,
  ) {}

  async create(actor: Actor, input: { name: string; description?: string }): Promise<TenantView> {
    const problem = dnsLabelProblem('tenant', input.name);
    if (problem) throw invalid(problem, 'name');
    return this.tx.run(
      actor,
      async (tx) => {
        const repo = tx.manager.getRepository(Tenant);
        if (await repo.exists({ where: { name: input.name } }))
          throw new DomainError('ALREADY_EXISTS', `tenant "${input.name}" already exists`, { field: 'name' });
        const t = await repo.save(repo.create({ name: input.name, description: input.description ?? '' }));
        tx.audit({ action: 'created', objectType: 'tenant', objectId: t.id, description: `created tenant ${t.name}`, after: toTenantView(t) });
        return toTenantView(t);
      },
      () => new DomainError('ALREADY_EXISTS', `tenant "${input.name}" already exists`, { field: 'name' }),
    );
  }

  /** All tenants, or only the named ones (a tenant-scoped caller's). */
  async list(only: string[] | null = null): Promise<TenantView[]> {
    const all = await this.ds.getRepository(Tenant).find({ order: { name: 'ASC' } });
    return all.filter((t) => only === null || only.includes(t.name)).map(toTenantView);
  }

  async update(actor: Actor, name: string, input: { description: string }): Promise<TenantView> {
    return this.tx.run(actor, async (tx) => {
      const repo = tx.manager.getRepository(Tenant);
      const t = await repo.findOne({ where: { name }, lock: { mode: 'pessimistic_write' } });
      if (!t) throw notFound(`tenant "${name}" not found`);
      const before = toTenantView(t);
      t.description = input.description;
      const after = toTenantView(await repo.save(t));
      tx.audit({ action: 'updated', objectType: 'tenant', objectId: t.id, description: `updated tenant ${name}`, before, after });
      return after;
    });
  }

  /** Refused while the tenant has environments (delete those first). */
  async delete(actor: Actor, name: string): Promise<void> {
    await this.tx.run(actor, async (tx) => {
      const t = await tx.manager.getRepository(Tenant).findOne({ where: { name }, lock: { mode: 'pessimistic_write' } });
      if (!t) throw notFound(`tenant "${name}" not found`);
      const envs = await tx.manager.query<{ name: string }[]>(`SELECT name FROM catalog.environments WHERE tenant_id = $1 ORDER BY name`, [t.id]);
      if (envs.length > 0)
        throw new DomainError('CONFLICT', `tenant "${name}" still has environments (${envs.map((e) => e.name).join(', ')}); delete them first`);
      await tx.manager.query(`DELETE FROM catalog.tenants WHERE id = $1`, [t.id]);
      tx.audit({ action: 'deleted', objectType: 'tenant', objectId: t.id, description: `deleted tenant ${name}`, before: toTenantView(t) });
    });
  }

  async getById(id: string): Promise<Tenant> {
    const t = /^[0-9a-f-]{36}$/i.test(id) ? await this.ds.getRepository(Tenant).findOne({ where: { id } }) : null;
    if (!t) throw notFound(`tenant "${id}" not found`);
    return t;
  }

  async get(name: string): Promise<Tenant> {
    const t = await this.ds.getRepository(Tenant).findOne({ where: { name } });
    if (!t) throw notFound(`tenant "${name}" not found`);
    return t;
  }
}
