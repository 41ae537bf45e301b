// The dispatcher's deploy requests as it receives and sends them: `received_requests` (kept from receipt until the
// `sent` row commits, decision 0023), the latest status per pair for the deploy timeout, and the advisory locks that
// serialize a diid's send with its recovery and the timeout sweep between replicas. Every query of them lives here;
// `DeployService` holds the rules. The deploy log's statuses are written by `ReportRepository`.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { DeployRequestedV1 } from '@fasit/bus';
import type { SentDeploy } from '../reports/report.repository.js';

export interface LostDeploy extends SentDeploy {
  diid: string;
}

@Injectable()
export class DeployRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Keeps received requests in their own transaction (committed before their instructions can go out), each unless
   * its `sent` row exists already. One statement for a pull's requests.
   */
  async receive(es: readonly DeployRequestedV1[]): Promise<void> {
    if (es.length === 0) return;
    await this.ds.query(
      `INSERT INTO dispatcher.received_requests (diid, environment_id, feature, assignment_id, feature_version, hash)
       SELECT u.* FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[]) AS u(diid, environment_id, feature, assignment_id, feature_version, hash)
       WHERE NOT EXISTS (SELECT 1 FROM dispatcher.deploy_statuses s WHERE s.diid = u.diid AND s.status = 'sent')
       ON CONFLICT (diid) DO NOTHING`,
      [
        es.map((e) => e.diid),
        es.map((e) => e.environmentId),
        es.map((e) => e.feature),
        es.map((e) => e.assignmentId),
        es.map((e) => e.featureVersion),
        es.map((e) => e.hash),
      ],
    );
  }

  async received(m: EntityManager, diid: string): Promise<SentDeploy | undefined> {
    const [received] = await m.query<SentDeploy[]>(
      `SELECT environment_id AS "environmentId", feature, assignment_id AS "assignmentId", feature_version AS "featureVersion", hash FROM dispatcher.received_requests WHERE diid = $1`,
      [diid],
    );
    return received;
  }

  /** Forgets received requests once their `sent` rows are written (in that transaction). */
  async forgetReceived(m: EntityManager, diids: readonly string[]): Promise<void> {
    if (diids.length === 0) return;
    await m.query(`DELETE FROM dispatcher.received_requests WHERE diid = ANY($1::uuid[])`, [diids]);
  }

  /** Received requests older than `seconds`, never sent: deleted; returns their diids. */
  async expireReceived(m: EntityManager, seconds: number): Promise<string[]> {
    // A DELETE … RETURNING answers [rows, affected count] through TypeORM's query().
    const [gone] = await m.query<[{ diid: string }[], number]>(
      `DELETE FROM dispatcher.received_requests WHERE received_at < now() - make_interval(secs => $1) RETURNING diid`,
      [seconds],
    );
    return gone.map((r) => r.diid);
  }

  /** Waits for the diid's lock (held by a `send` of it from its claim to its commit). */
  async lockDiid(m: EntityManager, diid: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('fasit-deploy:' || $1))`, [diid]);
  }

  /** The timeout sweep's lock; false when another replica sweeps. */
  async tryTimeoutLock(m: EntityManager): Promise<boolean> {
    const [lock] = await m.query<[{ ok: boolean }]>(`SELECT pg_try_advisory_xact_lock(hashtext('fasit-dispatcher-timeouts')) AS ok`);
    return lock.ok;
  }

  /** The pairs whose latest status is `sent` or `installing` and older than `seconds`. */
  async unfinishedSince(m: EntityManager, seconds: number): Promise<LostDeploy[]> {
    return m.query<LostDeploy[]>(
      `SELECT diid, "environmentId", feature, "assignmentId", "featureVersion", hash FROM (
         SELECT DISTINCT ON (environment_id, feature) diid, environment_id AS "environmentId", feature, assignment_id AS "assignmentId",
                feature_version AS "featureVersion", status, hash, created_at FROM dispatcher.deploy_statuses ORDER BY environment_id, feature, id DESC) latest
       WHERE status IN ('sent', 'installing') AND created_at < now() - make_interval(secs => $1)`,
      [seconds],
    );
  }
}
