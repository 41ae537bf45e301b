// A tenant's environments as the API lists them, kept per catalog data version (decision 0005: raised by a trigger,
// in the same transaction, by every change to the tenant's environments). The list of a tenant with thousands of
// environments is asked often and changes seldom: it is read again only when the version moved. The version is read
// before the rows, so what is kept is at least as new as the version it is filed under (never older).
import type { EnvironmentRepository } from './environment.repository.js';
import type { EnvironmentView } from './environment.schemas.js';

/** Tenants whose lists are kept (the least recently read goes first). */
const KEPT_TENANTS = 64;

export class EnvironmentListCache {
  private readonly kept = new Map<string, { version: string; views: readonly EnvironmentView[] }>();

  constructor(private readonly repo: EnvironmentRepository) {}

  /** Every environment of the tenant, by name (frozen: shared by every caller until the version moves). */
  async ofTenant(tenantId: string): Promise<readonly EnvironmentView[]> {
    const version = await this.repo.tenantDataVersion(tenantId);
    if (version === undefined) return [];
    const hit = this.kept.get(tenantId);
    if (hit?.version === version) {
      this.kept.delete(tenantId);
      this.kept.set(tenantId, hit);
      return hit.views;
    }
    const rows = await this.repo.rowsOfTenant(tenantId);
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
    this.kept.set(tenantId, { version, views });
    if (this.kept.size > KEPT_TENANTS) this.kept.delete(this.kept.keys().next().value!);
    return views;
  }
}
