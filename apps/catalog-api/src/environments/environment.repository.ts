// The catalog's environments (`catalog.environments`, with their tenant). Writes take the transaction's manager
// (CatalogTx.manager); reads outside a transaction use the data source's.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { EnvironmentKind } from '@fasit/bus';
import type { DriftPolicy } from '@fasit/domain';
import { Environment } from './environment.entity.js';

const UUID = /^[0-9a-f-]{36}$/i;

/** An environment as the API lists it, in plain columns (no entity). */
export interface EnvironmentListRow {
  id: string;
  tenant: string;
  name: string;
  kind: EnvironmentKind;
  description: string;
  labels: Record<string, string>;
  reconcile: boolean;
  driftPolicy: DriftPolicy;
  oidcIssuer: string | null;
  oidcDiscoveryUrl: string | null;
  createdAt: Date;
}

@Injectable()
export class EnvironmentRepository {
  constructor(private readonly ds: DataSource) {}

  exists(m: EntityManager, tenantId: string, name: string): Promise<boolean> {
    return m.getRepository(Environment).exists({ where: { tenantId, name } });
  }

  /** Inserts and reads back (with its tenant). */
  async insert(m: EntityManager, input: Omit<Environment, 'id' | 'tenant' | 'createdAt' | 'updatedAt'>): Promise<Environment> {
    const repo = m.getRepository(Environment);
    const saved = await repo.save(repo.create(input));
    return repo.findOneOrFail({ where: { id: saved.id } });
  }

  /** The environment, locked until the transaction ends. */
  async lock(m: EntityManager, id: string): Promise<Environment | null> {
    await m.query(`SELECT 1 FROM catalog.environments WHERE id = $1 FOR UPDATE`, [id]);
    return m.getRepository(Environment).findOne({ where: { id } });
  }

  /** Saves and reads back. */
  async save(m: EntityManager, env: Environment): Promise<Environment> {
    const repo = m.getRepository(Environment);
    await repo.save(env);
    return repo.findOneOrFail({ where: { id: env.id } });
  }

  /** With its values, configuration and toggles (the foreign keys cascade). */
  delete(m: EntityManager, id: string): Promise<unknown> {
    return m.query(`DELETE FROM catalog.environments WHERE id = $1`, [id]);
  }

  /** The environments whose labels contain the target, with their tenant. */
  matching(target: Record<string, string>): Promise<Environment[]> {
    return this.ds
      .getRepository(Environment)
      .createQueryBuilder('e')
      .innerJoinAndSelect('e.tenant', 't')
      .where('e.labels @> :target::jsonb', { target: JSON.stringify(target) })
      .getMany();
  }

  /** environment id → whether the reconciler deploys there. */
  async reconcileFlags(): Promise<Map<string, boolean>> {
    const rows = await this.ds.query<{ id: string; reconcile: boolean }[]>(`SELECT id, reconcile FROM catalog.environments`);
    return new Map(rows.map((e) => [e.id, e.reconcile]));
  }

  /** The tenant's id and data version (raised with every change to its environments or their values); undefined: no such tenant. */
  async tenantVersion(tenantName: string): Promise<{ id: string; version: string } | undefined> {
    const [row] = await this.ds.query<{ id: string; version: string }[]>(`SELECT id, data_version::text AS version FROM catalog.tenants WHERE name = $1`, [
      tenantName,
    ]);
    return row;
  }

  /** Every environment of the tenant, by name. */
  rowsOfTenant(tenantId: string): Promise<EnvironmentListRow[]> {
    return this.ds.query<EnvironmentListRow[]>(
      `SELECT e.id, t.name AS tenant, e.name, e.kind, e.description, e.labels, e.reconcile, e.drift_policy AS "driftPolicy",
              e.oidc_issuer AS "oidcIssuer", e.oidc_discovery_url AS "oidcDiscoveryUrl", e.created_at AS "createdAt"
       FROM catalog.environments e JOIN catalog.tenants t ON t.id = e.tenant_id WHERE e.tenant_id = $1 ORDER BY e.name`,
      [tenantId],
    );
  }

  byName(tenant: string, name: string): Promise<Environment | null> {
    return this.ds.getRepository(Environment).findOne({ where: { name, tenant: { name: tenant } } });
  }

  /** null for an id that is not a UUID (never a database error). */
  async byId(id: string): Promise<Environment | null> {
    return UUID.test(id) ? this.ds.getRepository(Environment).findOne({ where: { id } }) : null;
  }
}
