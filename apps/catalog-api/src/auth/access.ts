// Who may do what, as pure rules (the Authorizer applies them to each route's declared policy). Roles viewer <
// operator < admin, granted globally or per tenant. A caller with no grant at all for a tenant gets "not found"
// for it (its existence does not leak); a caller who sees a tenant but lacks the role gets "forbidden".
import { DomainError, type Labels } from '@fasit/domain';
import type { Actor, Role } from '../common/actor.js';

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

/** True when a global grant, or a grant for `tenant`, is at least `role`. `tenant` null: only global grants. */
export function hasRole(actor: Actor, role: Role, tenant: string | null): boolean {
  return actor.grants.some((g) => RANK[g.role] >= RANK[role] && (g.tenant === null || (tenant !== null && g.tenant === tenant)));
}

export function seesTenant(actor: Actor, tenant: string): boolean {
  return actor.grants.some((g) => g.tenant === null || g.tenant === tenant);
}

/** The tenants a caller sees; null when it sees all of them. */
export function visibleTenants(actor: Actor): string[] | null {
  if (actor.grants.some((g) => g.tenant === null)) return null;
  return [...new Set(actor.grants.map((g) => g.tenant!))];
}

/** Requires `role` for a tenant's resources (404 when the caller does not see the tenant at all). */
export function authorizeTenant(actor: Actor, role: Role, tenant: string): void {
  if (!seesTenant(actor, tenant)) throw new DomainError('NOT_FOUND', `tenant "${tenant}" not found`);
  if (!hasRole(actor, role, tenant)) throw forbidden(actor, `${role} on tenant "${tenant}"`);
}

/** Requires a global `role` (for resources that belong to no tenant: features' configuration, tenants). */
export function authorizeGlobal(actor: Actor, role: Role): void {
  if (!hasRole(actor, role, null)) throw forbidden(actor, `a global ${role} role`);
}

/** Requires `role` globally or on any tenant (the feature catalogue; lists of what the caller administers). */
export function authorizeAnyTenant(actor: Actor, role: Role): void {
  if (!actor.grants.some((g) => RANK[g.role] >= RANK[role]))
    throw forbidden(actor, `${role === 'viewer' ? 'a' : 'an'} ${role} role on some tenant or globally`);
}

/**
 * The tenant an assignment target reaches: its `tenant` label. A target without one matches environments of
 * every tenant, so only global roles count for it (null).
 */
export function targetTenant(target: Labels): string | null {
  return target['tenant'] ?? null;
}

/** An assignment is visible to a caller who can view every tenant its target can reach. */
export function seesTarget(actor: Actor, target: Labels): boolean {
  const tenant = targetTenant(target);
  return tenant === null ? hasRole(actor, 'viewer', null) : seesTenant(actor, tenant);
}

/**
 * Requires `role` where a target reaches: on its tenant, or globally for a target without one. A tenant the
 * caller does not see is "not found"; `what` names the thing in that answer.
 */
export function authorizeTarget(actor: Actor, role: Role, target: Labels, what = (tenant: string) => `tenant "${tenant}" not found`): void {
  const tenant = targetTenant(target);
  if (tenant === null) {
    if (!hasRole(actor, role, null))
      throw forbidden(actor, `a global ${role} role (a target without a tenant label reaches every tenant; add tenant=<your tenant>)`);
    return;
  }
  if (!seesTenant(actor, tenant)) throw new DomainError('NOT_FOUND', what(tenant));
  if (!hasRole(actor, role, tenant)) throw forbidden(actor, `${role} on tenant "${tenant}"`);
}

export function forbidden(actor: Actor, needed: string): DomainError {
  return new DomainError('FORBIDDEN', `${actor.name} may not do this: it needs ${needed}`);
}
