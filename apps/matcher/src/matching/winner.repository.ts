// The matcher's own table, `matcher.winners` (the winning assignment per environment × feature), and the advisory
// locks that serialize its recomputations. Every query of it lives here; `MatchService` holds the rules. Built on the
// transaction's EntityManager, like the catalog reader, so that reads, writes and locks share one transaction.
import type { EntityManager } from 'typeorm';
import type { TargetPair } from '@fasit/bus';

export interface WinnerRow {
  environmentId: string;
  feature: string;
  assignmentId: string;
}

export class WinnerRepository {
  constructor(private readonly m: EntityManager) {}

  /** Takes the lock of each feature, in one statement, in sorted order (two recomputations over overlapping features cannot deadlock). */
  async lockFeatures(features: string[]): Promise<void> {
    if (features.length === 0) return;
    await this.m.query(`SELECT count(pg_advisory_xact_lock(hashtext('fasit-matcher:' || f))) FROM (SELECT unnest($1::text[]) AS f ORDER BY 1) AS sorted`, [
      features,
    ]);
  }

  /** The sweep's lock; false when another replica's sweep holds it. */
  async trySweepLock(): Promise<boolean> {
    const rows = await this.m.query<{ ok: boolean }[]>(`SELECT pg_try_advisory_xact_lock(hashtext('fasit-matcher-sweep')) AS ok`);
    return rows[0]?.ok === true;
  }

  /** The environments where one of `assignmentIds` wins `feature`. */
  async environmentsWonBy(feature: string, assignmentIds: string[]): Promise<string[]> {
    const rows = await this.m.query<{ environment_id: string }[]>(
      `SELECT environment_id FROM matcher.winners WHERE feature = $1 AND assignment_id = ANY($2::uuid[])`,
      [feature, assignmentIds],
    );
    return rows.map((r) => r.environment_id);
  }

  async featuresOf(environmentId: string): Promise<string[]> {
    const rows = await this.m.query<{ feature: string }[]>(`SELECT feature FROM matcher.winners WHERE environment_id = $1`, [environmentId]);
    return rows.map((r) => r.feature);
  }

  async allFeatures(): Promise<string[]> {
    return (await this.m.query<{ feature: string }[]>(`SELECT DISTINCT feature FROM matcher.winners`)).map((r) => r.feature);
  }

  /** The pairs that have a winner, narrowed to a feature and/or environments; ordered by environment, feature. */
  async pairs(scope: { feature?: string; environmentIds?: string[] } = {}): Promise<TargetPair[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (scope.feature) {
      params.push(scope.feature);
      where.push(`feature = $${params.length}`);
    }
    if (scope.environmentIds) {
      params.push(scope.environmentIds);
      where.push(`environment_id = ANY($${params.length}::uuid[])`);
    }
    return this.m.query<TargetPair[]>(
      `SELECT environment_id AS "environmentId", feature FROM matcher.winners ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY environment_id, feature`,
      params,
    );
  }

  async of(environmentIds: string[], features: string[]): Promise<WinnerRow[]> {
    return this.m.query<WinnerRow[]>(
      `SELECT environment_id AS "environmentId", feature, assignment_id AS "assignmentId" FROM matcher.winners
        WHERE environment_id = ANY($1::uuid[]) AND feature = ANY($2::text[])`,
      [environmentIds, features],
    );
  }

  async upsert(rows: WinnerRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.m.query(
      `INSERT INTO matcher.winners (environment_id, feature, assignment_id)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[])
       ON CONFLICT (environment_id, feature) DO UPDATE SET assignment_id = EXCLUDED.assignment_id, updated_at = now()`,
      [rows.map((r) => r.environmentId), rows.map((r) => r.feature), rows.map((r) => r.assignmentId)],
    );
  }

  /** Deletes the given pairs, in one statement. */
  async delete(pairs: TargetPair[]): Promise<void> {
    if (pairs.length === 0) return;
    await this.m.query(
      `DELETE FROM matcher.winners w USING unnest($1::uuid[], $2::text[]) AS d(environment_id, feature)
        WHERE w.environment_id = d.environment_id AND w.feature = d.feature`,
      [pairs.map((p) => p.environmentId), pairs.map((p) => p.feature)],
    );
  }

  /** Deletes every winner of an environment; returns the pairs it had. */
  async deleteEnvironment(environmentId: string): Promise<TargetPair[]> {
    const rows = await this.m.query<[TargetPair[], number]>(
      `DELETE FROM matcher.winners WHERE environment_id = $1 RETURNING environment_id AS "environmentId", feature`,
      [environmentId],
    );
    return rows[0];
  }

  /** Deletes the winners of environments not in `environmentIds` (environments the catalog no longer has). */
  async deleteOutside(environmentIds: string[]): Promise<TargetPair[]> {
    const rows = await this.m.query<[TargetPair[], number]>(
      `DELETE FROM matcher.winners WHERE NOT (environment_id = ANY($1::uuid[])) RETURNING environment_id AS "environmentId", feature`,
      [environmentIds],
    );
    return rows[0];
  }
}
