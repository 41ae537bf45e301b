// The management RPCs, mapped onto the catalog services. Authorization happened before (GRPC_POLICIES, the same
// Authorizer as REST); what is left here is what a method shows (secrets opened only where the caller may).
import { Injectable } from '@nestjs/common';
import type { EnvironmentKind } from '@fasit/bus';
import { driftPolicies, invalid, isDriftPolicy, type DriftPolicy } from '@fasit/domain';
import { hasRole, visibleTenants } from '../auth/access.js';
import { checkDocument } from '../common/text-input.js';
import type { Actor } from '../common/actor.js';

import { EnvironmentValueService } from '../environment-values/environment-value.service.js';
import type { Environment as EnvironmentEntity } from '../environments/environment.entity.js';
import { EnvironmentService, toEnvironmentView } from '../environments/environment.service.js';
import { TenantService } from '../tenants/tenant.service.js';
import type { CreateEnvironmentRequest__Output } from './generated/fasit/management/v1/CreateEnvironmentRequest.js';
import type { CreateEnvironmentResponse } from './generated/fasit/management/v1/CreateEnvironmentResponse.js';
import type { CreateTenantRequest__Output } from './generated/fasit/management/v1/CreateTenantRequest.js';
import type { CreateTenantResponse } from './generated/fasit/management/v1/CreateTenantResponse.js';
import type { DeleteEnvironmentValueRequest__Output } from './generated/fasit/management/v1/DeleteEnvironmentValueRequest.js';
import type { DeleteEnvironmentValueResponse } from './generated/fasit/management/v1/DeleteEnvironmentValueResponse.js';
import type { Environment } from './generated/fasit/management/v1/Environment.js';
import type { EnvironmentValue } from './generated/fasit/management/v1/EnvironmentValue.js';
import type { GetEnvironmentRequest__Output } from './generated/fasit/management/v1/GetEnvironmentRequest.js';
import type { GetEnvironmentResponse } from './generated/fasit/management/v1/GetEnvironmentResponse.js';
import type { GetEnvironmentValueRequest__Output } from './generated/fasit/management/v1/GetEnvironmentValueRequest.js';
import type { GetEnvironmentValueResponse } from './generated/fasit/management/v1/GetEnvironmentValueResponse.js';
import type { GetTenantRequest__Output } from './generated/fasit/management/v1/GetTenantRequest.js';
import type { GetTenantResponse } from './generated/fasit/management/v1/GetTenantResponse.js';
import type { Label__Output } from './generated/fasit/management/v1/Label.js';
import type { ListEnvironmentValuesRequest__Output } from './generated/fasit/management/v1/ListEnvironmentValuesRequest.js';
import type { ListEnvironmentValuesResponse } from './generated/fasit/management/v1/ListEnvironmentValuesResponse.js';
import type { SetEnvironmentValueRequest__Output } from './generated/fasit/management/v1/SetEnvironmentValueRequest.js';
import type { SetEnvironmentValueResponse } from './generated/fasit/management/v1/SetEnvironmentValueResponse.js';
import type { UpdateEnvironmentRequest__Output } from './generated/fasit/management/v1/UpdateEnvironmentRequest.js';
import type { UpdateEnvironmentResponse } from './generated/fasit/management/v1/UpdateEnvironmentResponse.js';
import type { EnvironmentValueView } from '../environment-values/environment-value.schemas.js';
import type { EnvironmentView } from '../environments/environment.schemas.js';

const KINDS: Record<string, EnvironmentKind | undefined> = { MANAGEMENT: 'management', TENANT: 'tenant', ONPREM: 'onprem' };
const KIND_NAMES = { management: 'MANAGEMENT', tenant: 'TENANT', onprem: 'ONPREM', legacy: 'LEGACY' } as const;

function labelsOf(list: Label__Output[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of list) {
    if (l.key in out) throw invalid(`label "${l.key}" is given twice`, `labels.${l.key}`);
    out[l.key] = l.value;
  }
  return out;
}

const toEnvironment = (e: EnvironmentView, tenantId: string): Environment => ({
  id: e.id,
  tenant_id: tenantId,
  name: e.name,
  kind: KIND_NAMES[e.kind],
  labels: Object.entries(e.labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, value })),
  description: e.description,
  reconcile: e.reconcile,
  oidc_issuer: e.oidcIssuer ?? '',
  oidc_discovery_url: e.oidcDiscoveryUrl ?? '',
  drift_policy: e.driftPolicy,
});

/** A drift policy as the proto carries it (a string), or INVALID_ARGUMENT naming the field. */
function driftPolicyOf(value: string): DriftPolicy {
  if (!isDriftPolicy(value)) throw invalid(`drift_policy: must be one of ${driftPolicies.join(', ')} (got "${value.slice(0, 40)}")`, 'drift_policy');
  return value;
}

function parseJson(bytes: Buffer): unknown {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    throw invalid('value: must be JSON (bytes of a JSON document)', 'value');
  }
  checkDocument(value, 'value');
  return value;
}

@Injectable()
export class ManagementApi {
  constructor(
    private readonly tenants: TenantService,
    private readonly environments: EnvironmentService,
    private readonly values: EnvironmentValueService,
  ) {}

  private environment(id: string): Promise<EnvironmentEntity> {
    return this.environments.getById(id);
  }

  private toValue(v: EnvironmentValueView, tenantId: string): EnvironmentValue {
    return {
      environment_id: v.environmentId,
      key: v.key,
      value: Buffer.from(JSON.stringify(v.value)),
      secret: v.secret,
      tenant_id: tenantId,
      environment_name: v.environment,
      tenant_name: v.tenant,
    };
  }

  async createTenant(actor: Actor, r: CreateTenantRequest__Output): Promise<CreateTenantResponse> {
    if (r.description.length > 1000) throw invalid('description: at most 1000 characters', 'description');
    const t = await this.tenants.create(actor, { name: r.name, description: r.description });
    return { tenant: { id: t.id, name: t.name, description: t.description } };
  }

  async getTenant(r: GetTenantRequest__Output): Promise<GetTenantResponse> {
    const t = await this.tenants.get(r.name);
    return { tenant: { id: t.id, name: t.name, description: t.description } };
  }

  async createEnvironment(actor: Actor, r: CreateEnvironmentRequest__Output): Promise<CreateEnvironmentResponse> {
    const tenant = await this.tenants.getById(r.tenant_id);
    const kind = KINDS[r.kind];
    if (!kind) throw invalid(`kind: must be MANAGEMENT, TENANT or ONPREM (got ${r.kind})`, 'kind');
    if (r.description.length > 1000) throw invalid('description: at most 1000 characters', 'description');
    const e = await this.environments.create(actor, tenant.name, {
      name: r.name,
      kind,
      labels: labelsOf(r.labels),
      description: r.description,
      ...(r.oidc_issuer ? { oidcIssuer: r.oidc_issuer } : {}),
      ...(r.oidc_discovery_url ? { oidcDiscoveryUrl: r.oidc_discovery_url } : {}),
      ...(r.drift_policy ? { driftPolicy: driftPolicyOf(r.drift_policy) } : {}),
    });
    return { environment: toEnvironment(e, tenant.id) };
  }

  async getEnvironment(r: GetEnvironmentRequest__Output): Promise<GetEnvironmentResponse> {
    const tenant = await this.tenants.getById(r.tenant_id);
    return { environment: toEnvironment(toEnvironmentView(await this.environments.get(tenant.name, r.name)), tenant.id) };
  }

  async updateEnvironment(actor: Actor, r: UpdateEnvironmentRequest__Output): Promise<UpdateEnvironmentResponse> {
    const driftPolicy = r.drift_policy !== undefined ? driftPolicyOf(r.drift_policy) : undefined;
    const env = await this.environment(r.environment_id);
    const e = await this.environments.updateById(actor, env.id, {
      labels: labelsOf(r.labels),
      labelsMode: 'replace',
      ...(r.oidc_issuer !== undefined ? { oidcIssuer: r.oidc_issuer || null } : {}),
      ...(r.oidc_discovery_url !== undefined ? { oidcDiscoveryUrl: r.oidc_discovery_url || null } : {}),
      ...(driftPolicy !== undefined ? { driftPolicy } : {}),
    });
    return { environment: toEnvironment(e, env.tenantId) };
  }

  async setEnvironmentValue(actor: Actor, r: SetEnvironmentValueRequest__Output): Promise<SetEnvironmentValueResponse> {
    const env = await this.environment(r.environment_id);
    await this.values.put(actor, env, r.key, { value: parseJson(r.value), secret: r.secret });
    return { success: true };
  }

  /** Secrets come back unmasked (as in the original): the caller needs the operator role, and it is audited. */
  async getEnvironmentValue(actor: Actor, r: GetEnvironmentValueRequest__Output): Promise<GetEnvironmentValueResponse> {
    const env = await this.environment(r.environment_id);
    return { environment_value: this.toValue(await this.values.get(actor, env, r.key, true), env.tenantId) };
  }

  async listEnvironmentValues(actor: Actor, r: ListEnvironmentValuesRequest__Output): Promise<ListEnvironmentValuesResponse> {
    // Secrets are opened where the caller may (operator on the tenant, audited) and stay masked elsewhere.
    const masked = await this.values.across(actor, r.key, visibleTenants(actor), false);
    const openable = [...new Set(masked.filter((v) => v.secret && hasRole(actor, 'operator', v.tenant)).map((v) => v.tenant))];
    const opened = openable.length > 0 ? await this.values.across(actor, r.key, openable, true) : [];
    const byEnv = new Map(opened.map((v) => [v.environmentId, v]));
    const list = masked.map((v) => byEnv.get(v.environmentId) ?? v);
    const out: EnvironmentValue[] = [];
    for (const v of list) out.push(this.toValue(v, (await this.environments.getById(v.environmentId)).tenantId));
    return { values: out };
  }

  async deleteEnvironmentValue(actor: Actor, r: DeleteEnvironmentValueRequest__Output): Promise<DeleteEnvironmentValueResponse> {
    const env = await this.environment(r.environment_id);
    await this.values.delete(actor, env, r.key);
    return { success: true };
  }
}
