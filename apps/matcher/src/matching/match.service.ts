// Keeps `matcher.winners` (the winning assignment per environment × feature) up to date incrementally and
// announces which (environment, feature) pairs need a new decision. Each recomputation locks the features it
// touches, so concurrent events cannot interleave; the announcement commits with the winners (outbox), and so does
// the version of the catalog event it applied: an event not newer than what was applied of its aggregate is dropped.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { enqueueEvents, outboxEvent, OutboxRelay, type Freshness, type TargetPair, type VersionClaim } from '@fasit/bus';
import { selectWinners } from '@fasit/domain';
import { CatalogReader, type EnvRow } from './catalog.reader.js';

const CHUNK = 500;

export interface RecomputeResult {
  changed: TargetPair[];
}

/** Why an event was not applied: it was before (`duplicate`), or something newer of its aggregate was (`stale`). */
export type Dropped = Exclude<Freshness, 'new'>;

@Injectable()
export class MatchService {
  constructor(
    private readonly ds: DataSource,
    private readonly relay: OutboxRelay,
  ) {}

  /** An assignment was created, replaced or deactivated: recompute its feature where it can matter. */
  async assignmentChanged(feature: string, target: Record<string, string>, assignmentIds: string[], claim?: VersionClaim): Promise<RecomputeResult | Dropped> {
    return this.run(claim, async (m) => {
      await lockFeatures(m, [feature]);
      const catalog = new CatalogReader(m);
      const matching = await catalog.environmentsMatching(target);
      const holders = await m.query<{ environment_id: string }[]>(
        `SELECT environment_id FROM matcher.winners WHERE feature = $1 AND assignment_id = ANY($2::uuid[])`,
        [feature, assignmentIds],
      );
      const extra = await catalog.environments(holders.map((h) => h.environment_id).filter((id) => !matching.some((e) => e.id === id)));
      const changed = await this.recompute(m, [...matching, ...extra], [feature]);
      await this.announce(m, 'winner', changed);
      return { changed };
    });
  }

  /** An environment was created, relabelled, switched on/off or deleted: recompute every feature there. */
  async environmentChanged(environmentId: string, deleted: boolean, tenant: string, claim?: VersionClaim): Promise<RecomputeResult | Dropped> {
    return this.run(claim, async (m) => {
      const catalog = new CatalogReader(m);
      const current = await m.query<{ feature: string }[]>(`SELECT feature FROM matcher.winners WHERE environment_id = $1`, [environmentId]);
      const [env] = deleted ? [] : await catalog.environments([environmentId]);
      const candidates = env ? await catalog.activeAssignments({ labels: env.labels }) : [];
      const features = [...new Set([...current.map((c) => c.feature), ...candidates.map((a) => a.feature)])].sort();
      await lockFeatures(m, features);
      const changed = env ? await this.recompute(m, [env], features) : await this.removeEnvironment(m, environmentId);
      // Labels, kind and the reconcile switch feed rendering and decisions: every pair there needs a new look. So do
      // the pairs of the tenant's other environments: their templates see this one in `.Envs` (or `.Management`),
      // which it has joined, changed or left.
      const tenantEnvironments = await catalog.environmentIdsOfTenant(tenant);
      const all = await m.query<TargetPair[]>(
        `SELECT environment_id AS "environmentId", feature FROM matcher.winners WHERE environment_id = ANY($1::uuid[]) ORDER BY environment_id, feature`,
        [[environmentId, ...tenantEnvironments]],
      );
      await this.announce(m, 'environment', dedupe([...changed, ...all]));
      return { changed };
    });
  }

  /**
   * Inputs of rendering changed (configuration, environment values, toggles): announce the affected pairs. A forced
   * announcement (redeploy) is made once per request: a redelivered request carries the version already applied.
   */
  async inputsChanged(
    reason: string,
    scope: { feature?: string; environmentIds?: string[] },
    options: { force?: boolean; claim?: VersionClaim } = {},
  ): Promise<TargetPair[] | Dropped> {
    const force = options.force ?? false;
    return this.run(options.claim, async (m) => {
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
      const pairs = await m.query<TargetPair[]>(
        `SELECT environment_id AS "environmentId", feature FROM matcher.winners ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY environment_id, feature`,
        params,
      );
      await this.announce(m, reason, pairs, force);
      return pairs;
    });
  }

  /** Environment values are visible to every environment of the tenant (`.Envs`, `.Management`). */
  async environmentValueChanged(environmentId: string, claim?: VersionClaim): Promise<TargetPair[] | Dropped> {
    const ids = await new CatalogReader(this.ds.manager).environmentIdsOfTenantOf(environmentId);
    return this.inputsChanged('environment-value', { environmentIds: ids.length ? ids : [environmentId] }, claim ? { claim } : {});
  }

  /** Recomputes every winner from scratch (periodic safety net); announces only what changed. */
  async sweep(): Promise<RecomputeResult> {
    return this.transaction(async (m) => {
      const locked = await m.query<{ ok: boolean }[]>(`SELECT pg_try_advisory_xact_lock(hashtext('fasit-matcher-sweep')) AS ok`);
      if (!locked[0]?.ok) return { changed: [] };
      const catalog = new CatalogReader(m);
      const envs = await catalog.environments(await catalog.allEnvironmentIds());
      const features = [
        ...new Set([
          ...(await catalog.activeAssignments({})).map((a) => a.feature),
          ...(await m.query<{ feature: string }[]>(`SELECT DISTINCT feature FROM matcher.winners`)).map((r) => r.feature),
        ]),
      ].sort();
      await lockFeatures(m, features);
      const changed = await this.recompute(m, envs, features);
      // winners of environments the catalog no longer has (the ids were read in this transaction, above)
      const gone = await m.query<[TargetPair[], number]>(
        `DELETE FROM matcher.winners WHERE NOT (environment_id = ANY($1::uuid[])) RETURNING environment_id AS "environmentId", feature`,
        [envs.map((e) => e.id)],
      );
      const all = [...changed, ...gone[0]];
      await this.announce(m, 'sweep', all);
      return { changed: all };
    });
  }

  private async recompute(m: EntityManager, envs: EnvRow[], features: string[]): Promise<TargetPair[]> {
    if (envs.length === 0 || features.length === 0) return [];
    const assignments = await new CatalogReader(m).activeAssignments({ features });
    const envIds = envs.map((e) => e.id);
    const existing = await m.query<
      {
        environment_id: string;
        feature: string;
        assignment_id: string;
      }[]
    >(`SELECT environment_id, feature, assignment_id FROM matcher.winners WHERE environment_id = ANY($1::uuid[]) AND feature = ANY($2::text[])`, [
      envIds,
      features,
    ]);
    const before = new Map(existing.map((r) => [`${r.environment_id}/${r.feature}`, r.assignment_id]));
    const upserts: [string, string, string][] = [];
    const deletes: TargetPair[] = [];
    const changed: TargetPair[] = [];
    for (const env of envs) {
      const winners = selectWinners(assignments, env.labels);
      for (const feature of features) {
        const w = winners.get(feature)?.winner;
        const now = w && w.kinds.includes(env.kind) ? w.id : undefined;
        const was = before.get(`${env.id}/${feature}`);
        if (now === was) continue;
        changed.push({ environmentId: env.id, feature });
        if (now) upserts.push([env.id, feature, now]);
        else deletes.push({ environmentId: env.id, feature });
      }
    }
    if (upserts.length) {
      await m.query(
        `INSERT INTO matcher.winners (environment_id, feature, assignment_id)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[])
         ON CONFLICT (environment_id, feature) DO UPDATE SET assignment_id = EXCLUDED.assignment_id, updated_at = now()`,
        [upserts.map((u) => u[0]), upserts.map((u) => u[1]), upserts.map((u) => u[2])],
      );
    }
    for (const d of deletes) await m.query(`DELETE FROM matcher.winners WHERE environment_id = $1 AND feature = $2`, [d.environmentId, d.feature]);
    return changed;
  }

  private async removeEnvironment(m: EntityManager, environmentId: string): Promise<TargetPair[]> {
    const rows = await m.query<[TargetPair[], number]>(
      `DELETE FROM matcher.winners WHERE environment_id = $1 RETURNING environment_id AS "environmentId", feature`,
      [environmentId],
    );
    return rows[0];
  }

  private async announce(m: EntityManager, reason: string, pairs: TargetPair[], force = false): Promise<void> {
    const events = [];
    for (let i = 0; i < pairs.length; i += CHUNK) {
      events.push(outboxEvent('matcher.targets.changed.v1', { version: 'v1', reason, pairs: pairs.slice(i, i + CHUNK), ...(force ? { force } : {}) }));
    }
    await enqueueEvents(m, 'matcher', events);
  }

  /** `work` in a transaction that first claims the version of the event it applies (when there is one). */
  private async run<T extends object>(claim: VersionClaim | undefined, work: (m: EntityManager) => Promise<T>): Promise<T | Dropped> {
    return this.transaction(async (m) => {
      const freshness = claim ? await claim(m) : 'new';
      return freshness === 'new' ? await work(m) : freshness;
    });
  }

  private async transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.ds.transaction(work);
    this.relay.kick();
    return result;
  }
}

async function lockFeatures(m: EntityManager, features: string[]): Promise<void> {
  for (const f of [...features].sort()) await m.query(`SELECT pg_advisory_xact_lock(hashtext('fasit-matcher:' || $1))`, [f]);
}

function dedupe(pairs: TargetPair[]): TargetPair[] {
  const seen = new Set<string>();
  return pairs.filter((p) => {
    const k = `${p.environmentId}/${p.feature}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
