// The audit log (`catalog.audit`, append-only: a trigger refuses UPDATE and DELETE). Entries are written by the
// transaction helper (CatalogTx.flush) with the change they record; this reads them.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface AuditRow {
  id: string;
  actor: string;
  action: string;
  object_type: string;
  object_id: string;
  environment_id: string | null;
  feature: string | null;
  description: string;
  before: unknown;
  after: unknown;
  metadata: Record<string, unknown>;
  created_at: Date;
}

/** Every condition is optional; all given must hold. */
export interface AuditFilter {
  actor?: string;
  /** `{ type, id }`, or a string that is either an object id or an object type. */
  object?: { type: string; id: string } | string;
  environment?: { id: string } | { tenant: string; name: string };
  feature?: string;
  /** Matched case-insensitively against the description, as written (no wildcards). */
  text?: string;
  /** Only entries older than this id. */
  beforeId?: string;
  /** Only entries about environments of these tenants (null: all). */
  tenants: string[] | null;
  limit: number;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly ds: DataSource) {}

  /** Newest first. */
  search(f: AuditFilter): Promise<AuditRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (f.actor) where.push(`a.actor = ${p(f.actor)}`);
    if (typeof f.object === 'string') where.push(`(a.object_id = ${p(f.object)} OR a.object_type = $${params.length})`);
    else if (f.object) where.push(`a.object_type = ${p(f.object.type)} AND a.object_id = ${p(f.object.id)}`);
    if (f.environment && 'id' in f.environment) where.push(`a.environment_id = ${p(f.environment.id)}::uuid`);
    else if (f.environment) {
      where.push(
        `a.environment_id IN (SELECT e.id FROM catalog.environments e JOIN catalog.tenants t ON t.id = e.tenant_id WHERE t.name = ${p(f.environment.tenant)} AND e.name = ${p(f.environment.name)})`,
      );
    }
    if (f.feature) where.push(`a.feature = ${p(f.feature)}`);
    if (f.text) where.push(`a.description ILIKE ${p(`%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
    if (f.beforeId) where.push(`a.id < ${p(f.beforeId)}::bigint`);
    if (f.tenants !== null) {
      where.push(
        `a.environment_id IN (SELECT e.id FROM catalog.environments e JOIN catalog.tenants t ON t.id = e.tenant_id WHERE t.name = ANY(${p(f.tenants)}::text[]))`,
      );
    }
    return this.ds.query<AuditRow[]>(
      `SELECT a.id::text AS id, a.actor, a.action, a.object_type, a.object_id, a.environment_id, a.feature, a.description, a.before, a.after, a.metadata, a.created_at
       FROM catalog.audit a ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.id DESC LIMIT ${p(f.limit)}`,
      params,
    );
  }
}
