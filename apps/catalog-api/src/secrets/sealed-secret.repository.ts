// Every sealed secret of the catalog: secret environment values and secret configuration (`encrypted_value` of
// `catalog.environment_values` and `catalog.configs`), for key rotation. In the rotation's transaction.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

@Injectable()
export class SealedSecretRepository {
  /** Every sealed environment value, locked until the transaction ends. */
  lockValues(m: EntityManager): Promise<{ environment_id: string; key: string; encrypted_value: string }[]> {
    return m.query(`SELECT environment_id, key, encrypted_value FROM catalog.environment_values WHERE secret AND encrypted_value IS NOT NULL FOR UPDATE`);
  }

  async resealValue(m: EntityManager, environmentId: string, key: string, sealed: string): Promise<void> {
    await m.query(`UPDATE catalog.environment_values SET encrypted_value = $3 WHERE environment_id = $1 AND key = $2`, [environmentId, key, sealed]);
  }

  /** Every sealed configuration value, locked until the transaction ends. */
  lockConfigs(m: EntityManager): Promise<{ id: string; feature: string; environment_id: string | null; key: string; encrypted_value: string }[]> {
    return m.query(`SELECT id, feature, environment_id, key, encrypted_value FROM catalog.configs WHERE secret AND encrypted_value IS NOT NULL FOR UPDATE`);
  }

  async resealConfig(m: EntityManager, id: string, sealed: string): Promise<void> {
    await m.query(`UPDATE catalog.configs SET encrypted_value = $2 WHERE id = $1`, [id, sealed]);
  }
}
