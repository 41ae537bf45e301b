import type { MigrationInterface, QueryRunner } from 'typeorm';

/** API tokens (stored as SHA-256 of the token, shown once), role bindings for OIDC subjects, audit look-up indexes. */
export class CatalogAccess1732500000000 implements MigrationInterface {
  name = 'CatalogAccess1732500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE catalog.role AS ENUM ('viewer', 'operator', 'admin')`);
    await q.query(`CREATE TABLE catalog.api_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      role catalog.role NOT NULL,
      tenant_id uuid REFERENCES catalog.tenants(id) ON DELETE CASCADE,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz
    )`);
    await q.query(`CREATE TABLE catalog.role_bindings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      subject text NOT NULL,
      role catalog.role NOT NULL,
      tenant_id uuid REFERENCES catalog.tenants(id) ON DELETE CASCADE,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE UNIQUE INDEX role_bindings_unique ON catalog.role_bindings (subject, COALESCE(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid))`,
    );
    await q.query(`CREATE INDEX audit_feature ON catalog.audit (feature, created_at DESC)`);
    await q.query(`CREATE INDEX audit_environment ON catalog.audit (environment_id, created_at DESC)`);
    await q.query(`CREATE INDEX audit_object ON catalog.audit (object_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS catalog.audit_object');
    await q.query('DROP INDEX IF EXISTS catalog.audit_environment');
    await q.query('DROP INDEX IF EXISTS catalog.audit_feature');
    await q.query('DROP TABLE IF EXISTS catalog.role_bindings');
    await q.query('DROP TABLE IF EXISTS catalog.api_tokens');
    await q.query('DROP TYPE IF EXISTS catalog.role');
  }
}
