// The template tester: one template rendered against an environment's data as a computed value of Feature.yaml
// sees it, optionally with a feature's configuration (`.Configs`). Secrets are masked in the data for everyone:
// a tester is for shapes and functions, and printing a secret would be a reveal without an audit trail.
import { Injectable } from '@nestjs/common';
import { MASK, notFound, selectWinners } from '@fasit/domain';
import { functionReference, type RenderFeatureSpec, type TemplateTestResult } from '@fasit/templates';
import { AssignmentRepository } from '../assignments/assignment.repository.js';
import type { Environment } from '../environments/environment.entity.js';
import type { FeatureVersion } from '../features/feature-version.entity.js';
import { FeatureVersionRepository } from '../features/feature-version.repository.js';
import { CatalogRenderPool } from './catalog-render-pool.js';
import { maskSecrets, RenderDataService } from './render-data.service.js';

export type TemplateTestAnswer = TemplateTestResult & {
  /** The data the template saw: `.Env` keys, the feature's `.Configs` keys, the feature version used. */
  data: { envKeys: string[]; configKeys: string[]; featureVersion: string | null };
};

export interface FunctionDoc {
  name: string;
  signature: string;
  origin: string;
  group: string;
  description: string;
  example: string;
  output: string;
}

@Injectable()
export class TemplateTestService {
  constructor(
    private readonly assignments: AssignmentRepository,
    private readonly versions: FeatureVersionRepository,
    private readonly data: RenderDataService,
    private readonly pool: CatalogRenderPool,
  ) {}

  async test(env: Environment, template: string, feature?: string): Promise<TemplateTestAnswer> {
    const tenantEnvs = (await this.data.environments([env.tenant.name])).map((e) => ({ ...e, values: maskSecrets(e.values, MASK) }));
    const self = tenantEnvs.find((e) => e.id === env.id);
    if (!self) throw notFound(`environment ${env.tenant.name}/${env.name} not found`);
    let spec: RenderFeatureSpec = { values: {} };
    let featureVersion: string | null = null;
    let config = { global: {}, environment: {} };
    if (feature !== undefined) {
      const version = await this.versionFor(env, feature);
      spec = version.spec;
      featureVersion = version.version;
      const c = await this.data.featureConfig(feature);
      config = { global: maskSecrets(c.global, MASK), environment: maskSecrets(c.environment.get(env.id) ?? {}, MASK) };
    }
    const result = await this.pool
      .get()
      .testTemplate({ feature: { name: feature ?? 'template-test', spec }, environment: self, tenantEnvironments: tenantEnvs, config }, template);
    const configKeys = Object.entries(spec.values)
      .filter(([, v]) => v.config !== undefined)
      .map(([k]) => k)
      .sort();
    return { ...result, data: { envKeys: [...Object.keys(self.values), 'name', 'kind', 'labels'].sort(), configKeys, featureVersion } };
  }

  /** The version that wins the environment, else the latest stored one. */
  private async versionFor(env: Environment, feature: string): Promise<FeatureVersion> {
    const winner = selectWinners(await this.assignments.active(feature), env.labels).get(feature)?.winner;
    const version = winner ? await this.versions.one(feature, winner.version) : await this.versions.latest(feature);
    if (!version) throw notFound(`feature "${feature}" not found`);
    return version;
  }

  functions(): FunctionDoc[] {
    return functionReference.map((f) => ({
      name: f.name,
      signature: f.signature,
      origin: f.origin,
      group: f.group,
      description: f.description,
      example: f.example,
      output: f.output,
    }));
  }
}
