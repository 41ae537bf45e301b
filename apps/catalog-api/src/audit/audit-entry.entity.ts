import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Append-only (a trigger refuses UPDATE and DELETE). Secrets are masked before they get here. */
@Entity({ schema: 'catalog', name: 'audit' })
export class AuditEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column('text') actor!: string;
  @Column('text') action!: string;
  @Column('text', { name: 'object_type' }) objectType!: string;
  @Column('text', { name: 'object_id' }) objectId!: string;
  @Column('uuid', { name: 'environment_id', nullable: true }) environmentId!: string | null;
  @Column('text', { nullable: true }) feature!: string | null;
  @Column('text') description!: string;
  @Column('jsonb', { nullable: true }) before!: unknown;
  @Column('jsonb', { nullable: true }) after!: unknown;
  @Column('jsonb') metadata!: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
