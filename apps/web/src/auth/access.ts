// What the signed-in caller may do, from `GET /api/v1/whoami`: the same role rules as the API's (viewer < operator
// < admin, granted globally or per tenant), so the console offers only the actions the API would allow.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../api/client';

export type Actor = Schemas['Whoami'];
export type Role = 'viewer' | 'operator' | 'admin';
const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

/** A global grant, or one for `tenant`, of at least `role`; `tenant` null: only a global grant counts. */
export function hasRole(actor: Actor | undefined, role: Role, tenant: string | null): boolean {
  return !!actor?.grants.some((g) => RANK[g.role] >= RANK[role] && (g.tenant === null || (tenant !== null && g.tenant === tenant)));
}

/** Creating or deactivating an assignment: a global operator, or an operator of the tenant the target pins. */
export function mayAssign(actor: Actor | undefined, target: Record<string, string>): boolean {
  if (hasRole(actor, 'operator', null)) return true;
  const tenant = target['tenant'];
  return tenant !== undefined && hasRole(actor, 'operator', tenant);
}

export function useWhoami() {
  return useQuery({ queryKey: ['whoami'], queryFn: () => unwrap(api.GET('/api/v1/whoami')), staleTime: 60_000 });
}

/** The caller's rights, for hiding actions: `can('operator', tenant)`. */
export function useAccess() {
  const { data: actor } = useWhoami();
  return {
    actor,
    can: (role: Role, tenant: string | null) => hasRole(actor, role, tenant),
    mayAssign: (target: Record<string, string>) => mayAssign(actor, target),
  };
}
