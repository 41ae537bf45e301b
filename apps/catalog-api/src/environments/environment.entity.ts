import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { EnvironmentKind } from '@fasit/bus';
import type { DriftPolicy } from '@fasit/domain';
import { Tenant } from '../tenants/tenant.entity.js';

@Entity({ schema: 'catalog', name: 'environments' })
export class Environment {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @ManyToOne(() => Tenant, { eager: true })
  @JoinColumn({ name: 'tenant_id' })
  tenant!: Tenant;
  @Column('text') name!: string;
  @Column({ type: 'enum', enumName: 'environment_kind', enum: ['management', 'tenant', 'onprem', 'legacy'] }) kind!: EnvironmentKind;
  @Column('text') description!: string;
  @Column('jsonb') labels!: Record<string, string>;
  @Column('boolean') reconcile!: boolean;
  @Column('text', { name: 'drift_policy' }) driftPolicy!: DriftPolicy;
  @Column('text', { name: 'oidc_issuer', nullable: true }) oidcIssuer!: string | null;
  @Column('text', { name: 'oidc_discovery_url', nullable: true }) oidcDiscoveryUrl!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity({ schema: 'catalog', name: 'environment_values' })
export class EnvironmentValue {
  @Column('uuid', { name: 'environment_id', primary: true }) environmentId!: string;
  @Column('text', { primary: true }) key!: string;
  @Column('jsonb', { nullable: true }) value!: unknown;
  @Column('boolean') secret!: boolean;
  @Column('text', { name: 'encrypted_value', nullable: true }) encryptedValue!: string | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
