// What must hold after a chaos run, read from the services' own tables (test code may read them; services do not
// read each other's): every (environment, feature) deployed at the hash its latest decision wants, the deploy log
// of every instruction without a hole, every instruction backed by a decision, every acknowledged change audited.
import pg from 'pg';

export interface PairOutcome {
  environment: string;
  /** The hash of the pair's latest decision that carries one: what should run. */
  desiredHash: string | null;
  /** The latest deploy status of the pair and its hash. */
  latestStatus: string | null;
  latestHash: string | null;
}

export const converged = (p: PairOutcome): boolean => p.desiredHash !== null && p.latestStatus === 'deployed' && p.latestHash === p.desiredHash;

export class PlatformTables {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    // A PostgreSQL restart drops idle connections: the pool hands out fresh ones.
    this.pool.on('error', () => undefined);
  }

  async pairs(tenant: string, feature: string): Promise<PairOutcome[]> {
    const { rows } = await this.pool.query<PairOutcome>(
      `SELECT e.name AS environment,
              (SELECT d.hash FROM reconciler.decisions d WHERE d.environment_id = e.id AND d.feature = $2 AND d.hash IS NOT NULL ORDER BY d.id DESC LIMIT 1) AS "desiredHash",
              l.status AS "latestStatus", l.hash AS "latestHash"
         FROM catalog.environments e JOIN catalog.tenants t ON t.id = e.tenant_id
         LEFT JOIN LATERAL (SELECT status, hash FROM dispatcher.deploy_statuses x WHERE x.environment_id = e.id AND x.feature = $2 ORDER BY x.id DESC LIMIT 1) l ON true
        WHERE t.name = $1 ORDER BY e.name`,
      [tenant, feature],
    );
    return rows;
  }

  /** Instructions whose deploy log has a status without `sent` before it (`installing` is informative: a late one may be dropped). */
  async deployLogHoles(tenant: string): Promise<{ diid: string; statuses: string[] }[]> {
    const { rows } = await this.pool.query<{ diid: string; statuses: string[] }>(
      `SELECT l.diid::text AS diid, array_agg(l.status ORDER BY l.id) AS statuses
         FROM dispatcher.deploy_statuses l JOIN catalog.environments e ON e.id = l.environment_id JOIN catalog.tenants t ON t.id = e.tenant_id
        WHERE t.name = $1 GROUP BY l.diid
       HAVING NOT bool_or(l.status = 'sent')`,
      [tenant],
    );
    return rows;
  }

  /** Instructions sent without a reconciler decision that names their diid. */
  async instructionsWithoutDecision(tenant: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ diid: string }>(
      `SELECT DISTINCT l.diid::text AS diid
         FROM dispatcher.deploy_statuses l JOIN catalog.environments e ON e.id = l.environment_id JOIN catalog.tenants t ON t.id = e.tenant_id
        WHERE t.name = $1 AND NOT EXISTS (SELECT 1 FROM reconciler.decisions d WHERE d.diid = l.diid)`,
      [tenant],
    );
    return rows.map((r) => r.diid);
  }

  /** The tokens (unique values of acknowledged changes) that no audit row mentions. */
  async unaudited(tokens: readonly string[]): Promise<string[]> {
    if (tokens.length === 0) return [];
    const { rows } = await this.pool.query<{ token: string }>(
      `SELECT u.token FROM unnest($1::text[]) AS u(token)
        WHERE NOT EXISTS (SELECT 1 FROM catalog.audit a WHERE position(u.token IN coalesce(a.after::text, '') || ' ' || a.description) > 0)`,
      [tokens],
    );
    return rows.map((r) => r.token);
  }

  /** The diids the reported `deployed` of which never reached the deploy log. */
  async missingDeployed(diids: readonly string[]): Promise<string[]> {
    if (diids.length === 0) return [];
    const { rows } = await this.pool.query<{ diid: string }>(
      `SELECT u.diid FROM unnest($1::text[]) AS u(diid) WHERE NOT EXISTS (SELECT 1 FROM dispatcher.deploy_statuses l WHERE l.diid::text = u.diid AND l.status = 'deployed')`,
      [diids],
    );
    return rows.map((r) => r.diid);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
