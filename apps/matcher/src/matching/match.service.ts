// Keeps `matcher.winners` (the winning assignment per environment × feature) up to date incrementally and
// announces which (environment, feature) pairs need a new decision. Each recomputation locks the features it
// touches, so concurrent events cannot interleave; the announcement commits with the winners (outbox), and so does
// the version of the catalog event it applied: an event not newer than what was applied of its aggregate is dropped.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { enqueueEvents, outboxEvent, OutboxRelay, type Freshness, type TargetPair, type VersionClaim } from '@fasit/bus';
import { selectWinners } from '@fasit/domain';
import { CatalogReader, type EnvRow } from './catalog.reader.js';
import { WinnerRepository, type WinnerRow } from './winner.repository.js';

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
      const winners = new WinnerRepository(m);
      await winners.lockFeatures([feature]);
      const catalog = new CatalogReader(m);
      const matching = await catalog.environmentsMatching(target);
      const holders = await winners.environmentsWonBy(feature, assignmentIds);
      const extra = await catalog.environments(holders.filter((id) => !matching.some((e) => e.id === id)));
      const changed = await this.recompute(m, [...matching, ...extra], [feature]);
      await this.announce(m, 'winner', changed);
      return { changed };
    });
  }

  /** An environment was created, relabelled, switched on/off or deleted: recompute every feature there. */
  async environmentChanged(environmentId: string, deleted: boolean, tenant: string, claim?: VersionClaim): Promise<RecomputeResult | Dropped> {
    return this.run(claim, async (m) => {
      const catalog = new CatalogReader(m);
      const winners = new WinnerRepository(m);
      const current = await winners.featuresOf(environmentId);
      const [env] = deleted ? [] : await catalog.environments([environmentId]);
      const candidates = env ? await catalog.activeAssignments({ labels: env.labels }) : [];
      const features = [...new Set([...current, ...candidates.map((a) => a.feature)])].sort();
      await winners.lockFeatures(features);
      const changed = env ? await this.recompute(m, [env], features) : await winners.deleteEnvironment(environmentId);
      // Labels, kind and the reconcile switch feed rendering and decisions: every pair there needs a new look. So do
      // the pairs of the tenant's other environments: their templates see this one in `.Envs` (or `.Management`),
      // which it has joined, changed or left.
      const tenantEnvironments = await catalog.environmentIdsOfTenant(tenant);
      const all = await winners.pairs({ environmentIds: [environmentId, ...tenantEnvironments] });
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
      const pairs = await new WinnerRepository(m).pairs(scope);
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
      const winners = new WinnerRepository(m);
      if (!(await winners.trySweepLock())) return { changed: [] };
      const catalog = new CatalogReader(m);
      const envs = await catalog.environments(await catalog.allEnvironmentIds());
      const features = [...new Set([...(await catalog.activeAssignments({})).map((a) => a.feature), ...(await winners.allFeatures())])].sort();
      await winners.lockFeatures(features);
      const changed = await this.recompute(m, envs, features);
      // winners of environments the catalog no longer has (the ids were read in this transaction, above)
      const gone = await winners.deleteOutside(envs.map((e) => e.id));
      const all = [...changed, ...gone];
      await this.announce(m, 'sweep', all);
      return { changed: all };
    });
  }

  private async recompute(m: EntityManager, envs: EnvRow[], features: string[]): Promise<TargetPair[]> {
    if (envs.length === 0 || features.length === 0) return [];
    const assignments = await new CatalogReader(m).activeAssignments({ features });
    const winners = new WinnerRepository(m);
    const existing = await winners.of(
      envs.map((e) => e.id),
      features,
    );
    const before = new Map(existing.map((r) => [`${r.environmentId}/${r.feature}`, r.assignmentId]));
    const upserts: WinnerRow[] = [];
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
        if (now) upserts.push({ environmentId: env.id, feature, assignmentId: now });
        else deletes.push({ environmentId: env.id, feature });
      }
    }
    await winners.upsert(upserts);
    await winners.delete(deletes);
    return changed;
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

function dedupe(pairs: TargetPair[]): TargetPair[] {
  const seen = new Set<string>();
  return pairs.filter((p) => {
    const k = `${p.environmentId}/${p.feature}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
