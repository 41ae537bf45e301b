// API tokens and role bindings. A token is shown once at creation; only its SHA-256 is stored. A global admin
// manages any; a tenant admin manages those scoped to its tenant.
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, invalid, notFound } from '@fasit/domain';
import type { Actor, Role } from '../common/actor.js';
import { CatalogTransactions } from '../common/catalog-transaction.js';
import { TenantService } from '../tenants/tenant.service.js';
import { authorizeGlobal, authorizeTenant, visibleTenants } from './access.js';
import { API_TOKEN_PREFIX, hashToken } from './auth.service.js';
import type { ApiTokenView, RoleBindingView } from './access.schemas.js';

interface TokenRow {
  id: string;
  name: string;
  role: Role;
  tenant: string | null;
  created_by: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const tokenView = (r: TokenRow): ApiTokenView => ({
  id: r.id,
  name: r.name,
  role: r.role,
  tenant: r.tenant,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  expiresAt: r.expires_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
});

export const MAX_TOKEN_DAYS = 366;

@Injectable()
export class AccessService {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: CatalogTransactions,
    private readonly tenants: TenantService,
  ) {}

  private async scope(actor: Actor, tenant: string | undefined): Promise<string | null> {
    if (tenant === undefined) {
      authorizeGlobal(actor, 'admin');
      return null;
    }
    authorizeTenant(actor, 'admin', tenant);
    return (await this.tenants.get(tenant)).id;
  }

  async issueToken(actor: Actor, input: { name: string; role: Role; tenant?: string; expiresInDays?: number }): Promise<ApiTokenView & { token: string }> {
    if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(input.name)) throw invalid(`token name "${input.name}": 1-63 lowercase letters, digits, ".", "_" or "-"`, 'name');
    const tenantId = await this.scope(actor, input.tenant);
    const days = input.expiresInDays ?? 90;
    if (days > MAX_TOKEN_DAYS) throw invalid(`expiresInDays: at most ${MAX_TOKEN_DAYS}`, 'expiresInDays');
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    return this.tx.run(actor, async (tx) => {
      const rows = await tx.manager.query<TokenRow[]>(
        `INSERT INTO catalog.api_tokens (name, token_hash, role, tenant_id, created_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6::int))
         RETURNING id, name, role, $7::text AS tenant, created_by, created_at, expires_at, revoked_at, last_used_at`,
        [input.name, hashToken(token), input.role, tenantId, actor.name, days, input.tenant ?? null],
      );
      const view = tokenView(rows[0]!);
      tx.audit({
        action: 'created',
        objectType: 'api_token',
        objectId: view.id,
        description: `issued API token ${view.name} (${view.role}${view.tenant ? ` on ${view.tenant}` : ', global'})`,
        after: view,
      });
      return { ...view, token };
    });
  }

  async listTokens(actor: Actor): Promise<ApiTokenView[]> {
    const visible = this.adminTenants(actor);
    const rows = await this.ds.query<TokenRow[]>(
      `SELECT a.id, a.name, a.role, t.name AS tenant, a.created_by, a.created_at, a.expires_at, a.revoked_at, a.last_used_at
       FROM catalog.api_tokens a LEFT JOIN catalog.tenants t ON t.id = a.tenant_id ORDER BY a.created_at DESC`,
    );
    return rows.filter((r) => visible === null || (r.tenant !== null && visible.includes(r.tenant))).map(tokenView);
  }

  async revokeToken(actor: Actor, id: string): Promise<ApiTokenView> {
    const existing = (await this.listTokens(actor)).find((t) => t.id === id);
    if (!existing) throw notFound(`API token "${id}" not found`);
    return this.tx.run(actor, async (tx) => {
      const updated = await tx.manager.query<[{ revoked_at: Date }[], number]>(
        `UPDATE catalog.api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING revoked_at`,
        [id],
      );
      const after: ApiTokenView = { ...existing, revokedAt: updated[0][0]!.revoked_at.toISOString() };
      tx.audit({ action: 'deleted', objectType: 'api_token', objectId: id, description: `revoked API token ${existing.name}`, before: existing, after });
      return after;
    });
  }

  async bind(actor: Actor, input: { subject: string; role: Role; tenant?: string }): Promise<RoleBindingView> {
    const tenantId = await this.scope(actor, input.tenant);
    return this.tx.run(actor, async (tx) => {
      const clash = await tx.manager.query<unknown[]>(`SELECT 1 FROM catalog.role_bindings WHERE subject = $1 AND tenant_id IS NOT DISTINCT FROM $2`, [
        input.subject,
        tenantId,
      ]);
      if (clash.length > 0)
        throw new DomainError(
          'ALREADY_EXISTS',
          `${input.subject} already has a role ${input.tenant ? `on tenant "${input.tenant}"` : 'globally'}; delete it first`,
          { field: 'subject' },
        );
      const rows = await tx.manager.query<{ id: string; created_at: Date }[]>(
        `INSERT INTO catalog.role_bindings (subject, role, tenant_id, created_by) VALUES ($1, $2, $3, $4) RETURNING id, created_at`,
        [input.subject, input.role, tenantId, actor.name],
      );
      const view: RoleBindingView = {
        id: rows[0]!.id,
        subject: input.subject,
        role: input.role,
        tenant: input.tenant ?? null,
        createdBy: actor.name,
        createdAt: rows[0]!.created_at.toISOString(),
      };
      tx.audit({
        action: 'created',
        objectType: 'role_binding',
        objectId: view.id,
        description: `granted ${view.role} to ${view.subject}${view.tenant ? ` on ${view.tenant}` : ' globally'}`,
        after: view,
      });
      return view;
    });
  }

  async listBindings(actor: Actor): Promise<RoleBindingView[]> {
    const visible = this.adminTenants(actor);
    const rows = await this.ds.query<{ id: string; subject: string; role: Role; tenant: string | null; created_by: string; created_at: Date }[]>(
      `SELECT b.id, b.subject, b.role, t.name AS tenant, b.created_by, b.created_at FROM catalog.role_bindings b
       LEFT JOIN catalog.tenants t ON t.id = b.tenant_id ORDER BY b.subject, t.name NULLS FIRST`,
    );
    return rows
      .filter((r) => visible === null || (r.tenant !== null && visible.includes(r.tenant)))
      .map((r) => ({ id: r.id, subject: r.subject, role: r.role, tenant: r.tenant, createdBy: r.created_by, createdAt: r.created_at.toISOString() }));
  }

  async unbind(actor: Actor, id: string): Promise<void> {
    const existing = (await this.listBindings(actor)).find((b) => b.id === id);
    if (!existing) throw notFound(`role binding "${id}" not found`);
    await this.tx.run(actor, async (tx) => {
      await tx.manager.query(`DELETE FROM catalog.role_bindings WHERE id = $1`, [id]);
      tx.audit({
        action: 'deleted',
        objectType: 'role_binding',
        objectId: id,
        description: `removed ${existing.role} of ${existing.subject}`,
        before: existing,
      });
    });
  }

  /** Tenants whose tokens and bindings the caller administers; null for a global admin. */
  private adminTenants(actor: Actor): string[] | null {
    const all = visibleTenants(actor);
    if (actor.grants.some((g) => g.tenant === null && g.role === 'admin')) return null;
    const admin = actor.grants.filter((g) => g.role === 'admin' && g.tenant !== null).map((g) => g.tenant!);
    if (admin.length === 0) authorizeGlobal(actor, 'admin');
    return all === null ? admin : admin.filter((t) => all.includes(t));
  }
}
