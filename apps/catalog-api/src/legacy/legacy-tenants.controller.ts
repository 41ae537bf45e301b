// The original's `GET /api/tenants` (tenants with their environments and GCP project ids), kept for its
// clients, but authenticated (the original had no authentication here) and limited to the tenants the caller sees.
import { Controller, Get } from '@nestjs/common';
import { visibleTenants } from '../auth/access.js';
import { Allow, policies } from '../auth/policy.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { LegacyTenantRepository } from './legacy-tenant.repository.js';

export interface LegacyTenant {
  id: string;
  name: string;
  environments: { id: string; name: string; kind: string; labels: Record<string, string>; gcpProjectID?: string }[];
}

@Controller('api/tenants')
export class LegacyTenantsController {
  constructor(private readonly repo: LegacyTenantRepository) {}

  @Get()
  @Allow(policies.anyViewer)
  async list(@CurrentActor() actor: Actor): Promise<LegacyTenant[]> {
    const only = visibleTenants(actor);
    const rows = await this.repo.tenantsWithEnvironments(only);
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
