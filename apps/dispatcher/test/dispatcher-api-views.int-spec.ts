// The dispatcher's published read contract: the `dispatcher_api` views the reconciler and the catalog API read
// (real PostgreSQL, the dispatcher's own migrations). Their columns are the contract; the views refuse writes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { initializeAndMigrate } from '@fasit/db';
import { createTestDatabase, type TestDatabase } from '@fasit/testing';
import type { DataSource } from 'typeorm';
import { dispatcherDataSource } from '../src/database/dispatcher-data-source.js';

let db: TestDatabase;
let ds: DataSource;
const environmentId = randomUUID();
const diid = randomUUID();
const assignmentId = randomUUID();
const reportedAt = new Date('2026-12-01T10:00:00Z');
const VALUES_HASH = 'a'.repeat(64);

beforeAll(async () => {
  db = await createTestDatabase('dispatcher_api');
  ds = dispatcherDataSource(db.url, 2);
  await initializeAndMigrate(ds);
  await ds.query(
    `INSERT INTO dispatcher.deploy_statuses (diid, environment_id, feature, assignment_id, feature_version, status, hash) VALUES ($1, $2, 'f', $3, '1.0.0', 'sent', 'h1'), ($1, $2, 'f', $3, '1.0.0', 'failed', 'h1')`,
    [diid, environmentId, assignmentId],
  );
  await ds.query(`INSERT INTO dispatcher.deploy_log_lines (diid, time, msg, kind) VALUES ($1, $2, 'helm upgrade', 'helm')`, [diid, reportedAt]);
  await ds.query(`INSERT INTO dispatcher.agent_health (environment_id, tenant, environment, agent_version, reported_at) VALUES ($1, 't', 'dev', '2.0.0', $2)`, [
    environmentId,
    reportedAt,
  ]);
  await ds.query(
    `INSERT INTO dispatcher.releases (environment_id, name, chart_version, status, revision, last_deployed, reported_at, values_hash) VALUES ($1, 'f', '1.0.0', 'deployed', 3, $2, $2, $3)`,
    [environmentId, reportedAt, VALUES_HASH],
  );
  await ds.query(`INSERT INTO dispatcher.inventories (environment_id, real, reported_at) VALUES ($1, true, $2)`, [environmentId, reportedAt]);
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

const columns = async (view: string): Promise<string[]> =>
  (
    await ds.query<{ column_name: string }[]>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'dispatcher_api' AND table_name = $1 ORDER BY ordinal_position`,
      [view],
    )
  ).map((r) => r.column_name);

describe('dispatcher_api, the views other services read', () => {
  it('publishes exactly the documented views and columns', async () => {
    const views = await ds.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.views WHERE table_schema = 'dispatcher_api' ORDER BY table_name`,
    );
    expect(views.map((r) => r.table_name)).toEqual([
      'agent_health',
      'deploy_log_lines',
      'deploy_statuses',
      'inventories',
      'latest_deploy_statuses',
      'releases',
    ]);
    expect(await columns('deploy_statuses')).toEqual([
      'id',
      'diid',
      'environment_id',
      'feature',
      'assignment_id',
      'feature_version',
      'status',
      'hash',
      'error',
      'created_at',
    ]);
    expect(await columns('latest_deploy_statuses')).toEqual(['environment_id', 'feature', 'id', 'diid', 'status', 'hash', 'feature_version', 'created_at']);
    expect(await columns('deploy_log_lines')).toEqual(['id', 'diid', 'time', 'msg', 'kind']);
    expect(await columns('agent_health')).toEqual(['environment_id', 'agent_version', 'reported_at']);
    expect(await columns('releases')).toEqual(['environment_id', 'name', 'chart_version', 'status', 'revision', 'last_deployed', 'reported_at', 'values_hash']);
    expect(await columns('inventories')).toEqual(['environment_id', 'real', 'reported_at']);
  });

  it('shows what the dispatcher recorded', async () => {
    expect(await ds.query(`SELECT diid, environment_id, feature, status, hash FROM dispatcher_api.deploy_statuses ORDER BY id`)).toEqual([
      { diid, environment_id: environmentId, feature: 'f', status: 'sent', hash: 'h1' },
      { diid, environment_id: environmentId, feature: 'f', status: 'failed', hash: 'h1' },
    ]);
    // the newest status of the pair, one row
    expect(await ds.query(`SELECT diid, environment_id, feature, status, hash FROM dispatcher_api.latest_deploy_statuses`)).toEqual([
      { diid, environment_id: environmentId, feature: 'f', status: 'failed', hash: 'h1' },
    ]);
    expect(await ds.query(`SELECT diid, msg, kind FROM dispatcher_api.deploy_log_lines`)).toEqual([{ diid, msg: 'helm upgrade', kind: 'helm' }]);
    expect(await ds.query(`SELECT environment_id, agent_version, reported_at FROM dispatcher_api.agent_health`)).toEqual([
      { environment_id: environmentId, agent_version: '2.0.0', reported_at: reportedAt },
    ]);
    expect(
      await ds.query(`SELECT name, chart_version, status, revision, values_hash FROM dispatcher_api.releases WHERE environment_id = $1`, [environmentId]),
    ).toEqual([{ name: 'f', chart_version: '1.0.0', status: 'deployed', revision: 3, values_hash: VALUES_HASH }]);
    expect(await ds.query(`SELECT environment_id, real, reported_at FROM dispatcher_api.inventories`)).toEqual([
      { environment_id: environmentId, real: true, reported_at: reportedAt },
    ]);
  });

  it.each([
    ['deploy_statuses', `UPDATE dispatcher_api.deploy_statuses SET status = 'deployed'`],
    ['deploy_statuses', `DELETE FROM dispatcher_api.deploy_statuses`],
    ['agent_health', `UPDATE dispatcher_api.agent_health SET agent_version = '0.0.1'`],
    ['latest_deploy_statuses', `UPDATE dispatcher_api.latest_deploy_statuses SET status = 'deployed'`],
    ['releases', `DELETE FROM dispatcher_api.releases`],
    ['releases', `UPDATE dispatcher_api.releases SET values_hash = NULL`],
    ['inventories', `UPDATE dispatcher_api.inventories SET real = false`],
    ['deploy_log_lines', `INSERT INTO dispatcher_api.deploy_log_lines (diid, time, msg, kind) VALUES (gen_random_uuid(), now(), 'forged', 'helm')`],
  ])('refuses a write through %s, changing nothing: %s', async (view, statement) => {
    await expect(ds.query(statement)).rejects.toThrow(`dispatcher_api.${view} is a read-only view of the dispatcher`);
    expect(await ds.query(`SELECT status FROM dispatcher.deploy_statuses ORDER BY id`)).toEqual([{ status: 'sent' }, { status: 'failed' }]);
    expect(await ds.query(`SELECT status FROM dispatcher.latest_deploy_statuses`)).toEqual([{ status: 'failed' }]);
    expect(await ds.query(`SELECT agent_version FROM dispatcher.agent_health`)).toEqual([{ agent_version: '2.0.0' }]);
    expect(await ds.query(`SELECT count(*)::int AS n, min(values_hash) AS hash FROM dispatcher.releases`)).toEqual([{ n: 1, hash: VALUES_HASH }]);
    expect(await ds.query(`SELECT real FROM dispatcher.inventories`)).toEqual([{ real: true }]);
    expect(await ds.query(`SELECT msg FROM dispatcher.deploy_log_lines`)).toEqual([{ msg: 'helm upgrade' }]);
  });

  it('latest_deploy_statuses keeps the newest status of each pair: an append that waited for an older one to commit, and a many-row append', async () => {
    const env = randomUUID();
    const d1 = randomUUID();
    const d2 = randomUUID();
    const append = (runner: import('typeorm').QueryRunner, d: string, status: string) =>
      runner.query(
        `INSERT INTO dispatcher.deploy_statuses (diid, environment_id, feature, assignment_id, feature_version, status, hash) VALUES ($1, $2, 'g', $3, '1.0.0', $4, 'h')`,
        [d, env, assignmentId, status],
      );
    const older = ds.createQueryRunner();
    const newer = ds.createQueryRunner();
    try {
      await older.startTransaction();
      await append(older, d1, 'sent'); // the smaller id, not committed yet
      await newer.startTransaction();
      const second = append(newer, d2, 'sent').then(() => newer.commitTransaction()); // waits for the first
      await older.commitTransaction();
      await second;
    } finally {
      await older.release();
      await newer.release();
    }
    expect(await ds.query(`SELECT diid, status FROM dispatcher_api.latest_deploy_statuses WHERE environment_id = $1`, [env])).toEqual([
      { diid: d2, status: 'sent' },
    ]);
    // several statuses of the pair (and of another) in one statement: the newest of each
    await ds.query(
      `INSERT INTO dispatcher.deploy_statuses (diid, environment_id, feature, assignment_id, feature_version, status, hash)
       VALUES ($1, $2, 'g', $3, '1.0.0', 'installing', 'h'), ($1, $2, 'g', $3, '1.0.0', 'deployed', 'h'), ($4, $2, 'k', $3, '1.0.0', 'sent', 'h')`,
      [d2, env, assignmentId, randomUUID()],
    );
    expect(await ds.query(`SELECT feature, status FROM dispatcher_api.latest_deploy_statuses WHERE environment_id = $1 ORDER BY feature`, [env])).toEqual([
      { feature: 'g', status: 'deployed' },
      { feature: 'k', status: 'sent' },
    ]);
  });
});
