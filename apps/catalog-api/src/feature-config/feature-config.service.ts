// Configuration of a feature: global (environment null) and per environment (overrides the global one by key).
// A key must be declared as `config` in the feature's Feature.yaml (the newest version that declares it gives its
// type and whether it is secret); the value must have that type. Secret values are sealed at rest and masked on
// read unless the caller may reveal them, which is audited.
import { Inject, Injectable } from '@nestjs/common';
import { outboxEvent } from '@fasit/bus';
import { DomainError, invalid, notFound } from '@fasit/domain';
import { validateConfigValue, type ConfigType } from '@fasit/feature-spec';
import { hasRole } from '../auth/access.js';
import type { Actor } from '../common/actor.js';
import { CatalogTransactions } from '../common/catalog-transaction.js';
import type { Environment } from '../environments/environment.entity.js';
import { checkValueSize } from '../environment-values/environment-value.service.js';
import { FeatureVersionRepository } from '../features/feature-version.repository.js';
import { configContext, MASK, type SecretBox } from '@fasit/domain';
import { SECRET_BOX } from '../secrets/secret-box.provider.js';
import { FeatureConfigRepository, type FeatureConfigRow as Row } from './feature-config.repository.js';
import type { FeatureConfigView } from './feature-config.schemas.js';

export interface DeclaredKey {
  type: ConfigType;
  secret: boolean;
  version: string;
}

/** Secret when stored sealed, or when the newest Feature.yaml declares it secret (a key that became secret later). */
const isSecret = (r: { secret: boolean; key: string }, declared: Map<string, DeclaredKey>): boolean => r.secret || (declared.get(r.key)?.secret ?? false);

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
    private readonly repo: FeatureConfigRepository,
    private readonly versions: FeatureVersionRepository,
    private readonly tx: CatalogTransactions,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  /** The declared config keys of a feature (newest version first wins). 404 when the feature is unknown. */
  async declaredKeys(feature: string): Promise<Map<string, DeclaredKey>> {
    const versions = await this.versions.newestFirst(feature);
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
    const where = { feature, environmentId: envId, key };
    return this.tx.run(actor, async (tx) => {
      const before = await this.repo.lock(tx.manager, where);
      const sealed = d.secret ? this.box.seal(input.value, configContext(feature, envId, key)) : null;
      const stored = { value: input.value, secret: d.secret, sealed, by: actor.name };
      if (before) await this.repo.update(tx.manager, where, { ...stored, description: input.description ?? before.description });
      else await this.repo.insert(tx.manager, where, { ...stored, description: input.description ?? '' });
      const after = this.view((await this.repo.one(where, tx.manager))!, declared, false);
      tx.audit({
        action: before ? 'updated' : 'created',
        objectType: 'configuration',
        objectId: `${feature}/${env ? `${env.tenant.name}/${env.name}` : 'global'}/${key}`,
        environmentId: envId,
        feature,
        description: `${before ? 'updated' : 'set'} ${d.secret ? 'secret ' : ''}config ${key} of ${feature} ${env ? `in ${env.tenant.name}/${env.name}` : 'globally'}`,
        ...(before ? { before: this.view(before, declared, false) } : {}),
        after,
      });
      tx.emit(outboxEvent('catalog.config.changed.v1', { version: 'v1', feature, environmentId: envId, key }));
      return after;
    });
  }

  async get(actor: Actor, feature: string, env: Environment | null, key: string, reveal: boolean): Promise<FeatureConfigView> {
    const declared = await this.declaredKeys(feature);
    const row = await this.repo.one({ feature, environmentId: env?.id ?? null, key });
    if (!row) throw notFound(`feature "${feature}" has no ${env ? `config for ${env.tenant.name}/${env.name}` : 'global config'} "${key}"`);
    return (await this.reveal(actor, [row], declared, reveal))[0]!;
  }

  async list(actor: Actor, feature: string, env: Environment | null, reveal: boolean): Promise<FeatureConfigView[]> {
    const declared = await this.declaredKeys(feature);
    return this.reveal(actor, await this.repo.list(feature, env?.id ?? null), declared, reveal);
  }

  /**
   * One key compared across environments: the global value (to global viewers) and the value of every environment
   * in `tenants` (null: all) that overrides it, global first. An environment not listed uses the global value.
   */
  async across(actor: Actor, feature: string, key: string, tenants: string[] | null, reveal: boolean): Promise<FeatureConfigView[]> {
    const declared = await this.declaredKeys(feature);
    declaredKey(feature, declared, key);
    return this.reveal(actor, await this.repo.across(feature, key, hasRole(actor, 'viewer', null), tenants), declared, reveal);
  }

  async delete(actor: Actor, feature: string, env: Environment | null, key: string): Promise<void> {
    const declared = await this.declaredKeys(feature);
    await this.tx.run(actor, async (tx) => {
      const envId = env?.id ?? null;
      const before = await this.repo.delete(tx.manager, { feature, environmentId: envId, key });
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
