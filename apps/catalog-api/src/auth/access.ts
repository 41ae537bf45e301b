// Who may do what. Roles viewer < operator < admin, granted globally or per tenant. A caller with no grant at all
// for a tenant gets "not found" for it (its existence does not leak); a caller who sees a tenant but lacks the
// role gets "forbidden".
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

/** Requires a global `role` (for resources that belong to no tenant: features, global configuration, tenants). */
export function authorizeGlobal(actor: Actor, role: Role): void {
  if (!hasRole(actor, role, null)) throw forbidden(actor, `a global ${role} role`);
}

/** Requires a role that lets the caller at least read something (any grant). */
export function authorizeAny(actor: Actor): void {
  if (actor.grants.length === 0) throw forbidden(actor, 'a viewer role');
}

/** Requires an operator role somewhere (global or on any tenant): for harmless global actions such as ingesting a chart. */
export function authorizeAnyOperator(actor: Actor): void {
  if (!actor.grants.some((g) => RANK[g.role] >= RANK.operator)) throw forbidden(actor, 'an operator role');
}

/**
 * Creating an assignment: a global operator may target anything; a tenant operator only targets that pin its own
 * tenant (`tenant=<name>`), so it cannot reach other tenants' environments. GitHub callers are checked by the
 * GitHub policy instead.
 */
export function authorizeAssignment(actor: Actor, target: Labels): void {
  if (hasRole(actor, 'operator', null)) return;
  const tenant = target['tenant'];
  if (tenant !== undefined && hasRole(actor, 'operator', tenant)) return;
  throw forbidden(actor, tenant === undefined ? 'a global operator role (or a target with tenant=<your tenant>)' : `operator on tenant "${tenant}"`);
}

function forbidden(actor: Actor, needed: string): DomainError {
  return new DomainError('FORBIDDEN', `${actor.name} may not do this: it needs ${needed}`);
}
