// The embedded PostgreSQL (PGlite behind our socket server) with several connections at once, as the embedded
// platform uses it: every service has its own pool, so parameterised statements and transactions of different
// connections arrive interleaved and must neither mix nor see each other's uncommitted work.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createServiceDataSource, initializeAndMigrate } from '../src/data-source.js';
import { makeAppendOnly } from '../src/append-only.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/embedded-postgres.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function client(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined); // terminated connections report here; the tests look at the query results
  await c.connect();
  return c;
}

/** Settles to 'pending' when `p` has not settled within `ms`. */
async function stateAfter(p: Promise<unknown>, ms: number): Promise<'pending' | 'settled'> {
  return Promise.race([
    p.then(
      () => 'settled' as const,
      () => 'settled' as const,
    ),
    sleep(ms).then(() => 'pending' as const),
  ]);
}

describe('embedded PostgreSQL (PGlite behind the socket server): several connections at once', () => {
  let pgl: EmbeddedPostgres;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fasit-pglite-'));
    pgl = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: 0 });
    const c = await client(pgl.url);
    await c.query('CREATE TABLE items (id serial PRIMARY KEY, owner int NOT NULL, n int NOT NULL, label text NOT NULL)');
    await c.query('CREATE TABLE marks (v text NOT NULL)');
    await c.end();
  });

  afterAll(async () => {
    await pgl?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers hundreds of interleaved parameterised statements and transactions from 8 connections correctly', async () => {
    const clients = await Promise.all(Array.from({ length: 8 }, () => client(pgl.url)));
    const rounds = 40;
    await Promise.all(
      clients.map(async (c, owner) => {
        for (let i = 0; i < rounds; i++) {
          // Statements with different parameter counts: mixed across connections they could not bind.
          const one = await c.query<{ v: number }>('SELECT $1::int * 2 AS v', [owner * 1000 + i]);
          expect(one.rows).toEqual([{ v: (owner * 1000 + i) * 2 }]);
          const three = await c.query<{ s: number; t: string }>('SELECT $1::int + $2::int AS s, $3::text AS t', [owner, i, `c${owner}`]);
          expect(three.rows).toEqual([{ s: owner + i, t: `c${owner}` }]);
          await c.query('BEGIN');
          await c.query('INSERT INTO items (owner, n, label) VALUES ($1, $2, $3)', [owner, i, `c${owner}-${i}`]);
          const mine = await c.query<{ count: string; max: number }>('SELECT count(*), max(n) FROM items WHERE owner = $1', [owner]);
          expect(mine.rows[0]).toEqual({ count: String(i + 1), max: i });
          if (i % 5 === 4) await c.query('ROLLBACK');
          else await c.query('COMMIT');
          if (i % 5 === 4) await c.query('INSERT INTO items (owner, n, label) VALUES ($1, $2, $3)', [owner, i, `c${owner}-${i}`]);
          // An error inside a pipeline leaves the connection usable and does not touch the others.
          if (i % 10 === 7) await expect(c.query('SELECT $1::int / 0', [owner])).rejects.toThrow('division by zero');
        }
      }),
    );
    const counts = await clients[0]!.query<{ owner: number; count: string; labels: string }>(
      `SELECT owner, count(*), count(DISTINCT label) AS labels FROM items GROUP BY owner ORDER BY owner`,
    );
    expect(counts.rows).toEqual(clients.map((_, owner) => ({ owner, count: String(rounds), labels: String(rounds) })));
    await Promise.all(clients.map((c) => c.end()));
  });

  it('keeps an open transaction to itself: the other connections wait, and neither see nor join it until it ends', async () => {
    const [a, b] = await Promise.all([client(pgl.url), client(pgl.url)]);
    await a.query('BEGIN');
    await a.query('INSERT INTO marks (v) VALUES ($1)', ['a-rolled-back']);
    const order: string[] = [];
    const bInsert = b.query('INSERT INTO marks (v) VALUES ($1)', ['b']).then(() => order.push('b inserted'));
    const bRead = b.query<{ v: string }>('SELECT v FROM marks ORDER BY v').then((r) => r.rows.map((x) => x.v));
    expect(await stateAfter(bInsert, 300)).toBe('pending');
    const inside = await a.query<{ v: string }>('SELECT v FROM marks ORDER BY v');
    expect(inside.rows.map((x) => x.v)).toEqual(['a-rolled-back']);
    await a.query('ROLLBACK');
    order.push('a rolled back');
    await bInsert;
    expect(order).toEqual(['a rolled back', 'b inserted']);
    expect(await bRead).toEqual(['b']);

    await a.query('BEGIN');
    await a.query('INSERT INTO marks (v) VALUES ($1)', ['a-committed']);
    const bSees = b.query<{ v: string }>('SELECT v FROM marks ORDER BY v').then((r) => r.rows.map((x) => x.v));
    expect(await stateAfter(bSees, 200)).toBe('pending');
    await a.query('COMMIT');
    expect(await bSees).toEqual(['a-committed', 'b']);
    await a.end();
    await b.end();
  });

  it('rolls back the open transaction of a connection that goes away, whether it says goodbye or just drops', async () => {
    const other = await client(pgl.url);
    for (const how of ['terminate', 'drop'] as const) {
      const c = await client(pgl.url);
      await c.query('BEGIN');
      await c.query('INSERT INTO marks (v) VALUES ($1)', [`gone-${how}`]);
      const waiting = other.query<{ n: string }>('SELECT count(*) AS n FROM marks WHERE v LIKE $1', ['gone-%']);
      if (how === 'terminate') await c.end();
      else (c as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      expect((await waiting).rows).toEqual([{ n: '0' }]);
      // No transaction is left open: a new one starts cleanly and others are not held back.
      const notices: string[] = [];
      other.on('notice', (n) => notices.push(n.message ?? ''));
      await other.query('BEGIN');
      await other.query('COMMIT');
      expect(notices).toEqual([]);
      other.removeAllListeners('notice');
    }
    // An unfinished extended-query sequence (Parse/Bind/Execute/Flush without Sync) of a dropped connection too.
    const raw = connect(Number(new URL(pgl.url).port), '127.0.0.1');
    await new Promise((r) => raw.once('connect', r));
    const msg = (type: string, body: Buffer) => {
      const head = Buffer.alloc(5);
      head.write(type, 'latin1');
      head.writeInt32BE(body.length + 4, 1);
      return Buffer.concat([head, body]);
    };
    const cstr = (s: string) => Buffer.from(`${s}\0`);
    const startup = Buffer.concat([Buffer.alloc(8), cstr('user'), cstr('postgres'), cstr('database'), cstr('postgres'), Buffer.from([0])]);
    startup.writeInt32BE(startup.length, 0);
    startup.writeInt32BE(196608, 4);
    const received: Buffer[] = [];
    raw.on('data', (d: Buffer) => received.push(d));
    raw.write(startup);
    raw.write(Buffer.concat([msg('Q', cstr('BEGIN')), msg('P', Buffer.concat([cstr(''), cstr("INSERT INTO marks (v) VALUES ('raw')"), Buffer.from([0, 0])]))]));
    raw.write(
      Buffer.concat([
        msg('B', Buffer.concat([cstr(''), cstr(''), Buffer.from([0, 0, 0, 0, 0, 0])])),
        msg('E', Buffer.concat([cstr(''), Buffer.from([0, 0, 0, 0])])),
        msg('H', Buffer.alloc(0)),
      ]),
    );
    const deadline = Date.now() + 5000;
    while (!Buffer.concat(received).toString('latin1').includes('INSERT 0 1') && Date.now() < deadline) await sleep(20);
    expect(Buffer.concat(received).toString('latin1')).toContain('INSERT 0 1');
    raw.destroy();
    expect((await other.query<{ n: string }>('SELECT count(*) AS n FROM marks WHERE v = $1', ['raw'])).rows).toEqual([{ n: '0' }]);
    await other.end();
  });

  it('runs TypeORM migrations and everything the services use: uuids, enums, jsonb_path_ops, append-only triggers, advisory locks, SKIP LOCKED, unnest, make_interval', async () => {
    const migrations = (schema: string) => {
      class Schema1 implements MigrationInterface {
        name = 'Schema1700000000001';
        async up(q: QueryRunner): Promise<void> {
          await q.query(`CREATE TYPE ${schema}.kind AS ENUM ('management', 'tenant')`);
          await q.query(
            `CREATE TABLE ${schema}.things (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), kind ${schema}.kind NOT NULL, labels jsonb NOT NULL DEFAULT '{}', created_at timestamptz NOT NULL DEFAULT now())`,
          );
          await q.query(`CREATE INDEX things_labels ON ${schema}.things USING gin (labels jsonb_path_ops)`);
          await q.query(`CREATE TABLE ${schema}.log (id bigserial PRIMARY KEY, msg text NOT NULL)`);
          await makeAppendOnly(q, `${schema}.log`);
        }
        async down(): Promise<void> {}
      }
      class Schema2 implements MigrationInterface {
        name = 'Schema1700000000002';
        async up(q: QueryRunner): Promise<void> {
          await q.query(`ALTER TABLE ${schema}.things ADD COLUMN kinds ${schema}.kind[] NOT NULL DEFAULT '{}'`);
        }
        async down(): Promise<void> {}
      }
      return [Schema1, Schema2];
    };
    // Three services starting together, each with its own schema and pool, as in the embedded platform.
    const schemas = ['svc_a', 'svc_b', 'svc_c'];
    const sources = schemas.map((schema) => createServiceDataSource({ url: pgl.url, schema, entities: [], migrations: migrations(schema), poolSize: 3 }));
    await Promise.all(sources.map((s) => initializeAndMigrate(s)));
    for (const schema of schemas) {
      const applied = await sources[0]!.query<{ name: string }[]>(`SELECT name FROM ${schema}.${schema}_migrations ORDER BY id`);
      expect(applied.map((m) => m.name)).toEqual(['Schema1700000000001', 'Schema1700000000002']);
    }
    // Starting again finds nothing to do.
    const again = createServiceDataSource({ url: pgl.url, schema: 'svc_a', entities: [], migrations: migrations('svc_a'), poolSize: 2 });
    await initializeAndMigrate(again);
    expect(await again.showMigrations()).toBe(false);
    await again.destroy();

    const ds = sources[0]!;
    const [thing] = await ds.query<{ id: string; kind: string }[]>(`INSERT INTO svc_a.things (kind, labels, kinds) VALUES ($1, $2, $3) RETURNING id, kind`, [
      'tenant',
      { team: 'a' },
      ['tenant', 'management'],
    ]);
    expect(thing!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await expect(ds.query(`INSERT INTO svc_a.things (kind) VALUES ($1)`, ['nope'])).rejects.toThrow('invalid input value for enum');
    await ds.query(`INSERT INTO svc_a.things (kind, labels) SELECT 'management', jsonb_build_object('team', 'b', 'i', i) FROM generate_series(1, 50) i`);
    expect(await ds.query(`SELECT count(*)::int AS n FROM svc_a.things WHERE labels @> $1`, [{ team: 'b' }])).toEqual([{ n: 50 }]);
    await ds.query('SET enable_seqscan = off');
    const plan = await ds.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN SELECT id FROM svc_a.things WHERE labels @> '{"team": "b"}'`);
    await ds.query('RESET enable_seqscan');
    expect(plan.map((p) => p['QUERY PLAN']).join('\n')).toContain('things_labels');

    await ds.query(`INSERT INTO svc_a.log (msg) VALUES ('first')`);
    await expect(ds.query(`UPDATE svc_a.log SET msg = 'changed'`)).rejects.toThrow('log is append-only');
    await expect(ds.query(`DELETE FROM svc_a.log`)).rejects.toThrow('log is append-only');

    const inserted = await ds.query<{ msg: string }[]>(
      `INSERT INTO svc_a.log (msg) SELECT m || ':' || k FROM unnest($1::text[], $2::text[]) AS l(m, k) RETURNING msg`,
      [
        ['a', 'b'],
        ['x', 'y'],
      ],
    );
    expect(inserted.map((r) => r.msg)).toEqual(['a:x', 'b:y']);
    expect(await ds.query(`SELECT now() - make_interval(secs => $1) < now() AS ok, make_interval(days => $2::int) AS d`, [30, 3])).toEqual([
      { ok: true, d: { days: 3 } },
    ]);

    // Transaction-level advisory locks and row locks, from the three pools at once.
    const results = await Promise.all(
      sources.flatMap((s, i) =>
        [0, 1, 2].map((j) =>
          s.transaction(async (m) => {
            await m.query(`SELECT pg_advisory_xact_lock(hashtext('svc:' || $1))`, [`k${j}`]);
            const [lock] = await m.query<{ ok: boolean }[]>(`SELECT pg_try_advisory_xact_lock(hashtext('svc-sweep')) AS ok`);
            const rows = await m.query<{ id: string }[]>(`SELECT id FROM svc_a.things WHERE kind = 'management' ORDER BY id LIMIT 5 FOR UPDATE SKIP LOCKED`);
            await m.query(`INSERT INTO svc_a.log (msg) VALUES ($1)`, [`tx ${i}.${j}`]);
            return { ok: lock!.ok, rows: rows.length };
          }),
        ),
      ),
    );
    expect(results).toEqual(Array.from({ length: 9 }, () => ({ ok: true, rows: 5 })));
    expect(await ds.query(`SELECT count(*)::int AS n FROM svc_a.log WHERE msg LIKE 'tx %'`)).toEqual([{ n: 9 }]);
    await Promise.all(sources.map((s) => s.destroy()));
  });
});

describe('embedded PostgreSQL: a connection idle in an open transaction', () => {
  it('is terminated after the timeout, its transaction rolled back, and the others go on', async () => {
    const pgl = await startEmbeddedPostgres({ port: 0, idleInTransactionTimeoutMs: 400 });
    try {
      const [a, b] = await Promise.all([client(pgl.url), client(pgl.url)]);
      await a.query('CREATE TABLE t (v text)');
      await a.query('BEGIN');
      await a.query(`INSERT INTO t VALUES ('a')`);
      const started = Date.now();
      const read = await b.query<{ n: string }>('SELECT count(*) AS n FROM t');
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(read.rows).toEqual([{ n: '0' }]);
      await expect(a.query('COMMIT')).rejects.toThrow();
      await b.end();
    } finally {
      await pgl.stop();
    }
  });
});
