import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An environment's OIDC issuer and discovery URL (for validating tokens minted in that cluster). */
export class EnvironmentOidc1732600000000 implements MigrationInterface {
  name = 'EnvironmentOidc1732600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE catalog.environments ADD COLUMN oidc_issuer text, ADD COLUMN oidc_discovery_url text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE catalog.environments DROP COLUMN oidc_discovery_url, DROP COLUMN oidc_issuer`);
  }
}
