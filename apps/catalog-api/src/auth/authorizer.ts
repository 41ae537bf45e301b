// The one place route and RPC policies are enforced (the HTTP guard and the gRPC server both call `authorize`).
// It resolves where the tenant comes from (path, message, body target, the assignment's target, the record the
// id names), applies the pure rules of access.ts, and hands the handler what it resolved.
import { Injectable } from '@nestjs/common';
import { DomainError, invalid, notFound, type Labels } from '@fasit/domain';
import type { Assignment } from '../assignments/assignment.entity.js';
import { AssignmentRepository } from '../assignments/assignment.repository.js';
import type { Actor } from '../common/actor.js';
import { EnvironmentRepository } from '../environments/environment.repository.js';
import { TenantRepository } from '../tenants/tenant.repository.js';
import { authorizeAnyTenant, authorizeGlobal, authorizeTarget, authorizeTenant, seesTarget, seesTenant, visibleTenants } from './access.js';
import { ApiTokenRepository } from './api-token.repository.js';
import { AuthService } from './auth.service.js';
import type { RepositoryPolicy } from './github-policy.js';
import type { Policy, TenantRef } from './policy.js';
import { RoleBindingRepository } from './role-binding.repository.js';

/** What a request names: path parameters (REST) or message fields (gRPC), and the body. */
export interface AccessInput {
  fields: Record<string, unknown>;
  body?: unknown;
}

/** What authorization resolved, for the handler. */
export interface Access {
  /** The assignment the route acts on (scope `assignment`). */
  assignment?: Assignment;
  /** A GitHub caller's repository policy. */
  github?: RepositoryPolicy;
}

const shownId = (id: unknown): string => (typeof id === 'string' ? id.slice(0, 100) : '');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class Authorizer {
  constructor(
    private readonly auth: AuthService,
    private readonly assignments: AssignmentRepository,
    private readonly tenants: TenantRepository,
    private readonly environments: EnvironmentRepository,
    private readonly tokens: ApiTokenRepository,
    private readonly bindings: RoleBindingRepository,
  ) {}

  async authorize(actor: Actor, policy: Policy, input: AccessInput): Promise<Access> {
    if (policy.public) return {};
    if (actor.kind === 'github') return this.github(actor, policy, input);
    const { role, scope } = policy;
    switch (scope.kind) {
      case 'caller':
        return {};
      case 'global':
        authorizeGlobal(actor, role);
        return {};
      case 'any':
        authorizeAnyTenant(actor, role);
        return {};
      case 'tenant': {
        const ref = scope.tenant;
        const tenant = await this.tenantOf(ref, input);
        if (ref.by === 'record' && !(tenant === null ? actor.grants.some((g) => g.tenant === null) : seesTenant(actor, tenant))) {
          throw notFound(`${ref.table === 'api_tokens' ? 'API token' : 'role binding'} "${shownId(input.fields[ref.field])}" not found`);
        }
        if (tenant === null) authorizeGlobal(actor, role);
        else authorizeTenant(actor, role, tenant);
        return {};
      }
      case 'target':
        authorizeTarget(actor, role, targetOf(input.body));
        return {};
      case 'assignment': {
        const assignment = await this.assignment(input.fields[scope.field]);
        if (!seesTarget(actor, assignment.target)) throw notFound(`assignment "${assignment.id}" not found`);
        authorizeTarget(actor, role, assignment.target);
        return { assignment };
      }
    }
  }

  /** GitHub callers hold no roles: their repository policy decides, on the routes that let them in at all. */
  private async github(actor: Actor, policy: Policy, input: AccessInput): Promise<Access> {
    if (!policy.github) throw new DomainError('FORBIDDEN', `${actor.name} may not do this: GitHub Actions tokens may only create and read assignments`);
    const github = this.auth.github.policyOf(actor.repository);
    switch (policy.github) {
      case 'self':
      case 'list':
        return { github };
      case 'assign': {
        this.auth.github.authorizeTarget(github, targetOf(input.body));
        const feature = (input.body as { feature?: unknown }).feature;
        if (typeof feature === 'string') this.auth.github.authorizeFeature(github, feature, 'feature');
        return { github };
      }
      case 'read': {
        const assignment = await this.assignment(input.fields[policy.scope.kind === 'assignment' ? policy.scope.field : 'id']);
        if (!github.features.has(assignment.feature)) throw notFound(`assignment "${assignment.id}" not found`);
        return { assignment, github };
      }
    }
  }

  private async assignment(id: unknown): Promise<Assignment> {
    const found = typeof id === 'string' && UUID.test(id) ? await this.assignments.byId(id) : null;
    if (!found) throw notFound(`assignment "${shownId(id)}" not found`);
    return found;
  }

  /** The tenant's name, or null where the global role counts. Unknown ids are "not found". */
  private async tenantOf(ref: TenantRef, input: AccessInput): Promise<string | null> {
    switch (ref.by) {
      case 'name': {
        const name = input.fields[ref.field];
        if (typeof name !== 'string' || name === '') throw invalid(`${ref.field}: is required`, ref.field);
        return name;
      }
      case 'bodyName': {
        const name = (input.body as Record<string, unknown> | undefined)?.[ref.field];
        return typeof name === 'string' ? name : null;
      }
      case 'tenantId': {
        const id = input.fields[ref.field];
        const t = typeof id === 'string' && UUID.test(id) ? await this.tenants.byId(id) : null;
        if (!t) throw notFound(`tenant "${shownId(id)}" not found`);
        return t.name;
      }
      case 'environmentId': {
        const id = input.fields[ref.field];
        if (id === '' || id === undefined) throw invalid(`${ref.field}: is required`, ref.field);
        const e = typeof id === 'string' && UUID.test(id) ? await this.environments.byId(id) : null;
        if (!e) throw notFound(`environment "${shownId(id)}" not found`);
        return e.tenant.name;
      }
      case 'record': {
        const id = input.fields[ref.field];
        const records = ref.table === 'api_tokens' ? this.tokens : this.bindings;
        const found = typeof id === 'string' && UUID.test(id) ? await records.tenantOf(id) : undefined;
        const what = ref.table === 'api_tokens' ? 'API token' : 'role binding';
        if (!found) throw notFound(`${what} "${shownId(id)}" not found`);
        return found.tenant;
      }
    }
  }
}

/** The body's `target` (the handler validates the whole body; here only what authorization needs). */
function targetOf(body: unknown): Labels {
  const target = (body as { target?: unknown } | undefined)?.target;
  if (target === undefined) throw invalid('target: is required', 'target');
  if (target === null || typeof target !== 'object' || Array.isArray(target)) throw invalid('target: must be object', 'target');
  const bad = Object.entries(target).find(([, v]) => typeof v !== 'string');
  if (bad) throw invalid(`target.${bad[0]}: must be string`, `target.${bad[0]}`);
  return target as Labels;
}

/** The environments a caller sees in an assignment's status: its tenants', or those a GitHub caller's repository may reach. */
/** A key of what visibleEnvironments lets the caller see: callers with the same key see the same environments. */
export function visibilityKey(actor: Actor, access: Access): string {
  if (access.github) return `github:${JSON.stringify(access.github.targets.map((t) => Object.entries(t).sort()))}`;
  const visible = visibleTenants(actor);
  return visible === null ? 'all' : `tenants:${JSON.stringify([...visible].sort())}`;
}

export function visibleEnvironments(actor: Actor, access: Access): (e: { tenant: string; labels: Labels }) => boolean {
  const github = access.github;
  if (github) return (e) => github.targets.some((t) => Object.entries(t).every(([k, v]) => e.labels[k] === v));
  const visible = visibleTenants(actor);
  return (e) => visible === null || visible.includes(e.tenant);
}
