// A tenant's environments as the API lists them, kept per catalog data version (decision 0005: raised by a trigger,
// in the same transaction, by every change to the tenant's environments). The list of a tenant with thousands of
// environments is asked often and changes seldom: it is read again only when the version moved. The version is read
// before the rows, so what is kept is at least as new as the version it is filed under (never older).
import type { DataSource } from 'typeorm';
import type { EnvironmentKind } from '@fasit/bus';
import type { DriftPolicy } from '@fasit/domain';
import type { EnvironmentView } from './environment.schemas.js';

/** Tenants whose lists are kept (the least recently read goes first). */
const KEPT_TENANTS = 64;

interface Row {
  id: string;
  tenant: string;
  name: string;
  kind: EnvironmentKind;
  description: string;
  labels: Record<string, string>;
  reconcile: boolean;
  driftPolicy: DriftPolicy;
  oidcIssuer: string | null;
  oidcDiscoveryUrl: string | null;
  createdAt: Date;
}

export class EnvironmentListCache {
  private readonly kept = new Map<string, { version: string; views: readonly EnvironmentView[] }>();

  constructor(private readonly ds: DataSource) {}

  /** Every environment of the tenant, by name (frozen: shared by every caller until the version moves). */
  async ofTenant(tenantId: string): Promise<readonly EnvironmentView[]> {
    const [tenant] = await this.ds.query<{ version: string }[]>(`SELECT data_version::text AS version FROM catalog.tenants WHERE id = $1`, [tenantId]);
    if (!tenant) return [];
    const hit = this.kept.get(tenantId);
    if (hit?.version === tenant.version) {
      this.kept.delete(tenantId);
      this.kept.set(tenantId, hit);
      return hit.views;
    }
    const rows = await this.ds.query<Row[]>(
      `SELECT e.id, t.name AS tenant, e.name, e.kind, e.description, e.labels, e.reconcile, e.drift_policy AS "driftPolicy",
              e.oidc_issuer AS "oidcIssuer", e.oidc_discovery_url AS "oidcDiscoveryUrl", e.created_at AS "createdAt"
       FROM catalog.environments e JOIN catalog.tenants t ON t.id = e.tenant_id WHERE e.tenant_id = $1 ORDER BY e.name`,
      [tenantId],
    );
    const views = Object.freeze(
      rows.map((r): EnvironmentView =>
        Object.freeze({
          id: r.id,
          tenant: r.tenant,
          name: r.name,
          kind: r.kind,
          description: r.description,
          labels: Object.freeze(r.labels),
          reconcile: r.reconcile,
          driftPolicy: r.driftPolicy,
          oidcIssuer: r.oidcIssuer,
          oidcDiscoveryUrl: r.oidcDiscoveryUrl,
          createdAt: r.createdAt.toISOString(),
        }),
      ),
    );
    this.kept.delete(tenantId);
    this.kept.set(tenantId, { version: tenant.version, views });
    if (this.kept.size > KEPT_TENANTS) this.kept.delete(this.kept.keys().next().value!);
    return views;
  }
}
