// API tokens and role bindings. A token is shown once at creation; only its SHA-256 is stored. A global admin
// manages any; a tenant admin manages those scoped to its tenant.
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, invalid, notFound } from '@fasit/domain';
import type { Actor, Role } from '../common/actor.js';
import { CatalogTransactions } from '../common/catalog-transaction.js';
import { TenantService } from '../tenants/tenant.service.js';
import { authorizeGlobal, authorizeTenant, visibleTenants } from './access.js';
import { ApiTokenRepository, type ApiTokenRow } from './api-token.repository.js';
import { API_TOKEN_PREFIX, hashToken } from './auth.service.js';
import { RoleBindingRepository } from './role-binding.repository.js';
import type { ApiTokenView, RoleBindingView } from './access.schemas.js';

const tokenView = (r: ApiTokenRow): ApiTokenView => ({
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
    private readonly tokens: ApiTokenRepository,
    private readonly bindings: RoleBindingRepository,
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
      const view = tokenView(
        await this.tokens.insert(tx.manager, {
          name: input.name,
          hash: hashToken(token),
          role: input.role,
          tenantId,
          tenant: input.tenant ?? null,
          by: actor.name,
          days,
        }),
      );
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
    return (await this.tokens.all()).filter((r) => visible === null || (r.tenant !== null && visible.includes(r.tenant))).map(tokenView);
  }

  async revokeToken(actor: Actor, id: string): Promise<ApiTokenView> {
    const existing = (await this.listTokens(actor)).find((t) => t.id === id);
    if (!existing) throw notFound(`API token "${id}" not found`);
    return this.tx.run(actor, async (tx) => {
      const after: ApiTokenView = { ...existing, revokedAt: (await this.tokens.revoke(tx.manager, id)).toISOString() };
      tx.audit({ action: 'deleted', objectType: 'api_token', objectId: id, description: `revoked API token ${existing.name}`, before: existing, after });
      return after;
    });
  }

  async bind(actor: Actor, input: { subject: string; role: Role; tenant?: string }): Promise<RoleBindingView> {
    const tenantId = await this.scope(actor, input.tenant);
    return this.tx.run(actor, async (tx) => {
      if (await this.bindings.exists(tx.manager, input.subject, tenantId))
        throw new DomainError(
          'ALREADY_EXISTS',
          `${input.subject} already has a role ${input.tenant ? `on tenant "${input.tenant}"` : 'globally'}; delete it first`,
          { field: 'subject' },
        );
      const row = await this.bindings.insert(tx.manager, { subject: input.subject, role: input.role, tenantId, by: actor.name });
      const view: RoleBindingView = {
        id: row.id,
        subject: input.subject,
        role: input.role,
        tenant: input.tenant ?? null,
        createdBy: actor.name,
        createdAt: row.created_at.toISOString(),
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
    return (await this.bindings.all())
      .filter((r) => visible === null || (r.tenant !== null && visible.includes(r.tenant)))
      .map((r) => ({ id: r.id, subject: r.subject, role: r.role, tenant: r.tenant, createdBy: r.created_by, createdAt: r.created_at.toISOString() }));
  }

  async unbind(actor: Actor, id: string): Promise<void> {
    const existing = (await this.listBindings(actor)).find((b) => b.id === id);
    if (!existing) throw notFound(`role binding "${id}" not found`);
    await this.tx.run(actor, async (tx) => {
      await this.bindings.delete(tx.manager, id);
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
