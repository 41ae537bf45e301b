import type { MigrationInterface, QueryRunner } from 'typeorm';

const VIEWS = ['tenants', 'assignments', 'feature_versions', 'environment_values', 'configs', 'disabled_features'] as const;

/**
 * `catalog_api` v2: what the reconciler reads to render a pair (its snapshot), as read-only views beside v1's
 * `environments` and `active_assignments`. Secret values are published sealed only (`sealed`: the catalog's
 * AES-256-GCM envelope), as the tables hold them.
 */
export class CatalogApiSnapshotViews1733600000000 implements MigrationInterface {
  name = 'CatalogApiSnapshotViews1733600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE VIEW catalog_api.tenants AS SELECT id, name, data_version FROM catalog.tenants`);
    await q.query(
      `COMMENT ON VIEW catalog_api.tenants IS 'Every tenant with its data version, raised in the same transaction as every change to its environments or their values.'`,
    );
    await q.query(`CREATE VIEW catalog_api.assignments AS SELECT id, feature, version, target, active, created_at FROM catalog.assignments`);
    await q.query(`COMMENT ON VIEW catalog_api.assignments IS 'Every assignment, active or not (a winner may name one deactivated a moment ago).'`);
    await q.query(`CREATE VIEW catalog_api.feature_versions AS
      SELECT feature, version, chart, chart_digest, kinds::text[] AS kinds, spec, dependencies, timeout_ms FROM catalog.feature_versions`);
    await q.query(
      `COMMENT ON VIEW catalog_api.feature_versions IS 'Every published feature version: its chart, the kinds it runs in, its Feature.yaml spec and dependencies.'`,
    );
    await q.query(`CREATE VIEW catalog_api.environment_values AS
      SELECT environment_id, key, value, secret, encrypted_value AS sealed FROM catalog.environment_values`);
    await q.query(`COMMENT ON VIEW catalog_api.environment_values IS 'The values of each environment; a secret is sealed, its value null.'`);
    await q.query(`CREATE VIEW catalog_api.configs AS
      SELECT feature, environment_id, key, value, secret, encrypted_value AS sealed FROM catalog.configs`);
    await q.query(
      `COMMENT ON VIEW catalog_api.configs IS 'Feature configuration, global (environment_id null) or for one environment; a secret is sealed, its value null.'`,
    );
    await q.query(`CREATE VIEW catalog_api.disabled_features AS SELECT environment_id, feature FROM catalog.disabled_features`);
    await q.query(`COMMENT ON VIEW catalog_api.disabled_features IS 'The features switched off in an environment.'`);
    for (const view of VIEWS) {
      await q.query(
        `CREATE TRIGGER refuse_write INSTEAD OF INSERT OR UPDATE OR DELETE ON catalog_api.${view} FOR EACH ROW EXECUTE FUNCTION catalog_api.refuse_write()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const view of [...VIEWS].reverse()) await q.query(`DROP VIEW catalog_api.${view}`);
  }
}
