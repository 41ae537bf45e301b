import { Injectable } from '@nestjs/common';
import { DomainError, dnsLabelProblem, invalid, notFound } from '@fasit/domain';
import type { Actor } from '../common/actor.js';
import { CatalogTransactions } from '../common/catalog-transaction.js';
import type { Tenant } from './tenant.entity.js';
import { TenantRepository } from './tenant.repository.js';
import type { TenantView } from './tenant.schemas.js';

export const toTenantView = (t: Tenant): TenantView => ({ id: t.id, name: t.name, description: t.description, createdAt: t.createdAt.toISOString() });

@Injectable()
export class TenantService {
  constructor(
    private readonly repo: TenantRepository,
    private readonly tx: CatalogTransactions,
  ) {}

  async create(actor: Actor, input: { name: string; description?: string }): Promise<TenantView> {
    const problem = dnsLabelProblem('tenant', input.name);
    if (problem) throw invalid(problem, 'name');
    return this.tx.run(
      actor,
      async (tx) => {
        if (await this.repo.exists(tx.manager, input.name)) throw new DomainError('ALREADY_EXISTS', `tenant "${input.name}" already exists`, { field: 'name' });
        const t = await this.repo.insert(tx.manager, { name: input.name, description: input.description ?? '' });
        tx.audit({ action: 'created', objectType: 'tenant', objectId: t.id, description: `created tenant ${t.name}`, after: toTenantView(t) });
        return toTenantView(t);
      },
      () => new DomainError('ALREADY_EXISTS', `tenant "${input.name}" already exists`, { field: 'name' }),
    );
  }

  /** All tenants, or only the named ones (a tenant-scoped caller's). */
  async list(only: string[] | null = null): Promise<TenantView[]> {
    const all = await this.repo.all();
    return all.filter((t) => only === null || only.includes(t.name)).map(toTenantView);
  }

  async update(actor: Actor, name: string, input: { description: string }): Promise<TenantView> {
    return this.tx.run(actor, async (tx) => {
      const t = await this.repo.lock(tx.manager, name);
      if (!t) throw notFound(`tenant "${name}" not found`);
      const before = toTenantView(t);
      t.description = input.description;
      const after = toTenantView(await this.repo.save(tx.manager, t));
      tx.audit({ action: 'updated', objectType: 'tenant', objectId: t.id, description: `updated tenant ${name}`, before, after });
      return after;
    });
  }

  /** Refused while the tenant has environments (delete those first). */
  async delete(actor: Actor, name: string): Promise<void> {
    await this.tx.run(actor, async (tx) => {
      const t = await this.repo.lock(tx.manager, name);
      if (!t) throw notFound(`tenant "${name}" not found`);
      const envs = await this.repo.environmentNames(tx.manager, t.id);
      if (envs.length > 0) throw new DomainError('CONFLICT', `tenant "${name}" still has environments (${envs.join(', ')}); delete them first`);
      await this.repo.delete(tx.manager, t.id);
      tx.audit({ action: 'deleted', objectType: 'tenant', objectId: t.id, description: `deleted tenant ${name}`, before: toTenantView(t) });
    });
  }

  async getById(id: string): Promise<Tenant> {
    const t = await this.repo.byId(id);
    if (!t) throw notFound(`tenant "${id}" not found`);
    return t;
  }

  async exists(name: string): Promise<boolean> {
    return (await this.repo.byName(name)) !== null;
  }

  async get(name: string): Promise<Tenant> {
    const t = await this.repo.byName(name);
    if (!t) throw notFound(`tenant "${name}" not found`);
    return t;
  }
}
