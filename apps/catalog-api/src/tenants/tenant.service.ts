import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, dnsLabelProblem, invalid, notFound } from '@fasit/domain';
import type { Actor } from '../common/actor.js';
import { CatalogTransactions } from '../common/catalog-transaction.js';
import { Tenant } from './tenant.entity.js';

export interface TenantView {
  id: string;
  name: string;
  description: string;
  createdAt: string;
}

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
    return this.tx.run(actor, async (tx) => {
      const repo = tx.manager.getRepository(Tenant);
      if (await repo.exists({ where: { name: input.name } })) throw new DomainError('ALREADY_EXISTS', `tenant "${input.name}" already exists`, { field: 'name' });
      const t = await repo.save(repo.create({ name: input.name, description: input.description ?? '' }));
      tx.audit({ action: 'created', objectType: 'tenant', objectId: t.id, description: `created tenant ${t.name}`, after: toTenantView(t) });
      return toTenantView(t);
    });
  }

  async list(): Promise<TenantView[]> {
    return (await this.ds.getRepository(Tenant).find({ order: { name: 'ASC' } })).map(toTenantView);
  }

  async get(name: string): Promise<Tenant> {
    const t = await this.ds.getRepository(Tenant).findOne({ where: { name } });
    if (!t) throw notFound(`tenant "${name}" not found`);
    return t;
  }
}
