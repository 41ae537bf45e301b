// Authorization, declared: every HTTP handler carries a Policy (`@Allow(...)`) and every gRPC method has one in
// its table; one place (`Authorizer`) enforces them. A policy says which role the caller needs and where the tenant
// of the thing it acts on comes from. A route without a policy is refused (and a test enumerates the running app's
// routes and methods to find one).
import { SetMetadata } from '@nestjs/common';
import type { Role } from '../common/actor.js';

/** Where the tenant whose role counts comes from. */
export type TenantRef =
  /** A tenant name in a path parameter (REST) or a message field (gRPC). */
  | { by: 'name'; field: string }
  /** A tenant id in a message field (gRPC). */
  | { by: 'tenantId'; field: string }
  /** The tenant of the environment whose id is in a message field (gRPC). */
  | { by: 'environmentId'; field: string }
  /** A tenant name in a body field; absent: the global role counts (API tokens, role bindings). */
  | { by: 'bodyName'; field: string }
  /** The tenant of the API token or role binding whose id is in a path parameter; none: the global role counts. */
  | { by: 'record'; table: 'api_tokens' | 'role_bindings'; field: string };

export type Scope =
  /** Any authenticated caller; the handler shows only what the caller may see. */
  | { kind: 'caller' }
  /** The role globally (features' configuration, tenants, secrets). */
  | { kind: 'global' }
  /** The role globally or on any tenant (the feature catalogue, tenant-scoped lists). */
  | { kind: 'any' }
  /** The role on one tenant; a caller that does not see the tenant gets 404. */
  | { kind: 'tenant'; tenant: TenantRef }
  /**
   * The assignment target in the body: its `tenant` label names the tenant; a target without one spans every
   * tenant, so it needs the global role.
   */
  | { kind: 'target' }
  /** The target of the assignment whose id is in a path parameter (404 when the caller may not see it). */
  | { kind: 'assignment'; field: string };

/** What GitHub Actions callers (who hold no roles) may do on a route; absent: nothing (403). */
export type GithubAccess =
  /** Create an assignment: the repository policy decides which features and targets. */
  | 'assign'
  /** Read an assignment (by id) of a feature the repository owns. */
  | 'read'
  /** List assignments: only those of features the repository owns. */
  | 'list'
  /** Anything the route shows every caller (whoami). */
  | 'self';

export interface Policy {
  readonly public?: true;
  readonly role: Role;
  readonly scope: Scope;
  readonly github?: GithubAccess;
}

export const POLICY = 'fasit:policy';

/** Declares a handler's (or a controller's) policy. */
export const Allow = (policy: Policy): MethodDecorator & ClassDecorator => SetMetadata(POLICY, policy);

const viewer: Role = 'viewer';
const path = (field: string): TenantRef => ({ by: 'name', field });

/** The policies in use, by name: routes and RPCs pick from these, so the table of who may do what is here. */
export const policies = {
  /** No authentication (health, the OpenAPI document, the Feature.yaml schema). */
  public: { public: true, role: viewer, scope: { kind: 'caller' } },
  /** Who the caller is. */
  self: { role: viewer, scope: { kind: 'caller' }, github: 'self' },
  /** Lists that show each caller only what it sees. */
  scopedList: { role: viewer, scope: { kind: 'caller' } },
  /** The feature catalogue and other tenant-free reads: any role anywhere. */
  anyViewer: { role: viewer, scope: { kind: 'any' } },
  /** Ingesting a chart (harmless and global): an operator anywhere. */
  anyOperator: { role: 'operator', scope: { kind: 'any' } },
  /** Lists of API tokens and role bindings: an admin anywhere sees those of its tenants. */
  anyAdmin: { role: 'admin', scope: { kind: 'any' } },
  globalViewer: { role: viewer, scope: { kind: 'global' } },
  globalOperator: { role: 'operator', scope: { kind: 'global' } },
  globalAdmin: { role: 'admin', scope: { kind: 'global' } },
  tenantViewer: { role: viewer, scope: { kind: 'tenant', tenant: path('tenant') } },
  tenantOperator: { role: 'operator', scope: { kind: 'tenant', tenant: path('tenant') } },
  tenantAdmin: { role: 'admin', scope: { kind: 'tenant', tenant: path('tenant') } },
  /** Issuing an API token or granting a role: admin on the body's tenant, or a global admin without one. */
  grantAdmin: { role: 'admin', scope: { kind: 'tenant', tenant: { by: 'bodyName', field: 'tenant' } } },
  tokenAdmin: { role: 'admin', scope: { kind: 'tenant', tenant: { by: 'record', table: 'api_tokens', field: 'id' } } },
  bindingAdmin: { role: 'admin', scope: { kind: 'tenant', tenant: { by: 'record', table: 'role_bindings', field: 'id' } } },
  /** Creating an assignment: operator where the target reaches; GitHub callers by their repository policy. */
  assign: { role: 'operator', scope: { kind: 'target' }, github: 'assign' },
  /** The template tester: viewer on the tenant named in the body. */
  templateTest: { role: viewer, scope: { kind: 'tenant', tenant: { by: 'bodyName', field: 'tenant' } } },
  /** Previewing one: viewer where the target reaches. */
  previewTarget: { role: viewer, scope: { kind: 'target' } },
  assignmentList: { role: viewer, scope: { kind: 'caller' }, github: 'list' },
  assignmentViewer: { role: viewer, scope: { kind: 'assignment', field: 'id' }, github: 'read' },
  assignmentOperator: { role: 'operator', scope: { kind: 'assignment', field: 'id' } },
  // gRPC: the tenant comes from the message.
  grpcTenantByName: { role: viewer, scope: { kind: 'tenant', tenant: { by: 'name', field: 'name' } } },
  grpcTenantViewer: { role: viewer, scope: { kind: 'tenant', tenant: { by: 'tenantId', field: 'tenant_id' } } },
  grpcTenantAdmin: { role: 'admin', scope: { kind: 'tenant', tenant: { by: 'tenantId', field: 'tenant_id' } } },
  grpcEnvironmentViewer: { role: viewer, scope: { kind: 'tenant', tenant: { by: 'environmentId', field: 'environment_id' } } },
  grpcEnvironmentOperator: { role: 'operator', scope: { kind: 'tenant', tenant: { by: 'environmentId', field: 'environment_id' } } },
} as const satisfies Record<string, Policy>;
