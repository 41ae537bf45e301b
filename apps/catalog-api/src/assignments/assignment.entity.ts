import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export interface SourceRef {
  owner?: string;
  repo?: string;
  /** A commit (GitHub Actions: the commit the workflow ran on), branch or tag. */
  ref?: string;
  /** GitHub Actions: the workflow run and the workflow file (`owner/repo/.github/workflows/x.yml@refs/heads/main`), from the token. */
  runId?: string;
  workflow?: string;
}

@Entity({ schema: 'catalog', name: 'assignments' })
export class Assignment {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') feature!: string;
  @Column('text') version!: string;
  @Column('jsonb') target!: Record<string, string>;
  @Column('text') description!: string;
  @Column('jsonb', { name: 'source_ref', nullable: true }) sourceRef!: SourceRef | null;
  @Column('boolean') active!: boolean;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @Column('timestamptz', { name: 'created_at', default: () => 'clock_timestamp()' }) createdAt!: Date;
  @Column('timestamptz', { name: 'deactivated_at', nullable: true }) deactivatedAt!: Date | null;
  @Column('uuid', { name: 'replaced_by', nullable: true }) replacedBy!: string | null;
}
