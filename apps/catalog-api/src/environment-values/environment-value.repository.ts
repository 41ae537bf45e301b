// An environment's values (`catalog.environment_values`), with the names of their environment and tenant. A secret
// value is stored only sealed (`encrypted_value`; `value` null). Writes take the transaction's manager.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface EnvironmentValueRow {
  environment_id: string;
  tenant: string;
  environment: string;
  key: string;
  value: unknown;
  secret: boolean;
  encrypted_value: string | null;
  updated_at: Date;
}

const SELECT = `SELECT v.environment_id, t.name AS tenant, e.name AS environment, v.key, v.value, v.secret, v.encrypted_value, v.updated_at
  FROM catalog.environment_values v JOIN catalog.environments e ON e.id = v.environment_id JOIN catalog.tenants t ON t.id = e.tenant_id`;

@Injectable()
export class EnvironmentValueRepository {
  constructor(private readonly ds: DataSource) {}

  async one(environmentId: string, key: string, m: EntityManager = this.ds.manager): Promise<EnvironmentValueRow | undefined> {
    return (await m.query<EnvironmentValueRow[]>(`${SELECT} WHERE v.environment_id = $1 AND v.key = $2`, [environmentId, key]))[0];
  }

  /** The value, locked until the transaction ends. */
  async lock(m: EntityManager, environmentId: string, key: string): Promise<EnvironmentValueRow | undefined> {
    return (await m.query<EnvironmentValueRow[]>(`${SELECT} WHERE v.environment_id = $1 AND v.key = $2 FOR UPDATE OF v`, [environmentId, key]))[0];
  }

  /** `value` null and `sealed` set for a secret. */
  async upsert(m: EntityManager, environmentId: string, key: string, v: { value: unknown; secret: boolean; sealed: string | null }): Promise<void> {
    await m.query(
      `INSERT INTO catalog.environment_values (environment_id, key, value, secret, encrypted_value, updated_at) VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (environment_id, key) DO UPDATE SET value = EXCLUDED.value, secret = EXCLUDED.secret, encrypted_value = EXCLUDED.encrypted_value, updated_at = now()`,
      [environmentId, key, v.secret ? null : JSON.stringify(v.value), v.secret, v.sealed],
    );
  }

  async delete(m: EntityManager, environmentId: string, key: string): Promise<void> {
    await m.query(`DELETE FROM catalog.environment_values WHERE environment_id = $1 AND key = $2`, [environmentId, key]);
  }

  ofEnvironment(environmentId: string): Promise<EnvironmentValueRow[]> {
    return this.ds.query<EnvironmentValueRow[]>(`${SELECT} WHERE v.environment_id = $1 ORDER BY v.key`, [environmentId]);
  }

  /** The key in every environment of the tenants (`tenants` null: of all), by tenant and environment. */
  acrossEnvironments(key: string, tenants: string[] | null): Promise<EnvironmentValueRow[]> {
    return this.ds.query<EnvironmentValueRow[]>(`${SELECT} WHERE v.key = $1 AND ($2::text[] IS NULL OR t.name = ANY($2::text[])) ORDER BY t.name, e.name`, [
      key,
      tenants,
    ]);
  }
}
