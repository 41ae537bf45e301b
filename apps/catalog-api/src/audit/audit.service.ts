// The audit log: every change, who, when, before and after (secrets were masked before they were written).
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { invalid } from '@fasit/domain';
import type { AuditView } from './audit.schemas.js';

export interface AuditQuery {
  actor?: string;
  /** An object id, an object type (`assignment`), or `type:id`. */
  object?: string;
  /** An environment id or `tenant/environment`. */
  environment?: string;
  feature?: string;
  /** Free text, matched against the description. */
  q?: string;
  limit?: number;
  /** Entries older than this id (paging: pass the last id of the previous page). */
  before?: string;
}

@Injectable()
export class AuditService {
  constructor(private readonly ds: DataSource) {}

  /** `tenants` null: every entry; otherwise only entries about environments of those tenants. */
  async query(q: AuditQuery, tenants: string[] | null): Promise<AuditView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.actor) where.push(`a.actor = ${p(q.actor)}`);
    if (q.object) {
      const i = q.object.indexOf(':');
      if (i > 0) where.push(`a.object_type = ${p(q.object.slice(0, i))} AND a.object_id = ${p(q.object.slice(i + 1))}`);
      else where.push(`(a.object_id = ${p(q.object)} OR a.object_type = $${params.length})`);
    }
    if (q.environment) {
      if (/^[0-9a-f-]{36}$/i.test(q.environment)) where.push(`a.environment_id = ${p(q.environment)}::uuid`);
      else {
        const [tenant, env] = q.environment.split('/');
        if (!tenant || !env) throw invalid('environment: an environment id or "tenant/environment"', 'environment');
        where.push(
          `a.environment_id IN (SELECT e.id FROM catalog.environments e JOIN catalog.tenants t ON t.id = e.tenant_id WHERE t.name = ${p(tenant)} AND e.name = ${p(env)})`,
        );
      }
    }
    if (q.feature) where.push(`a.feature = ${p(q.feature)}`);
    if (q.q) where.push(`a.description ILIKE ${p(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
    if (q.before) {
      if (!/^\d{1,18}$/.test(q.before)) throw invalid('before: an audit entry id', 'before');
      where.push(`a.id < ${p(q.before)}::bigint`);
    }
    if (tenants !== null) {
      where.push(
        `a.environment_id IN (SELECT e.id FROM catalog.environments e JOIN catalog.tenants t ON t.id = e.tenant_id WHERE t.name = ANY(${p(tenants)}::text[]))`,
      );
    }
    const rows = await this.ds.query<
      {
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
      }[]
    >(
      `SELECT a.id::text AS id, a.actor, a.action, a.object_type, a.object_id, a.environment_id, a.feature, a.description, a.before, a.after, a.metadata, a.created_at
       FROM catalog.audit a ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.id DESC LIMIT ${p(q.limit ?? 100)}`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      actor: r.actor,
      action: r.action,
      objectType: r.object_type,
      objectId: r.object_id,
      environmentId: r.environment_id,
      feature: r.feature,
      description: r.description,
      before: r.before,
      after: r.after,
      metadata: r.metadata,
      createdAt: r.created_at.toISOString(),
    }));
  }
}
