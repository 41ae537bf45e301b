// A feature's configuration (`catalog.configs`): global (environment null) and per environment, with the names of
// its environment and tenant. A secret value is stored only sealed (`encrypted_value`; `value` null). Writes take
// the transaction's manager.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface FeatureConfigRow {
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

const SELECT = `SELECT c.feature, c.environment_id, t.name AS tenant, e.name AS environment, c.key, c.value, c.secret, c.encrypted_value, c.description, c.updated_by, c.updated_at
  FROM catalog.configs c LEFT JOIN catalog.environments e ON e.id = c.environment_id LEFT JOIN catalog.tenants t ON t.id = e.tenant_id`;

/** Where one key is: (feature, key) globally or in one environment. */
export interface ConfigKey {
  feature: string;
  environmentId: string | null;
  key: string;
}

@Injectable()
export class FeatureConfigRepository {
  constructor(private readonly ds: DataSource) {}

  async one(k: ConfigKey, m: EntityManager = this.ds.manager): Promise<FeatureConfigRow | undefined> {
    return (
      await m.query<FeatureConfigRow[]>(`${SELECT} WHERE c.feature = $1 AND c.key = $2 AND c.environment_id IS NOT DISTINCT FROM $3`, [
        k.feature,
        k.key,
        k.environmentId,
      ])
    )[0];
  }

  /** The key, locked until the transaction ends. */
  async lock(m: EntityManager, k: ConfigKey): Promise<FeatureConfigRow | undefined> {
    return (
      await m.query<FeatureConfigRow[]>(`${SELECT} WHERE c.feature = $1 AND c.key = $2 AND c.environment_id IS NOT DISTINCT FROM $3 FOR UPDATE OF c`, [
        k.feature,
        k.key,
        k.environmentId,
      ])
    )[0];
  }

  /** `value` null and `sealed` set for a secret. */
  async insert(m: EntityManager, k: ConfigKey, v: { value: unknown; secret: boolean; sealed: string | null; description: string; by: string }): Promise<void> {
    await m.query(
      `INSERT INTO catalog.configs (feature, environment_id, key, value, secret, encrypted_value, description, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [k.feature, k.environmentId, k.key, v.secret ? null : JSON.stringify(v.value), v.secret, v.sealed, v.description, v.by],
    );
  }

  async update(m: EntityManager, k: ConfigKey, v: { value: unknown; secret: boolean; sealed: string | null; description: string; by: string }): Promise<void> {
    await m.query(
      `UPDATE catalog.configs SET value = $4, secret = $5, encrypted_value = $6, description = $7, updated_by = $8, updated_at = now()
       WHERE feature = $1 AND key = $2 AND environment_id IS NOT DISTINCT FROM $3`,
      [k.feature, k.key, k.environmentId, v.secret ? null : JSON.stringify(v.value), v.secret, v.sealed, v.description, v.by],
    );
  }

  /** The deleted row (without tenant and environment names), if there was one. */
  async delete(m: EntityManager, k: ConfigKey): Promise<FeatureConfigRow | undefined> {
    const [rows] = await m.query<[FeatureConfigRow[], number]>(
      `DELETE FROM catalog.configs WHERE feature = $1 AND key = $2 AND environment_id IS NOT DISTINCT FROM $3
       RETURNING feature, environment_id, NULL::text AS tenant, NULL::text AS environment, key, value, secret, encrypted_value, description, updated_by, updated_at`,
      [k.feature, k.key, k.environmentId],
    );
    return rows[0];
  }

  /** The feature's keys globally (`environmentId` null) or in one environment, by key. */
  list(feature: string, environmentId: string | null): Promise<FeatureConfigRow[]> {
    return this.ds.query<FeatureConfigRow[]>(`${SELECT} WHERE c.feature = $1 AND c.environment_id IS NOT DISTINCT FROM $2 ORDER BY c.key`, [
      feature,
      environmentId,
    ]);
  }

  /** One key: the global value when `withGlobal`, and the overrides of the environments of `tenants` (null: all); global first. */
  across(feature: string, key: string, withGlobal: boolean, tenants: string[] | null): Promise<FeatureConfigRow[]> {
    return this.ds.query<FeatureConfigRow[]>(
      `${SELECT} WHERE c.feature = $1 AND c.key = $2 AND CASE WHEN c.environment_id IS NULL THEN $3::boolean ELSE ($4::text[] IS NULL OR t.name = ANY($4::text[])) END
       ORDER BY c.environment_id IS NOT NULL, t.name, e.name`,
      [feature, key, withGlobal, tenants],
    );
  }
}
