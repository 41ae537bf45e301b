import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `catalog.tenants.data_version`: raised by a trigger in the same transaction as every change to the tenant's
 * environments or their values — everything a template sees of the tenant (`.Envs`, `.Management`). The
 * reconciler keeps a tenant's environments, opened and turned into template data, for as long as the version it
 * read them at is current, instead of reading and sending them for every batch.
 */
export class TenantDataVersion1732700000000 implements MigrationInterface {
  name = 'TenantDataVersion1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE catalog.tenants ADD COLUMN data_version bigint NOT NULL DEFAULT 0`);
    await q.query(`CREATE FUNCTION catalog.bump_tenant_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE row_env record;
      BEGIN
        row_env := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        IF TG_TABLE_NAME = 'environments' THEN
          UPDATE catalog.tenants SET data_version = data_version + 1 WHERE id = row_env.tenant_id;
          IF TG_OP = 'UPDATE' AND OLD.tenant_id <> NEW.tenant_id THEN
            UPDATE catalog.tenants SET data_version = data_version + 1 WHERE id = OLD.tenant_id;
          END IF;
        ELSE
          UPDATE catalog.tenants SET data_version = data_version + 1
            WHERE id IN (SELECT tenant_id FROM catalog.environments WHERE id IN (row_env.environment_id, CASE WHEN TG_OP = 'UPDATE' THEN OLD.environment_id END));
        END IF;
        RETURN NULL;
      END $$`);
    for (const table of ['environments', 'environment_values']) {
      await q.query(
        `CREATE TRIGGER ${table}_bump_tenant_data_version AFTER INSERT OR UPDATE OR DELETE ON catalog.${table} FOR EACH ROW EXECUTE FUNCTION catalog.bump_tenant_data_version()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['environments', 'environment_values']) await q.query(`DROP TRIGGER IF EXISTS ${table}_bump_tenant_data_version ON catalog.${table}`);
    await q.query(`DROP FUNCTION IF EXISTS catalog.bump_tenant_data_version()`);
    await q.query(`ALTER TABLE catalog.tenants DROP COLUMN data_version`);
  }
}
