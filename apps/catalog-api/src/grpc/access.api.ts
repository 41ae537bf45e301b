// The API-token and role-binding RPCs, mapped onto AccessService (the REST routes' service): the same rules, audit
// and errors. Authorization happened before with the REST routes' own policies (GRPC_POLICIES); what is left here is
// the message's shape: a role enum, an optional tenant, and a field name in every error that is the message's own.
import { Injectable } from '@nestjs/common';
import { invalid } from '@fasit/domain';
import { ROLES, type Actor, type Role as ActorRole } from '../common/actor.js';
import { AccessService, MAX_TOKEN_DAYS } from '../auth/access.service.js';
import type { ApiToken } from './generated/fasit/management/v1/ApiToken.js';
import type { CreateRoleBindingRequest__Output } from './generated/fasit/management/v1/CreateRoleBindingRequest.js';
import type { CreateRoleBindingResponse } from './generated/fasit/management/v1/CreateRoleBindingResponse.js';
import type { DeleteRoleBindingRequest__Output } from './generated/fasit/management/v1/DeleteRoleBindingRequest.js';
import type { DeleteRoleBindingResponse } from './generated/fasit/management/v1/DeleteRoleBindingResponse.js';
import type { IssueApiTokenRequest__Output } from './generated/fasit/management/v1/IssueApiTokenRequest.js';
import type { IssueApiTokenResponse } from './generated/fasit/management/v1/IssueApiTokenResponse.js';
import type { ListApiTokensResponse } from './generated/fasit/management/v1/ListApiTokensResponse.js';
import type { ListRoleBindingsResponse } from './generated/fasit/management/v1/ListRoleBindingsResponse.js';
import type { RevokeApiTokenRequest__Output } from './generated/fasit/management/v1/RevokeApiTokenRequest.js';
import type { RevokeApiTokenResponse } from './generated/fasit/management/v1/RevokeApiTokenResponse.js';
import type { Role } from './generated/fasit/management/v1/Role.js';
import type { RoleBinding } from './generated/fasit/management/v1/RoleBinding.js';
import type { ApiTokenView, RoleBindingView } from '../auth/access.schemas.js';

const ROLE_NAMES = { viewer: 'VIEWER', operator: 'OPERATOR', admin: 'ADMIN' } as const satisfies Record<ActorRole, Role>;

/** The role the enum names; an unset or unknown one (a number the enum does not have arrives as that number) is bad input. */
function roleOf(role: unknown): ActorRole {
  const found = ROLES.find((r) => ROLE_NAMES[r] === role);
  if (!found) throw invalid(`role: must be VIEWER, OPERATOR or ADMIN (got ${typeof role === 'string' ? role.slice(0, 40) : JSON.stringify(role)})`, 'role');
  return found;
}

/** An optional tenant: absent is global; present, a tenant's name (as REST's `tenant`, at most 63 characters). */
function tenantOf(tenant: string | undefined): { tenant?: string } {
  if (tenant === undefined) return {};
  if (tenant === '') throw invalid('tenant: empty; leave it out for a global one', 'tenant');
  if (tenant.length > 63) throw invalid('tenant: at most 63 characters', 'tenant');
  return { tenant };
}

const toApiToken = (t: ApiTokenView): ApiToken => ({
  id: t.id,
  name: t.name,
  role: ROLE_NAMES[t.role],
  tenant: t.tenant ?? '',
  created_by: t.createdBy,
  created_at: t.createdAt,
  expires_at: t.expiresAt ?? '',
  revoked_at: t.revokedAt ?? '',
  last_used_at: t.lastUsedAt ?? '',
});

const toRoleBinding = (b: RoleBindingView): RoleBinding => ({
  id: b.id,
  subject: b.subject,
  role: ROLE_NAMES[b.role],
  tenant: b.tenant ?? '',
  created_by: b.createdBy,
  created_at: b.createdAt,
});

@Injectable()
export class AccessApi {
  constructor(private readonly access: AccessService) {}

  async issueApiToken(actor: Actor, r: IssueApiTokenRequest__Output): Promise<IssueApiTokenResponse> {
    const role = roleOf(r.role);
    if (r.expires_in_days < 0 || r.expires_in_days > MAX_TOKEN_DAYS) throw invalid(`expires_in_days: 1 to ${MAX_TOKEN_DAYS}, or 0 for 90`, 'expires_in_days');
    const { token, ...view } = await this.access.issueToken(actor, {
      name: r.name,
      role,
      ...tenantOf(r.tenant),
      ...(r.expires_in_days > 0 ? { expiresInDays: r.expires_in_days } : {}),
    });
    return { api_token: toApiToken(view), token };
  }

  async listApiTokens(actor: Actor): Promise<ListApiTokensResponse> {
    return { api_tokens: (await this.access.listTokens(actor)).map(toApiToken) };
  }

  async revokeApiToken(actor: Actor, r: RevokeApiTokenRequest__Output): Promise<RevokeApiTokenResponse> {
    return { api_token: toApiToken(await this.access.revokeToken(actor, r.id)) };
  }

  async createRoleBinding(actor: Actor, r: CreateRoleBindingRequest__Output): Promise<CreateRoleBindingResponse> {
    const role = roleOf(r.role);
    if (r.subject === '' || r.subject.length > 320) throw invalid('subject: 1 to 320 characters', 'subject');
    return { role_binding: toRoleBinding(await this.access.bind(actor, { subject: r.subject, role, ...tenantOf(r.tenant) })) };
  }

  async listRoleBindings(actor: Actor): Promise<ListRoleBindingsResponse> {
    return { role_bindings: (await this.access.listBindings(actor)).map(toRoleBinding) };
  }

  async deleteRoleBinding(actor: Actor, r: DeleteRoleBindingRequest__Output): Promise<DeleteRoleBindingResponse> {
    await this.access.unbind(actor, r.id);
    return { success: true };
  }
}
