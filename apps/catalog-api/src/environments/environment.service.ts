import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { outboxEvent, type EnvironmentKind } from '@fasit/bus';
import { DomainError, dnsLabelProblem, invalid, labelKeyProblem, labelValueProblem, matches, notFound, type Labels } from '@fasit/domain';
import type { Actor } from '../common/actor.js';
import { CatalogTransactions, type CatalogTx } from '../common/catalog-transaction.js';
import { TenantService } from '../tenants/tenant.service.js';
import { Environment } from './environment.entity.js';

export interface EnvironmentView {
  id: string;
  tenant: string;
  name: string;
  kind: EnvironmentKind;
  description: string;
  labels: Labels;
  reconcile: boolean;
  createdAt: string;
}

export const toEnvironmentView = (e: Environment): EnvironmentView => ({
  id: e.id,
  tenant: e.tenant.name,
  name: e.name,
  kind: e.kind,
  description: e.description,
  labels: e.labels,
  reconcile: e.reconcile,
  createdAt: e.createdAt.toISOString(),
});

export function checkLabels(labels: Labels, field = 'labels'): void {
  for (const [k, v] of Object.entries(labels)) {
    const problem = labelKeyProblem(k) ?? labelValueProblem(k, v);
    if (problem) throw invalid(problem, `${field}.${k}`);
  }
}

/** The labels every environment carries: its name, tenant and kind (added automatically, not removable). */
export function systemLabels(tenant: string, name: string, kind: EnvironmentKind): Labels {
  return { name, tenant, kind };
}

@Injectable()
export class EnvironmentService {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: CatalogTransactions,
    private readonly tenants: TenantService,
  ) {}

  async create(actor: Actor, tenantName: string, input: { name: string; kind: EnvironmentKind; labels?: Labels; description?: string; reconcile?: boolean }): Promise<EnvironmentView> {
    const problem = dnsLabelProblem('environment', input.name);
    if (problem) throw invalid(problem, 'name');
    checkLabels(input.labels ?? {});
    const tenant = await this.tenants.get(tenantName);
    return this.tx.run(actor, async (tx) => {
      const repo = tx.manager.getRepository(Environment);
      if (await repo.exists({ where: { tenantId: tenant.id, name: input.name } })) {
        throw new DomainError('ALREADY_EXISTS', `environment "${tenantName}/${input.name}" already exists`, { field: 'name' });
      }
      const saved = await repo.save(
        repo.create({
          tenantId: tenant.id,
          name: input.name,
          kind: input.kind,
          description: input.description ?? '',
          labels: { ...input.labels, ...systemLabels(tenant.name, input.name, input.kind) },
          reconcile: input.reconcile ?? true,
        }),
      );
      const env = await repo.findOneOrFail({ where: { id: saved.id } });
      this.changed(tx, env, false);
      tx.audit({ action: 'created', objectType: 'environment', objectId: env.id, environmentId: env.id, description: `created environment ${tenantName}/${env.name}`, after: toEnvironmentView(env) });
      return toEnvironmentView(env);
    });
  }

  async list(tenantName: string, selector: Labels = {}): Promise<EnvironmentView[]> {
    const tenant = await this.tenants.get(tenantName);
    const all = await this.ds.getRepository(Environment).find({ where: { tenantId: tenant.id }, order: { name: 'ASC' } });
    return all.filter((e) => matches(selector, e.labels)).map(toEnvironmentView);
  }

  async get(tenantName: string, name: string): Promise<Environment> {
    const e = await this.ds.getRepository(Environment).findOne({ where: { name, tenant: { name: tenantName } } });
    if (!e) throw notFound(`environment "${tenantName}/${name}" not found`);
    return e;
  }

  /** Records the environment change event (the matcher and reconciler follow it). */
  changed(tx: CatalogTx, env: Environment, deleted: boolean): void {
    tx.emit(
      outboxEvent('catalog.environment.changed.v1', {
        version: 'v1',
        environmentId: env.id,
        tenant: env.tenant.name,
        name: env.name,
        kind: env.kind,
        labels: env.labels,
        reconcile: env.reconcile,
        deleted,
      }),
    );
  }
}
