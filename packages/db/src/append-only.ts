import type { QueryRunner } from 'typeorm';

/** Makes a table append-only: UPDATE and DELETE raise an error (decision and deploy logs, audit). */
export async function makeAppendOnly(q: QueryRunner, table: string): Promise<void> {
  const fn = `${table}_append_only`;
  await q.query(`CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`);
  await q.query(`CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
}
