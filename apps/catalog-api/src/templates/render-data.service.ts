// What the renderer needs from the catalog, opened (secrets decrypted) the way the reconciler opens them: a
// tenant's environments with their values, and a feature's configuration. Used by the template tester, explain
// and the reconciler dry run.
import { Injectable } from '@nestjs/common';
import type { RenderEnvironment, StoredValue } from '@fasit/templates';
import { FeatureConfigService } from '../feature-config/feature-config.service.js';
import { EnvironmentValueService } from '../environment-values/environment-value.service.js';
import { RenderDataRepository } from './render-data.repository.js';

export interface FeatureConfig {
  global: Record<string, StoredValue>;
  /** environment id → that environment's configuration of the feature */
  environment: Map<string, Record<string, StoredValue>>;
}

@Injectable()
export class RenderDataService {
  constructor(
    private readonly repo: RenderDataRepository,
    private readonly values: EnvironmentValueService,
    private readonly configs: FeatureConfigService,
  ) {}

  /** Every environment of the tenants, with its values (secrets opened), for `.Env`, `.Envs` and `.Management`. */
  async environments(tenants: string[]): Promise<RenderEnvironment[]> {
    const envRows = await this.repo.environments(tenants);
    const valueRows = await this.repo.values(envRows.map((e) => e.id));
    const byEnv = new Map<string, Record<string, StoredValue>>();
    for (const v of valueRows) byEnv.set(v.environment_id, { ...byEnv.get(v.environment_id), [v.key]: { value: this.values.open(v), secret: v.secret } });
    return envRows.map((e): RenderEnvironment => ({ id: e.id, name: e.name, kind: e.kind, tenant: e.tenant, labels: e.labels, values: byEnv.get(e.id) ?? {} }));
  }

  async featureConfig(feature: string): Promise<FeatureConfig> {
    const rows = await this.repo.featureConfig(feature);
    const out: FeatureConfig = { global: {}, environment: new Map() };
    for (const c of rows) {
      const stored = { value: this.configs.open(c), secret: c.secret };
      if (c.environment_id === null) out.global[c.key] = stored;
      else out.environment.set(c.environment_id, { ...out.environment.get(c.environment_id), [c.key]: stored });
    }
    return out;
  }
}

/** The same data with every secret replaced by the mask: what a person may see rendered without revealing. */
export function maskSecrets(values: Record<string, StoredValue>, mask: string): Record<string, StoredValue> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.secret ? { value: mask, secret: true } : v]));
}
