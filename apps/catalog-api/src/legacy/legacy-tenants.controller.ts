// The original's `GET /api/tenants` (tenants with their environments and GCP project ids), kept for its
// clients, but authenticated (the original had no authentication here) and limited to the tenants the caller sees.
import { Controller, Get } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { visibleTenants } from '../auth/access.js';
import { Allow, policies } from '../auth/policy.js';
import { CurrentActor, type Actor } from '../common/actor.js';

export interface LegacyTenant {
  id: string;
  name: string;
  environments: { id: string; name: string; kind: string; labels: Record<string, string>; gcpProjectID?: string }[];
}

@Controller('api/tenants')
export class LegacyTenantsController {
  constructor(private readonly ds: DataSource) {}

  @Get()
  @Allow(policies.anyViewer)
  async list(@CurrentActor() actor: Actor): Promise<LegacyTenant[]> {
    const only = visibleTenants(actor);
    const rows = await this.ds.query<
      { tid: string; tname: string; eid: string | null; ename: string | null; kind: string | null; labels: Record<string, string> | null; project: unknown }[]
    >(
      `SELECT t.id AS tid, t.name AS tname, e.id AS eid, e.name AS ename, e.kind, e.labels, v.value AS project
       FROM catalog.tenants t LEFT JOIN catalog.environments e ON e.tenant_id = t.id
       LEFT JOIN catalog.environment_values v ON v.environment_id = e.id AND v.key = 'project_id' AND NOT v.secret
       WHERE $1::text[] IS NULL OR t.name = ANY($1::text[]) ORDER BY t.name, e.name`,
      [only],
    );
    const out = new Map<string, LegacyTenant>();
    for (const r of rows) {
      const t = out.get(r.tid) ?? { id: r.tid, name: r.tname, environments: [] };
      out.set(r.tid, t);
      if (r.eid && r.ename && r.kind) {
        t.environments.push({
          id: r.eid,
          name: r.ename,
          kind: r.kind,
          labels: r.labels ?? {},
          ...(typeof r.project === 'string' ? { gcpProjectID: r.project } : {}),
        });
      }
    }
    return [...out.values()];
  }
}
