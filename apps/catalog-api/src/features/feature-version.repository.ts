// The catalog's features and their immutable versions (`catalog.features`, `catalog.feature_versions`). Read by
// nearly every capability, so CoreModule provides it to all. Writes take the transaction's manager.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Feature, FeatureVersion } from './feature-version.entity.js';

@Injectable()
export class FeatureVersionRepository {
  constructor(private readonly ds: DataSource) {}

  /** Whether the feature has ever been ingested. */
  async featureExists(name: string): Promise<boolean> {
    return (await this.ds.query<unknown[]>(`SELECT 1 FROM catalog.features WHERE name = $1`, [name])).length > 0;
  }

  /** Every version (of one feature, when named), newest first. */
  newestFirst(feature?: string): Promise<FeatureVersion[]> {
    return this.ds.getRepository(FeatureVersion).find({ ...(feature !== undefined ? { where: { feature } } : {}), order: { createdAt: 'DESC' } });
  }

  one(feature: string, version: string, m: EntityManager = this.ds.manager): Promise<FeatureVersion | null> {
    return m.getRepository(FeatureVersion).findOneBy({ feature, version });
  }

  /** The newest stored version of the feature. */
  latest(feature: string): Promise<FeatureVersion | null> {
    return this.ds.getRepository(FeatureVersion).findOne({ where: { feature }, order: { createdAt: 'DESC' } });
  }

  /** A version an assignment names (the foreign key keeps it there). */
  assigned(feature: string, version: string): Promise<FeatureVersion> {
    return this.ds.getRepository(FeatureVersion).findOneByOrFail({ feature, version });
  }

  all(): Promise<FeatureVersion[]> {
    return this.ds.getRepository(FeatureVersion).find();
  }

  /** Every version's environment kinds (no specs, no files). */
  kinds(): Promise<Pick<FeatureVersion, 'feature' | 'version' | 'kinds'>[]> {
    return this.ds.getRepository(FeatureVersion).find({ select: { feature: true, version: true, kinds: true } });
  }

  /** Stores a new version, and its feature the first time. */
  async insert(m: EntityManager, version: Omit<FeatureVersion, 'createdAt'>): Promise<FeatureVersion> {
    await m.getRepository(Feature).upsert({ name: version.feature }, ['name']);
    const repo = m.getRepository(FeatureVersion);
    return repo.save(repo.create(version));
  }
}
