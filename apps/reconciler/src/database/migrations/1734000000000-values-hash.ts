import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each decision records `values_hash`: `valuesHash` (@fasit/domain) of the values it rendered, the function naisd
 * hashes the values helm holds with, so what a release holds compares with what Fasit deployed (drift). Null for a
 * decision without rendered values, and for decisions taken before this column.
 */
export class ReconcilerValuesHash1734000000000 implements MigrationInterface {
  name = 'ReconcilerValuesHash1734000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reconciler.decisions ADD COLUMN values_hash text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reconciler.decisions DROP COLUMN values_hash`);
  }
}
