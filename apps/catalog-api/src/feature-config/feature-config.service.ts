// Configuration of a feature: global (environment null) and per environment (overrides the global one by key).
// A key must be declared as `config` in the feature's Feature.yaml (the newest version that declares it gives its
// type and whether it is secret); the value must have that type. Secret values are sealed at rest and masked on
// read unless the caller may reveal them, which is audited.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { outboxEvent } from '@fasit/bus';
import { DomainError, invalid, notFound } from '@fasit/domain';
import { validateConfigValue, type ConfigType } from '@fasit/feature-spec';
import { hasRole } from '../auth/access.js';
import type { Actor } from '../common/actor.js';
import { CatalogTransactions } from '../common/catalog-transaction.js';
import type { Environment } from '../environments/environment.entity.js';
import { checkValueSize } from '../environment-values/environment-value.service.js';
import { FeatureVersion } from '../features/feature-version.entity.js';
import { configContext, MASK, type SecretBox } from '@fasit/domain';
import { SECRET_BOX } from '../secrets/secret-box.provider.js';

export interface FeatureConfigView {
  feature: string;
  /** null for global configuration. */
  environmentId: string | null;
  tenant: string | null;
  environment: string | null;
  key: string;
  type: ConfigType | null;
  value: unknown;
  secret: boolean;
  masked: boolean;
  description: string;
  updatedBy: string;
  updatedAt: string;
}

interface Row {
  feature: string;
  environment_id: string | null;
  tenant: string | null;
  environment: string | null;
  key: string;
  value: unknown;
  secret: boolean;
  encrypted_value: string | null;
  description: string;
  updated_by: string;
  updated_at: Date;
}

export interface DeclaredKey {
  type: ConfigType;
  secret: boolean;
  version: string;
}

/** Secret when stored sealed, or when the newest Feature.yaml declares it secret (a key that became secret later). */
const isSecret = (r: { secret: boolean; key: string }, declared: Map<string, DeclaredKey>): boolean => r.secret || (declared.get(r.key)?.secret ?? false);

const SELECT = `SELECT c.feature, c.environment_id, t.name AS tenant, e.name AS environment, c.key, c.value, c.secret, c.encrypted_value, c.description, c.updated_by, c.updated_at
  FROM catalog.configs c LEFT JOIN catalog.environments e ON e.id = c.environment_id LEFT JOIN catalog.tenants t ON t.id = e.tenant_id`;

/** The declaration of a config key; a key the feature does not declare as config is refused, naming the ones it does. */
function declaredKey(feature: string, declared: Map<string, DeclaredKey>, key: string): DeclaredKey {
  const d = declared.get(key);
  if (d) return d;
  const known = [...declared.keys()].sort();
  throw invalid(
    `feature "${feature}" declares no config key "${key}"${known.length ? ` (config keys: ${known.join(', ')})` : ' (it has no config keys)'}`,
    'key',
  );
}

@Injectable()
export class FeatureConfigService {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: CatalogTransactions,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  /** The declared config keys of a feature (newest version first wins). 404 when the feature is unknown. */
  async declaredKeys(feature: string): Promise<Map<string, DeclaredKey>> {
    const versions = await this.ds.getRepository(FeatureVersion).find({ where: { feature }, order: { createdAt: 'DESC' } });
    if (versions.length === 0) throw notFound(`feature "${feature}" not found`);
    const out = new Map<string, DeclaredKey>();
    for (const v of versions) {
      for (const [key, def] of Object.entries(v.spec.values)) {
        if (def.config && !out.has(key)) out.set(key, { type: def.config.type, secret: def.config.secret ?? false, version: v.version });
      }
    }
    return out;
  }

  async put(actor: Actor, feature: string, env: Environment | null, key: string, input: { value: unknown; description?: string }): Promise<FeatureConfigView> {
    checkValueSize(input.value);
    const declared = await this.declaredKeys(feature);
    const d = declaredKey(feature, declared, key);
    const check = validateConfigValue(d.type, input.value);
    if (!check.ok) throw invalid(`value of ${key}: ${check.message}`, 'value');
    const envId = env?.id ?? null;
    const where = `${envId ? 'environment_id = $3' : 'environment_id IS NULL'}`;
    return this.tx.run(actor, async (tx) => {
      const params = envId ? [feature, key, envId] : [feature, key];
      const before = await tx.manager.query<Row[]>(`${SELECT} WHERE c.feature = $1 AND c.key = $2 AND c.${where} FOR UPDATE OF c`, params);
      const sealed = d.secret ? this.box.seal(input.value, configContext(feature, envId, key)) : null;
      const value = d.secret ? null : JSON.stringify(input.value);
      if (before[0]) {
        await tx.manager.query(
          `UPDATE catalog.configs SET value = $${params.length + 1}, secret = $${params.length + 2}, encrypted_value = $${params.length + 3}, description = $${params.length + 4}, updated_by = $${params.length + 5}, updated_at = now()
           WHERE feature = $1 AND key = $2 AND ${where}`,
          [...params, value, d.secret, sealed, input.description ?? before[0].description, actor.name],
        );
      } else {
        await tx.manager.query(
          `INSERT INTO catalog.configs (feature, environment_id, key, value, secret, encrypted_value, description, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [feature, envId, key, value, d.secret, sealed, input.description ?? '', actor.name],
        );
      }
      const row = (await tx.manager.query<Row[]>(`${SELECT} WHERE c.feature = $1 AND c.key = $2 AND c.${where}`, params))[0]!;
      const after = this.view(row, declared, false);
      tx.audit({
        action: before[0] ? 'updated' : 'created',
        objectType: 'configuration',
        objectId: `${feature}/${env ? `${env.tenant.name}/${env.name}` : 'global'}/${key}`,
        environmentId: envId,
        feature,
        description: `${before[0] ? 'updated' : 'set'} ${d.secret ? 'secret ' : ''}config ${key} of ${feature} ${env ? `in ${env.tenant.name}/${env.name}` : 'globally'}`,
        ...(before[0] ? { before: this.view(before[0], declared, false) } : {}),
        after,
      });
      tx.emit(outboxEvent('catalog.config.changed.v1', { version: 'v1', feature, environmentId: envId, key }));
      return after;
    });
  }

  async get(actor: Actor, feature: string, env: Environment | null, key: string, reveal: boolean): Promise<FeatureConfigView> {
    const declared = await this.declaredKeys(feature);
    const rows = await this.rows(feature, env, key);
    if (!rows[0]) throw notFound(`feature "${feature}" has no ${env ? `config for ${env.tenant.name}/${env.name}` : 'global config'} "${key}"`);
    return (await this.reveal(actor, rows, declared, reveal))[0]!;
  }

  async list(actor: Actor, feature: string, env: Environment | null, reveal: boolean): Promise<FeatureConfigView[]> {
    const declared = await this.declaredKeys(feature);
    return this.reveal(actor, await this.rows(feature, env), declared, reveal);
  }

  /**
   * One key compared across environments: the global value (to global viewers) and the value of every environment
   * in `tenants` (null: all) that overrides it, global first. An environment not listed uses the global value.
   */
  async across(actor: Actor, feature: string, key: string, tenants: string[] | null, reveal: boolean): Promise<FeatureConfigView[]> {
    const declared = await this.declaredKeys(feature);
    declaredKey(feature, declared, key);
    const rows = await this.ds.query<Row[]>(
      `${SELECT} WHERE c.feature = $1 AND c.key = $2 AND CASE WHEN c.environment_id IS NULL THEN $3::boolean ELSE ($4::text[] IS NULL OR t.name = ANY($4::text[])) END
       ORDER BY c.environment_id IS NOT NULL, t.name, e.name`,
      [feature, key, hasRole(actor, 'viewer', null), tenants],
    );
    return this.reveal(actor, rows, declared, reveal);
  }

  async delete(actor: Actor, feature: string, env: Environment | null, key: string): Promise<void> {
    const declared = await this.declaredKeys(feature);
    await this.tx.run(actor, async (tx) => {
      const envId = env?.id ?? null;
      const deleted = await tx.manager.query<[Row[], number]>(
        `DELETE FROM catalog.configs WHERE feature = $1 AND key = $2 AND environment_id IS NOT DISTINCT FROM $3
         RETURNING feature, environment_id, NULL::text AS tenant, NULL::text AS environment, key, value, secret, encrypted_value, description, updated_by, updated_at`,
        [feature, key, envId],
      );
      const before = deleted[0][0];
      if (!before) throw notFound(`feature "${feature}" has no ${env ? `config for ${env.tenant.name}/${env.name}` : 'global config'} "${key}"`);
      tx.audit({
        action: 'deleted',
        objectType: 'configuration',
        objectId: `${feature}/${env ? `${env.tenant.name}/${env.name}` : 'global'}/${key}`,
        environmentId: envId,
        feature,
        description: `deleted config ${key} of ${feature} ${env ? `in ${env.tenant.name}/${env.name}` : 'globally'}`,
        before: this.view({ ...before, tenant: env?.tenant.name ?? null, environment: env?.name ?? null }, declared, false),
      });
      tx.emit(outboxEvent('catalog.config.changed.v1', { version: 'v1', feature, environmentId: envId, key }));
    });
  }

  private async rows(feature: string, env: Environment | null, key?: string): Promise<Row[]> {
    return await this.ds.query<Row[]>(
      `${SELECT} WHERE c.feature = $1 AND c.environment_id IS NOT DISTINCT FROM $2 AND ($3::text IS NULL OR c.key = $3) ORDER BY c.key`,
      [feature, env?.id ?? null, key ?? null],
    );
  }

  /** Reveal secrets: operator on the environment's tenant (global config: global operator); audited per value. */
  private async reveal(actor: Actor, rows: Row[], declared: Map<string, DeclaredKey>, reveal: boolean): Promise<FeatureConfigView[]> {
    const secrets = rows.filter((r) => isSecret(r, declared));
    if (!reveal || secrets.length === 0) return rows.map((r) => this.view(r, declared, false));
    const denied = secrets.find((r) => !hasRole(actor, 'operator', r.tenant));
    if (denied)
      throw new DomainError(
        'FORBIDDEN',
        `${actor.name} may not reveal secret configuration ${denied.tenant ? `of tenant "${denied.tenant}"` : 'of every environment (global)'}: it needs the operator role`,
      );
    await this.tx.run(actor, (tx) => {
      for (const r of secrets) {
        tx.audit({
          action: 'revealed',
          objectType: 'configuration',
          objectId: `${r.feature}/${r.tenant ? `${r.tenant}/${r.environment}` : 'global'}/${r.key}`,
          environmentId: r.environment_id,
          feature: r.feature,
          description: `revealed secret config ${r.key} of ${r.feature}`,
        });
      }
    });
    return rows.map((r) => this.view(r, declared, true));
  }

  /** The opened value of a row (secret or not). */
  open(r: { feature: string; environment_id: string | null; key: string; value: unknown; secret: boolean; encrypted_value: string | null }): unknown {
    if (!r.secret) return r.value;
    return r.encrypted_value ? this.box.open(r.encrypted_value, configContext(r.feature, r.environment_id, r.key)) : null;
  }

  private view(r: Row, declared: Map<string, DeclaredKey>, reveal: boolean): FeatureConfigView {
    const secret = isSecret(r, declared);
    const masked = secret && !reveal;
    return {
      feature: r.feature,
      environmentId: r.environment_id,
      tenant: r.tenant,
      environment: r.environment,
      key: r.key,
      type: declared.get(r.key)?.type ?? null,
      value: masked ? MASK : this.open(r),
      secret,
      masked,
      description: r.description,
      updatedBy: r.updated_by,
      updatedAt: r.updated_at.toISOString(),
    };
  }
}
