// The first admin token, minted with database access (decision 0008), against a real PostgreSQL database of its own.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@fasit/testing';
import { issueBootstrapToken } from '../src/auth/bootstrap-token.js';

let db: TestDatabase;
let sql: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase('boot');
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});

afterAll(async () => {
  await sql.end();
  await db.drop();
});

describe('issueBootstrapToken', () => {
  it('stores only the hash of a global admin token, audited; a second one of the same name revokes the first', async () => {
    const first = await issueBootstrapToken(db.url, { name: 'scripts-start', expiresInDays: 30, by: 'test' });
    expect(first.token).toMatch(/^fasit_[A-Za-z0-9_-]{43}$/);
    expect(first.revoked).toBe(0);
    const rows = await sql.query<{ id: string; token_hash: string; role: string; tenant_id: string | null; revoked_at: Date | null }>(
      'SELECT id, token_hash, role, tenant_id, revoked_at FROM catalog.api_tokens',
    );
    expect(rows.rows).toEqual([
      { id: first.id, token_hash: createHash('sha256').update(first.token).digest('hex'), role: 'admin', tenant_id: null, revoked_at: null },
    ]);

    const second = await issueBootstrapToken(db.url, { name: 'scripts-start', expiresInDays: 30, by: 'test again' });
    expect(second.revoked).toBe(1);
    const after = await sql.query<{ id: string; revoked: boolean }>('SELECT id, revoked_at IS NOT NULL AS revoked FROM catalog.api_tokens ORDER BY created_at');
    expect(after.rows).toEqual([
      { id: first.id, revoked: true },
      { id: second.id, revoked: false },
    ]);
    const audit = await sql.query<{ actor: string; action: string; object_id: string }>(
      `SELECT actor, action, object_id FROM catalog.audit WHERE object_type = 'api_token' ORDER BY id`,
    );
    expect(audit.rows).toEqual([
      { actor: 'bootstrap (database access): test', action: 'created', object_id: first.id },
      { actor: 'bootstrap (database access): test again', action: 'deleted', object_id: first.id },
      { actor: 'bootstrap (database access): test again', action: 'created', object_id: second.id },
    ]);
  });

  it('refuses a bad name or lifetime, naming it, and stores nothing', async () => {
    const before = (await sql.query('SELECT 1 FROM catalog.api_tokens')).rowCount;
    await expect(issueBootstrapToken(db.url, { name: 'Bad Name', expiresInDays: 30, by: 'test' })).rejects.toThrow(
      'token name "Bad Name": 1-63 lowercase letters, digits, ".", "_" or "-"',
    );
    await expect(issueBootstrapToken(db.url, { name: 'ok', expiresInDays: 400, by: 'test' })).rejects.toThrow('expiresInDays: 1 to 366');
    expect((await sql.query('SELECT 1 FROM catalog.api_tokens')).rowCount).toBe(before);
  });
});
