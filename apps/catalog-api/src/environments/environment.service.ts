import { Injectable } from '@nestjs/common';
import { outboxEvent, type EnvironmentKind } from '@fasit/bus';
import {
  DEFAULT_DRIFT_POLICY,
  DomainError,
  dnsLabelProblem,
  type DriftPolicy,
  invalid,
  labelKeyProblem,
  labelValueProblem,
  matches,
  notFound,
  type Labels,
} from '@fasit/domain';
import type { Actor } from '../common/actor.js';
import { AnswerCache, type Answer } from '../common/answer-cache.js';
import { CatalogTransactions, type CatalogTx } from '../common/catalog-transaction.js';
import { AGENT_RELEASES } from '../common/foreign-read.js';
import { ReleaseReader } from '../releases/release.reader.js';
import { TenantService } from '../tenants/tenant.service.js';
import type { Environment } from './environment.entity.js';
import { EnvironmentRepository, type EnvironmentListRow } from './environment.repository.js';
import type { EnvironmentView } from './environment.schemas.js';

export const toEnvironmentView = (e: Environment): EnvironmentView => ({
  id: e.id,
  tenant: e.tenant.name,
  name: e.name,
  kind: e.kind,
  description: e.description,
  labels: e.labels,
  reconcile: e.reconcile,
  driftPolicy: e.driftPolicy,
  oidcIssuer: e.oidcIssuer,
  oidcDiscoveryUrl: e.oidcDiscoveryUrl,
  createdAt: e.createdAt.toISOString(),
});

const listedView = (r: EnvironmentListRow): EnvironmentView => ({
  id: r.id,
  tenant: r.tenant,
  name: r.name,
  kind: r.kind,
  description: r.description,
  labels: r.labels,
  reconcile: r.reconcile,
  driftPolicy: r.driftPolicy,
  oidcIssuer: r.oidcIssuer,
  oidcDiscoveryUrl: r.oidcDiscoveryUrl,
  createdAt: r.createdAt.toISOString(),
});

/** An http(s) URL without credentials, or a 400 naming the field. */
export function checkUrl(value: string, field: string): void {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw invalid(`${field}: "${value.slice(0, 100)}" is not a URL`, field);
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password)
    throw invalid(`${field}: must be an http(s) URL without credentials`, field);
}

export function checkLabels(labels: Labels, field = 'labels'): void {
  for (const [k, v] of Object.entries(labels)) {
    const problem = labelKeyProblem(k) ?? labelValueProblem(k, v);
    if (problem) throw invalid(problem, `${field}.${k}`);
  }
}

/** The labels every environment carries: its name, tenant and kind (added automatically, not removable). */
export function systemLabels(tenant: string, name: string, kind: EnvironmentKind): Labels {
  return { name, tenant, kind };
}

export interface UpdateEnvironmentInput {
  labels?: Labels;
  labelsMode?: 'merge' | 'replace';
  description?: string;
  reconcile?: boolean;
  driftPolicy?: DriftPolicy;
  /** null clears it. */
  oidcIssuer?: string | null;
  oidcDiscoveryUrl?: string | null;
}

/** New labels for an update: merged into (or replacing) the old ones; the system labels cannot change. */
export function updatedLabels(
  env: { name: string; kind: EnvironmentKind; labels: Labels; tenantName: string },
  input: Labels,
  mode: 'merge' | 'replace',
): Labels {
  const system = systemLabels(env.tenantName, env.name, env.kind);
  for (const [k, v] of Object.entries(system)) {
    if (input[k] !== undefined && input[k] !== v) throw invalid(`label "${k}" is set by Fasit to "${v}" and cannot be changed`, `labels.${k}`);
  }
  checkLabels(input);
  return mode === 'replace' ? { ...input, ...system } : { ...env.labels, ...input, ...system };
}

@Injectable()
export class EnvironmentService {
  constructor(
    private readonly repo: EnvironmentRepository,
    private readonly tx: CatalogTransactions,
    private readonly tenants: TenantService,
    private readonly releases: ReleaseReader,
    private readonly answers: AnswerCache,
  ) {}

  async create(
    actor: Actor,
    tenantName: string,
    input: {
      name: string;
      kind: EnvironmentKind;
      labels?: Labels;
      description?: string;
      reconcile?: boolean;
      driftPolicy?: DriftPolicy;
      oidcIssuer?: string;
      oidcDiscoveryUrl?: string;
    },
  ): Promise<EnvironmentView> {
    const problem = dnsLabelProblem('environment', input.name);
    if (problem) throw invalid(problem, 'name');
    if (input.oidcIssuer) checkUrl(input.oidcIssuer, 'oidcIssuer');
    if (input.oidcDiscoveryUrl) checkUrl(input.oidcDiscoveryUrl, 'oidcDiscoveryUrl');
    checkLabels(input.labels ?? {});
    const tenant = await this.tenants.get(tenantName);
    return this.tx.run(
      actor,
      async (tx) => {
        if (await this.repo.exists(tx.manager, tenant.id, input.name)) {
          throw new DomainError('ALREADY_EXISTS', `environment "${tenantName}/${input.name}" already exists`, { field: 'name' });
        }
        const env = await this.repo.insert(tx.manager, {
          tenantId: tenant.id,
          name: input.name,
          kind: input.kind,
          description: input.description ?? '',
          labels: { ...input.labels, ...systemLabels(tenant.name, input.name, input.kind) },
          reconcile: input.reconcile ?? true,
          driftPolicy: input.driftPolicy ?? DEFAULT_DRIFT_POLICY,
          oidcIssuer: input.oidcIssuer || null,
          oidcDiscoveryUrl: input.oidcDiscoveryUrl || null,
        });
        this.changed(tx, env, false);
        tx.audit({
          action: 'created',
          objectType: 'environment',
          objectId: env.id,
          environmentId: env.id,
          description: `created environment ${tenantName}/${env.name}`,
          after: toEnvironmentView(env),
        });
        return toEnvironmentView(env);
      },
      () => new DomainError('ALREADY_EXISTS', `environment "${tenantName}/${input.name}" already exists`, { field: 'name' }),
    );
  }

  /**
   * The tenant's environments whose labels contain `selector`, by name, serialized: kept per tenant data version
   * (decision 0005: raised by a trigger, in the same transaction, by every change to the tenant's environments or
   * their values), so a list is built again only when the version moved, by this replica or any other.
   */
  async list(tenantName: string, selector: Labels = {}, ifNoneMatch?: string): Promise<Answer> {
    const tenant = await this.repo.tenantVersion(tenantName);
    if (!tenant) throw notFound(`tenant "${tenantName}" not found`);
    const key = `environment-list\0${tenant.id}\0${JSON.stringify(Object.entries(selector).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))}`;
    const build = async () => (await this.repo.rowsOfTenant(tenant.id)).map(listedView).filter((e) => matches(selector, e.labels));
    return this.answers.answer('environment-list', key, tenant.version, build, ifNoneMatch);
  }

  async get(tenantName: string, name: string): Promise<Environment> {
    const e = await this.repo.byName(tenantName, name);
    if (!e) throw notFound(`environment "${tenantName}/${name}" not found`);
    return e;
  }

  async getById(id: string): Promise<Environment> {
    const e = await this.repo.byId(id);
    if (!e) throw notFound(`environment "${id}" not found`);
    return e;
  }

  async update(actor: Actor, tenantName: string, name: string, input: UpdateEnvironmentInput): Promise<EnvironmentView> {
    const found = await this.get(tenantName, name);
    return this.updateById(actor, found.id, input);
  }

  async updateById(actor: Actor, id: string, input: UpdateEnvironmentInput): Promise<EnvironmentView> {
    if (input.oidcIssuer) checkUrl(input.oidcIssuer, 'oidcIssuer');
    if (input.oidcDiscoveryUrl) checkUrl(input.oidcDiscoveryUrl, 'oidcDiscoveryUrl');
    return this.tx.run(actor, async (tx) => {
      const env = await this.repo.lock(tx.manager, id);
      if (!env) throw notFound(`environment "${id}" not found`);
      const before = toEnvironmentView(env);
      if (input.labels)
        env.labels = updatedLabels(
          { name: env.name, kind: env.kind, labels: env.labels, tenantName: env.tenant.name },
          input.labels,
          input.labelsMode ?? 'merge',
        );
      if (input.description !== undefined) env.description = input.description;
      if (input.reconcile !== undefined) env.reconcile = input.reconcile;
      if (input.driftPolicy !== undefined) env.driftPolicy = input.driftPolicy;
      if (input.oidcIssuer !== undefined) env.oidcIssuer = input.oidcIssuer || null;
      if (input.oidcDiscoveryUrl !== undefined) env.oidcDiscoveryUrl = input.oidcDiscoveryUrl || null;
      const after = toEnvironmentView(await this.repo.save(tx.manager, env));
      if (JSON.stringify(before) === JSON.stringify({ ...after, createdAt: before.createdAt })) return after;
      this.changed(tx, env, false);
      tx.audit({
        action: 'updated',
        objectType: 'environment',
        objectId: env.id,
        environmentId: env.id,
        description: `updated environment ${env.tenant.name}/${env.name}`,
        before,
        after,
      });
      return after;
    });
  }

  /**
   * Deletes an environment with its values, configuration and toggles. Refused while its agent reports releases
   * (other than the agent itself) unless forced: deleting it from the catalog uninstalls nothing.
   */
  async delete(actor: Actor, tenantName: string, name: string, force: boolean): Promise<void> {
    const env = await this.get(tenantName, name);
    const releases = (await this.releases.releases(env.id)).filter((r) => !AGENT_RELEASES.has(r.name));
    if (releases.length > 0 && !force) {
      throw new DomainError(
        'CONFLICT',
        `environment ${tenantName}/${name} still runs ${releases.map((r) => r.name).join(', ')}; uninstall them first, or delete with ?force=true (nothing is uninstalled)`,
      );
    }
    await this.tx.run(actor, async (tx) => {
      await this.repo.delete(tx.manager, env.id);
      this.changed(tx, env, true);
      tx.audit({
        action: 'deleted',
        objectType: 'environment',
        objectId: env.id,
        environmentId: env.id,
        description: `deleted environment ${tenantName}/${name}${force ? ' (forced)' : ''}`,
        before: toEnvironmentView(env),
        metadata: { releases: releases.map((r) => r.name) },
      });
    });
  }

  /** Records the environment change event (the matcher and reconciler follow it). */
  changed(tx: CatalogTx, env: Environment, deleted: boolean): void {
    tx.emit(
      outboxEvent('catalog.environment.changed.v1', {
        version: 'v1',
        environmentId: env.id,
        tenant: env.tenant.name,
        name: env.name,
        kind: env.kind,
        labels: env.labels,
        reconcile: env.reconcile,
        deleted,
      }),
    );
  }
}
