// Key rotation: re-seals every secret (environment values and configuration) that is not sealed with the active
// key. Run it after putting a new key first in FASIT_SECRET_KEYS; afterwards the old key can be removed.
import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor.js';
import { CatalogTransactions } from '../common/catalog-transaction.js';
import { configContext, envValueContext, type SecretBox } from '@fasit/domain';
import { SECRET_BOX } from './secret-box.provider.js';
import { SealedSecretRepository } from './sealed-secret.repository.js';

@Injectable()
export class SecretRotationService {
  constructor(
    private readonly secrets: SealedSecretRepository,
    private readonly tx: CatalogTransactions,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  async rotate(actor: Actor): Promise<{ activeKey: string; environmentValues: number; configs: number }> {
    return this.tx.run(actor, async (tx) => {
      const values = await this.secrets.lockValues(tx.manager);
      let environmentValues = 0;
      for (const v of values.filter((r) => this.box.needsRotation(r.encrypted_value))) {
        const ctx = envValueContext(v.environment_id, v.key);
        await this.secrets.resealValue(tx.manager, v.environment_id, v.key, this.box.seal(this.box.open(v.encrypted_value, ctx), ctx));
        environmentValues++;
      }
      const configs = await this.secrets.lockConfigs(tx.manager);
      let configCount = 0;
      for (const c of configs.filter((r) => this.box.needsRotation(r.encrypted_value))) {
        const ctx = configContext(c.feature, c.environment_id, c.key);
        await this.secrets.resealConfig(tx.manager, c.id, this.box.seal(this.box.open(c.encrypted_value, ctx), ctx));
        configCount++;
      }
      const result = { activeKey: this.box.activeKeyId, environmentValues, configs: configCount };
      tx.audit({
        action: 'updated',
        objectType: 'secret_keys',
        objectId: this.box.activeKeyId,
        description: `re-sealed ${environmentValues} environment values and ${configCount} configs with key ${this.box.activeKeyId}`,
        metadata: result,
      });
      return result;
    });
  }
}
