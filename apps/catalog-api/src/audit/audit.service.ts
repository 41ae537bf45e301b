// The audit log: every change, who, when, before and after (secrets were masked before they were written).
import { Injectable } from '@nestjs/common';
import { invalid } from '@fasit/domain';
import { AuditRepository, type AuditFilter } from './audit.repository.js';
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
  constructor(private readonly repo: AuditRepository) {}

  /** `tenants` null: every entry; otherwise only entries about environments of those tenants. */
  async search(q: AuditQuery, tenants: string[] | null): Promise<AuditView[]> {
    const filter: AuditFilter = { tenants, limit: q.limit ?? 100 };
    if (q.actor) filter.actor = q.actor;
    if (q.object) {
      const i = q.object.indexOf(':');
      filter.object = i > 0 ? { type: q.object.slice(0, i), id: q.object.slice(i + 1) } : q.object;
    }
    if (q.environment) {
      if (/^[0-9a-f-]{36}$/i.test(q.environment)) filter.environment = { id: q.environment };
      else {
        const [tenant, env] = q.environment.split('/');
        if (!tenant || !env) throw invalid('environment: an environment id or "tenant/environment"', 'environment');
        filter.environment = { tenant, name: env };
      }
    }
    if (q.feature) filter.feature = q.feature;
    if (q.q) filter.text = q.q;
    if (q.before) {
      if (!/^\d{1,18}$/.test(q.before)) throw invalid('before: an audit entry id', 'before');
      filter.beforeId = q.before;
    }
    return (await this.repo.search(filter)).map((r) => ({
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
