// The matcher's published read contract: the `matcher_api` views the reconciler reads (real PostgreSQL, the
// matcher's own migrations). Their columns are the contract; the views refuse writes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { initializeAndMigrate } from '@fasit/db';
import { createTestDatabase, type TestDatabase } from '@fasit/testing';
import type { DataSource } from 'typeorm';
import { matcherDataSource } from '../src/database/matcher-data-source.js';

let db: TestDatabase;
let ds: DataSource;
const environmentId = randomUUID();
const assignmentId = randomUUID();

beforeAll(async () => {
  db = await createTestDatabase('matcher_api');
  ds = matcherDataSource(db.url, 2);
  await initializeAndMigrate(ds);
  await ds.query(`INSERT INTO matcher.winners (environment_id, feature, assignment_id) VALUES ($1, 'f', $2)`, [environmentId, assignmentId]);
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

describe('matcher_api, the views other services read', () => {
  it('publishes exactly the documented view and columns', async () => {
    const views = await ds.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.views WHERE table_schema = 'matcher_api' ORDER BY table_name`,
    );
    expect(views.map((r) => r.table_name)).toEqual(['winners']);
    const columns = await ds.query<{ column_name: string }[]>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'matcher_api' AND table_name = 'winners' ORDER BY ordinal_position`,
    );
    expect(columns.map((r) => r.column_name)).toEqual(['environment_id', 'feature', 'assignment_id']);
  });

  it('shows the winners', async () => {
    expect(await ds.query(`SELECT environment_id, feature, assignment_id FROM matcher_api.winners`)).toEqual([
      { environment_id: environmentId, feature: 'f', assignment_id: assignmentId },
    ]);
  });

  it.each([
    [`UPDATE matcher_api.winners SET feature = 'g'`],
    [`DELETE FROM matcher_api.winners`],
    [`INSERT INTO matcher_api.winners (environment_id, feature, assignment_id) VALUES (gen_random_uuid(), 'h', gen_random_uuid())`],
  ])('refuses a write through the view, changing nothing: %s', async (statement) => {
    await expect(ds.query(statement)).rejects.toThrow('matcher_api.winners is a read-only view of the matcher');
    expect(await ds.query(`SELECT feature FROM matcher.winners`)).toEqual([{ feature: 'f' }]);
  });
});
