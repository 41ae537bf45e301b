// Role bindings (`catalog.role_bindings`): a role for an OIDC subject, globally or on one tenant. Writes take the
// transaction's manager.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Role } from '../common/actor.js';

export interface RoleBindingRow {
  id: string;
  subject: string;
  role: Role;
  tenant: string | null;
  created_by: string;
  created_at: Date;
}

@Injectable()
export class RoleBindingRepository {
  constructor(private readonly ds: DataSource) {}

  /** Whether the subject has a role there already (`tenantId` null: globally). */
  async exists(m: EntityManager, subject: string, tenantId: string | null): Promise<boolean> {
    return (
      (await m.query<unknown[]>(`SELECT 1 FROM catalog.role_bindings WHERE subject = $1 AND tenant_id IS NOT DISTINCT FROM $2`, [subject, tenantId])).length > 0
    );
  }

  async insert(m: EntityManager, b: { subject: string; role: Role; tenantId: string | null; by: string }): Promise<{ id: string; created_at: Date }> {
    const rows = await m.query<{ id: string; created_at: Date }[]>(
      `INSERT INTO catalog.role_bindings (subject, role, tenant_id, created_by) VALUES ($1, $2, $3, $4) RETURNING id, created_at`,
      [b.subject, b.role, b.tenantId, b.by],
    );
    return rows[0]!;
  }

  /** By subject, global ones first. */
  all(): Promise<RoleBindingRow[]> {
    return this.ds.query<RoleBindingRow[]>(
      `SELECT b.id, b.subject, b.role, t.name AS tenant, b.created_by, b.created_at FROM catalog.role_bindings b
       LEFT JOIN catalog.tenants t ON t.id = b.tenant_id ORDER BY b.subject, t.name NULLS FIRST`,
    );
  }

  /** The subject's roles, with the tenant's name (null: global). */
  grantsOf(subject: string): Promise<{ role: Role; tenant: string | null }[]> {
    return this.ds.query<{ role: Role; tenant: string | null }[]>(
      `SELECT b.role, t.name AS tenant FROM catalog.role_bindings b LEFT JOIN catalog.tenants t ON t.id = b.tenant_id WHERE b.subject = $1`,
      [subject],
    );
  }

  async delete(m: EntityManager, id: string): Promise<void> {
    await m.query(`DELETE FROM catalog.role_bindings WHERE id = $1`, [id]);
  }

  /** The binding's tenant (null: global), or undefined when there is no such binding. */
  async tenantOf(id: string): Promise<{ tenant: string | null } | undefined> {
    return (
      await this.ds.query<{ tenant: string | null }[]>(
        `SELECT t.name AS tenant FROM catalog.role_bindings r LEFT JOIN catalog.tenants t ON t.id = r.tenant_id WHERE r.id = $1`,
        [id],
      )
    )[0];
  }
}
