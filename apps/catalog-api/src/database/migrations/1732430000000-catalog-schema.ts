import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTable } from '@fasit/bus';
import { makeAppendOnly } from '@fasit/db';

export class CatalogSchema1732430000000 implements MigrationInterface {
  name = 'CatalogSchema1732430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE catalog.environment_kind AS ENUM ('management', 'tenant', 'onprem', 'legacy')`);
    await q.query(`CREATE TABLE catalog.tenants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL UNIQUE,
      description text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE catalog.environments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES catalog.tenants(id) ON DELETE RESTRICT,
      name text NOT NULL,
      kind catalog.environment_kind NOT NULL,
      description text NOT NULL DEFAULT '',
      labels jsonb NOT NULL DEFAULT '{}',
      reconcile boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, name)
    )`);
    await q.query(`CREATE INDEX environments_labels ON catalog.environments USING gin (labels jsonb_path_ops)`);
    await q.query(`CREATE TABLE catalog.environment_values (
      environment_id uuid NOT NULL REFERENCES catalog.environments(id) ON DELETE CASCADE,
      key text NOT NULL,
      value jsonb,
      secret boolean NOT NULL DEFAULT false,
      encrypted_value text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (environment_id, key)
    )`);
    await q.query(`CREATE INDEX environment_values_key ON catalog.environment_values (key)`);
    await q.query(`CREATE TABLE catalog.features (
      name text PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE catalog.feature_versions (
      feature text NOT NULL REFERENCES catalog.features(name),
      version text NOT NULL,
      chart text NOT NULL CHECK (chart ~ '^oci://.+$'),
      chart_digest text NOT NULL,
      description text NOT NULL DEFAULT '',
      source text,
      kinds catalog.environment_kind[] NOT NULL,
      dependencies jsonb NOT NULL DEFAULT '[]',
      spec jsonb NOT NULL,
      default_values jsonb NOT NULL DEFAULT '{}',
      timeout_ms bigint NOT NULL DEFAULT 0,
      feature_yaml text NOT NULL,
      values_yaml text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (feature, version)
    )`);
    await q.query(`CREATE TABLE catalog.assignments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      feature text NOT NULL,
      version text NOT NULL,
      target jsonb NOT NULL DEFAULT '{}',
      description text NOT NULL DEFAULT '',
      source_ref jsonb,
      active boolean NOT NULL DEFAULT true,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      deactivated_at timestamptz,
      replaced_by uuid,
      FOREIGN KEY (feature, version) REFERENCES catalog.feature_versions(feature, version)
    )`);
    await q.query(`CREATE UNIQUE INDEX assignments_one_active ON catalog.assignments (feature, target) WHERE active`);
    await q.query(`CREATE INDEX assignments_feature ON catalog.assignments (feature, created_at DESC)`);
    await q.query(`CREATE TABLE catalog.configs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      feature text NOT NULL,
      environment_id uuid REFERENCES catalog.environments(id) ON DELETE CASCADE,
      key text NOT NULL,
      value jsonb,
      secret boolean NOT NULL DEFAULT false,
      encrypted_value text,
      description text NOT NULL DEFAULT '',
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE UNIQUE INDEX configs_global ON catalog.configs (feature, key) WHERE environment_id IS NULL`);
    await q.query(`CREATE UNIQUE INDEX configs_environment ON catalog.configs (environment_id, feature, key) WHERE environment_id IS NOT NULL`);
    await q.query(`CREATE TABLE catalog.disabled_features (
      environment_id uuid NOT NULL REFERENCES catalog.environments(id) ON DELETE CASCADE,
      feature text NOT NULL,
      reason text NOT NULL,
      disabled_by text NOT NULL,
      disabled_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (environment_id, feature)
    )`);
    await q.query(`CREATE TABLE catalog.audit (
      id bigserial PRIMARY KEY,
      actor text NOT NULL,
      action text NOT NULL,
      object_type text NOT NULL,
      object_id text NOT NULL,
      environment_id uuid,
      feature text,
      description text NOT NULL DEFAULT '',
      before jsonb,
      after jsonb,
      metadata jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX audit_created ON catalog.audit (created_at DESC)`);
    await makeAppendOnly(q, 'catalog.audit');
    await createOutboxTable(q, 'catalog');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'outbox',
      'audit',
      'disabled_features',
      'configs',
      'assignments',
      'feature_versions',
      'features',
      'environment_values',
      'environments',
      'tenants',
    ]) {
      await q.query(`DROP TABLE IF EXISTS catalog.${t} CASCADE`);
    }
    await q.query('DROP FUNCTION IF EXISTS catalog.audit_append_only');
    await q.query('DROP TYPE IF EXISTS catalog.environment_kind');
  }
}
