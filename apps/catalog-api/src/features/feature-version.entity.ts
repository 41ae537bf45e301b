import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { EnvironmentKind } from '@fasit/bus';
import type { FeatureDependency, FeatureSpec } from '@fasit/feature-spec';

@Entity({ schema: 'catalog', name: 'features' })
export class Feature {
  @PrimaryColumn('text') name!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** One ingested chart version: immutable once stored. */
@Entity({ schema: 'catalog', name: 'feature_versions' })
export class FeatureVersion {
  @PrimaryColumn('text') feature!: string;
  @PrimaryColumn('text') version!: string;
  @Column('text') chart!: string;
  @Column('text', { name: 'chart_digest' }) chartDigest!: string;
  @Column('text') description!: string;
  @Column('text', { nullable: true }) source!: string | null;
  @Column({ type: 'enum', enumName: 'environment_kind', enum: ['management', 'tenant', 'onprem', 'legacy'], array: true }) kinds!: EnvironmentKind[];
  @Column('jsonb') dependencies!: FeatureDependency[];
  @Column('jsonb') spec!: FeatureSpec;
  @Column('jsonb', { name: 'default_values' }) defaultValues!: Record<string, unknown>;
  @Column('bigint', { name: 'timeout_ms', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) timeoutMs!: number;
  @Column('text', { name: 'feature_yaml' }) featureYaml!: string;
  @Column('text', { name: 'values_yaml' }) valuesYaml!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
