import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What an agent's inventory says about the cluster: each release's values hash (a real inventory only), and per
 * environment whether its last inventory was real (naisd in cluster mode) or not (dry-run: nothing to compare).
 */
export class RealInventory1733700000000 implements MigrationInterface {
  name = 'RealInventory1733700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dispatcher.releases ADD COLUMN values_hash text`);
    await q.query(`CREATE TABLE dispatcher.inventories (environment_id uuid PRIMARY KEY, real boolean NOT NULL, reported_at timestamptz NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dispatcher.inventories`);
    await q.query(`ALTER TABLE dispatcher.releases DROP COLUMN values_hash`);
  }
}
