// Decides, for a batch of (environment, feature) pairs: lock the pairs, read one snapshot, render the values,
// hash the desired state, apply the decision rules, append changed decisions, and request deploys through the
// outbox (the values sealed for the environment's agent), all in one transaction. Re-deciding is harmless: the
// desired-state hash makes it idempotent. An event that asks for a decision claims its versions in the same
// transaction: a pair whose announcement is not newer than what was applied of it is left out.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { enqueueEvents, firstDelivery, outboxEvent, OutboxRelay, type Freshness, type OutboxEvent, type TargetPair } from '@fasit/bus';
import { JsonLogger, keyList } from '@fasit/config';
import {
  SecretBox,
  classifyDrift,
  configContext,
  decide,
  decisionContext,
  deriveAgentKey,
  desiredStateHash,
  envValueContext,
  sealForAgent,
  valuesHash,
  driftKinds,
  type Decision,
  type DriftVerdict,
} from '@fasit/domain';
import { maskValues, RenderPool, type RenderEnvironment, type RenderResult, type StoredValue } from '@fasit/templates';
import { ServiceMetrics } from '@fasit/metrics';
import { RECONCILER_CONFIG, type ReconcilerConfig } from '../config/reconciler.config.js';
import { SnapshotReader, pairKey, type DecisionRow, type DeployRow, type EnvRow, type Snapshot, type StoredRow, type WinnerRow } from './snapshot.reader.js';
import { WinnersReader } from './winners.reader.js';
import { DecisionRepository } from './decision.repository.js';
import { DriftRepository } from './drift.repository.js';
import { SweepReader, type MovedPair } from './sweep.reader.js';
import { SweepInputsRepository } from './sweep-inputs.repository.js';

export const SECRETS = Symbol('SECRETS');

/**
 * Claims, in the transaction of the decisions (after the pairs are locked), the versions of the event that asks for
 * them, and says of each pair whether to decide it (`new`) or to leave it out (`duplicate`, `stale`).
 */
export type PairsClaim = (m: EntityManager) => Promise<(p: TargetPair) => Freshness>;

export interface ReconcileOptions {
  force?: boolean;
  eventId?: string;
  correlationId?: string;
  claim?: PairsClaim;
}

export interface PairOutcome extends TargetPair {
  action: Decision['action'] | 'no-assignment';
  message: string;
  diid?: string;
  /** The verdict waits on time: decide the pair again then though nothing moved (the sweep's timed recheck). */
  recheckAt?: Date;
}

/**
 * Change when the decision rules change in a way the fingerprint cannot see (a new rule, another message): the
 * first sweep of a reconciler with other rules decides every pair again (decision 0028).
 */
const SWEEP_RULES_VERSION = 1;

/** Environments per range of the sweep: one fingerprint query per range (at 100 features, 50,000 pairs). */
const SWEEP_RANGE_ENVIRONMENTS = 500;

/** Pairs per transaction when the sweep decides what moved. */
const SWEEP_BATCH = 200;

@Injectable()
export class ReconcileService implements OnModuleDestroy {
  /** Renders run in worker threads with a hard time limit: one hostile template costs a render-error, not a stall. */
  private readonly renderer: RenderPool;
  /** Per tenant id, its environments opened for rendering at the data version they were read at (`tenantData`). */
  private readonly tenantCache = new Map<string, TenantData>();
  private tenantReads = 0;
  /** The settings of this reconciler that decide, in every fingerprint: other settings decide every pair again. */
  private readonly sweepSettings: string;

  constructor(
    private readonly ds: DataSource,
    private readonly relay: OutboxRelay,
    private readonly logger: JsonLogger,
    @Inject(RECONCILER_CONFIG) private readonly config: ReconcilerConfig,
    @Inject(SECRETS) private readonly secrets: SecretBox,
    private readonly metrics: ServiceMetrics,
  ) {
    this.renderer = new RenderPool({ workers: config.renderWorkers, hardTimeoutMs: config.renderHardTimeoutMs });
    this.sweepSettings = JSON.stringify([
      SWEEP_RULES_VERSION,
      config.healthWindowMs,
      config.requestTimeoutMs,
      config.retryMaxAttempts,
      config.retryBaseDelayMs,
      config.driftStuckGraceMs,
      config.iapAudience,
    ]);
    metrics.gauge('fasit_reconciler_sweep_interval_seconds').set(config.sweepIntervalMs / 1000);
    // Overdue counts from the start: the first sweep comes one interval after it.
    metrics.gauge('fasit_reconciler_last_sweep_timestamp_seconds').set(Date.now() / 1000);
    // Read at scrape: what every replica reports is the same current state (the alert takes the max).
    metrics.collectGauge('fasit_drift_releases', async (set) => {
      const rows = await new DriftRepository(this.ds.manager).countByKind();
      for (const kind of driftKinds) set(rows.find((r) => r.kind === kind)?.n ?? 0, { kind });
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.renderer.close();
  }

  /**
   * Decides the pairs. `force` (a redeploy) deploys even an unchanged desired state, once per `eventId`: a redelivery
   * decides normally. A forced request is a command, not a state: it is never left out as stale (a redeploy asked
   * for before some later change of its pair still redeploys), only as a redelivery of its event.
   */
  async reconcile(pairs: TargetPair[], options: ReconcileOptions = {}): Promise<PairOutcome[]> {
    return (await this.decide(pairs, options)).outcomes;
  }

  /** `reconcile`, for an event: what it left out, when it decided nothing (`duplicate`, `stale`), or undefined. */
  async reconcileEvent(pairs: TargetPair[], options: ReconcileOptions & { claim: PairsClaim }): Promise<Exclude<Freshness, 'new'> | undefined> {
    const { outcomes, dropped } = await this.decide(pairs, options);
    if (outcomes.length > 0 || dropped.length === 0) return undefined;
    return dropped.includes('stale') ? 'stale' : 'duplicate';
  }

  private async decide(
    pairs: TargetPair[],
    options: ReconcileOptions & { fingerprints?: Map<string, string> },
  ): Promise<{ outcomes: PairOutcome[]; dropped: Freshness[] }> {
    if (pairs.length === 0) return { outcomes: [], dropped: [] };
    const { outcomes, dropped } = await this.ds.transaction(async (m) => {
      const force = (options.force ?? false) && (!options.eventId || (await firstDelivery(m, 'reconciler', 'reconciler', options.eventId)));
      const locked = uniquePairs(pairs);
      await new DecisionRepository(m).lockPairs(locked.map((p) => pairKey(p.environmentId, p.feature)));
      const freshness = options.claim ? await options.claim(m) : () => 'new' as const;
      const sorted = force ? locked : locked.filter((p) => freshness(p) === 'new');
      const left = locked.map(freshness).filter((f) => f !== 'new');
      if (sorted.length === 0) return { outcomes: [], dropped: left };
      const reader = new SnapshotReader(m);
      const snap = await reader.load(sorted);
      const results: PairOutcome[] = [];
      const events: OutboxEvent[] = [];
      const batch: BatchCache = { tenants: await this.tenantData(reader, snap), deployed: deployedByEnvironment(snap) };
      for (const p of sorted) results.push(await this.decidePair(m, reader, snap, batch, p, force, events, options.correlationId));
      await enqueueEvents(m, 'reconciler', events);
      const inputs = new SweepInputsRepository(m);
      await inputs.forget(results.filter((r) => r.action === 'no-assignment'));
      // The sweep's fingerprints, read before the pairs were locked: what was decided on is at least that new.
      const fingerprints = options.fingerprints;
      if (fingerprints) {
        await inputs.store(
          results.flatMap((r) => {
            const fingerprint = fingerprints.get(pairKey(r.environmentId, r.feature));
            return fingerprint && r.action !== 'no-assignment' ? [{ ...r, fingerprint, dueAt: r.recheckAt ?? null }] : [];
          }),
        );
      }
      return { outcomes: results, dropped: force ? [] : left };
    });
    this.relay.kick();
    const decisions = this.metrics.counter('fasit_reconciler_decisions_total');
    for (const o of outcomes) decisions.inc({ action: o.action });
    return { outcomes, dropped };
  }

  /**
   * The periodic sweep over every pair that has a winner: the pairs whose inputs moved since the sweep last decided
   * them, or whose timed verdict is due, are decided, the others cost nothing of their own (decision 0028). Returns
   * the pairs swept. The sweep holds a session advisory lock from the first range to the last, so while one replica
   * sweeps another's sweep returns at once (0).
   */
  async sweep(): Promise<number> {
    const sweeps = this.metrics.counter('fasit_reconciler_sweeps_total');
    const started = performance.now();
    try {
      const n = await this.sweepOnce();
      sweeps.inc({ result: n === null ? 'skipped' : 'ok' });
      if (n !== null) {
        this.metrics.histogram('fasit_reconciler_sweep_duration_seconds').observe({}, (performance.now() - started) / 1000);
        this.metrics.gauge('fasit_reconciler_sweep_pairs').set(n.pairs);
        this.metrics.gauge('fasit_reconciler_sweep_decided_pairs').set(n.decided);
      }
      // Skipped counts as on time: another replica holds the sweep (the alert looks at the freshest replica).
      this.metrics.gauge('fasit_reconciler_last_sweep_timestamp_seconds').set(Date.now() / 1000);
      return n?.pairs ?? 0;
    } catch (e) {
      sweeps.inc({ result: 'failed' });
      throw e;
    }
  }

  /** One sweep, range by range: the pairs swept and those decided; null when another replica is sweeping. */
  private async sweepOnce(): Promise<{ pairs: number; decided: number } | null> {
    const session = this.ds.createQueryRunner();
    await session.connect();
    try {
      const locks = new DecisionRepository(session.manager);
      if (!(await locks.trySweepLock())) return null;
      try {
        const reader = new SweepReader(session.manager);
        let pairs = 0;
        let decided = 0;
        for (let range = await reader.nextRange(null, SWEEP_RANGE_ENVIRONMENTS); range; range = await reader.nextRange(range.to, SWEEP_RANGE_ENVIRONMENTS)) {
          const now = new Date();
          const moved: MovedPair[] = await reader.moved(range, {
            settings: this.sweepSettings,
            now,
            healthySince: new Date(now.getTime() - this.config.healthWindowMs),
          });
          for (let i = 0; i < moved.length; i += SWEEP_BATCH) {
            const batch = moved.slice(i, i + SWEEP_BATCH);
            await this.decide(batch, { fingerprints: new Map(batch.map((p) => [pairKey(p.environmentId, p.feature), p.fingerprint])) });
          }
          pairs += range.pairs;
          decided += moved.length;
        }
        return { pairs, decided };
      } finally {
        await locks.releaseSweepLock();
      }
    } finally {
      await session.release();
    }
  }

  /** The pair of a deploy that finished, and its dependents in that environment (they may now go ahead). */
  async settledPairs(environmentId: string, feature: string): Promise<TargetPair[]> {
    return await new WinnersReader(this.ds.manager).settledPairs(environmentId, feature);
  }

  /** Pairs of one environment (its agent's inventory: every release there is compared). */
  async environmentPairs(environmentId: string): Promise<TargetPair[]> {
    return await new WinnersReader(this.ds.manager).environmentPairs(environmentId);
  }

  private async decidePair(
    m: EntityManager,
    reader: SnapshotReader,
    snap: Snapshot,
    batch: BatchCache,
    p: TargetPair,
    force: boolean,
    events: OutboxEvent[],
    correlationId?: string,
  ): Promise<PairOutcome> {
    const key = pairKey(p.environmentId, p.feature);
    const w = snap.winners.get(key);
    const env = snap.environments.get(p.environmentId);
    if (!w || !env) {
      if (snap.drift.has(key)) await this.clearDrift(m, p);
      return { ...p, action: 'no-assignment', message: 'no assignment targets this environment' };
    }
    const tenant = batch.tenants.get(env.tenantId);
    const self = tenant?.byId.get(env.id);
    // deleted since the batch read it: its winners go with it
    if (!tenant || (!self && tenant.error === undefined)) return { ...p, action: 'no-assignment', message: 'the environment no longer exists' };
    const render: RenderResult = self ? await this.render(snap, tenant, self, w, env) : { ok: false, action: 'render-error', message: tenant.error! };
    const hash = render.ok ? desiredStateHash(render.values, w.version, w.chartDigest) : null;
    const latest = snap.latestDeploys.get(key) ?? null;
    const request = snap.lastRequests.get(key);
    const failures =
      hash && latest?.status === 'failed' && latest.hash === hash ? await reader.failures(p.environmentId, p.feature, hash) : { count: 0, lastAt: null };
    const deployed = batch.deployed.get(env.id) ?? new Set<string>();
    const now = new Date();
    const drift = this.drift(snap, key, env.id, latest, request, now);
    const record = snap.drift.get(key);
    // Corrections count per deployed desired state: a new one starts afresh.
    const corrections =
      record && latest && record.hash === latest.hash ? { count: record.corrections, lastAt: record.lastCorrectionAt } : { count: 0, lastAt: null };
    const decision = decide({
      now,
      reconcile: env.reconcile,
      disabled: snap.disabled.has(key),
      environmentKind: env.kind,
      featureKinds: w.kinds,
      agentSeenAt: snap.health.get(env.id) ?? null,
      healthWindowMs: this.config.healthWindowMs,
      dependencies: w.dependencies,
      deployedFeatures: deployed,
      render: render.ok ? { ok: true, hash: hash! } : render,
      latestDeploy: latest ? { diid: latest.diid, status: latest.status, hash: latest.hash, at: latest.createdAt } : null,
      pendingRequest: request?.diid && request.hash ? { diid: request.diid, hash: request.hash, at: request.createdAt } : null,
      requestTimeoutMs: this.config.requestTimeoutMs,
      failures,
      retry: { maxAttempts: this.config.retryMaxAttempts, baseDelayMs: this.config.retryBaseDelayMs },
      force,
      drift: drift.state === 'drift' ? { kind: drift.kind, message: drift.message, policy: env.driftPolicy, corrections } : null,
    });
    if (drift.state === 'drift' && latest) {
      const corrected = decision.correctsDrift === true;
      await new DriftRepository(m).record({
        environmentId: env.id,
        feature: w.feature,
        kind: drift.kind,
        message: drift.message,
        policy: env.driftPolicy,
        hash: latest.hash,
        checkedAt: now,
        corrections: corrections.count + (corrected ? 1 : 0),
        lastCorrectionAt: corrected ? now : corrections.lastAt,
      });
      if (!record)
        this.logger.entry('warn', 'drift', {
          environment: `${env.tenant}/${env.name}`,
          feature: w.feature,
          kind: drift.kind,
          message: drift.message,
          policy: env.driftPolicy,
        });
    } else if (record && (drift.state === 'none' || drift.clears)) {
      await this.clearDrift(m, p);
    }
    const diid = decision.action === 'deploy' ? randomUUID() : null;
    const last = snap.lastDecisions.get(key);
    const same =
      last &&
      last.action === decision.action &&
      last.message === decision.message &&
      last.assignmentId === w.assignmentId &&
      last.featureVersion === w.version &&
      last.hash === hash;
    if (!same || diid) {
      await new DecisionRepository(m).append({
        environmentId: env.id,
        feature: w.feature,
        assignmentId: w.assignmentId,
        featureVersion: w.version,
        action: decision.action,
        message: decision.message,
        hash,
        diid,
        maskedValues: render.ok ? JSON.stringify(maskValues(render.values, render.provenance)) : null,
        sealedValues: render.ok ? this.secrets.seal(render.values, decisionContext(env.id, w.feature)) : null,
        provenance: render.ok ? JSON.stringify(render.provenance) : null,
        // what naisd hands helm, hashed as naisd hashes what helm holds (drift compares the two)
        valuesHash: render.ok ? valuesHash(render.values) : null,
      });
    }
    if (diid && render.ok && hash) {
      events.push(
        outboxEvent(
          'reconciler.deploy.requested.v1',
          {
            version: 'v1',
            diid,
            environmentId: env.id,
            tenant: env.tenant,
            environment: env.name,
            assignmentId: w.assignmentId,
            feature: w.feature,
            featureVersion: w.version,
            chart: w.chart,
            chartDigest: w.chartDigest,
            hash,
            timeoutMs: w.timeoutMs,
            // sealed for this environment's agent here, where they were rendered: forwarded unopened by the dispatcher
            // (under the first secret: while they rotate, agents open with either of their keys)
            sealedValues: sealForAgent(deriveAgentKey(keyList(this.config.agentKeySecret)[0] ?? '', env.tenant, env.name), diid, render.values),
          },
          correlationId,
        ),
      );
      this.logger.entry('info', 'deploy requested', {
        diid,
        environment: `${env.tenant}/${env.name}`,
        feature: w.feature,
        version: w.version,
        reason: decision.message,
      });
    }
    const recheckAt = earliest(decision.recheckAt, drift.state === 'unknown' ? drift.recheckAt : undefined);
    return { ...p, action: decision.action, message: decision.message, ...(diid ? { diid } : {}), ...(recheckAt ? { recheckAt } : {}) };
  }

  /**
   * What the environment's last inventory says of the pair against its latest deploy (`classifyDrift`): the release
   * is the feature's name; the values hash of a deploy is the one its decision recorded. `clears`: what was recorded
   * is no longer known to hold (no real inventory any more), so it goes; other unknowns (a deploy in flight, an
   * inventory older than the deploy) keep it, and with it the corrections counted.
   */
  private drift(
    snap: Snapshot,
    key: string,
    environmentId: string,
    latest: DeployRow | null,
    request: DecisionRow | undefined,
    now: Date,
  ): DriftVerdict & { clears?: boolean } {
    const requested = request?.diid && (!latest || latest.diid !== request.diid) && now.getTime() - request.createdAt.getTime() < this.config.requestTimeoutMs;
    const inventory = snap.inventories.get(environmentId) ?? null;
    const release = snap.releases.get(key);
    const verdict = classifyDrift({
      now,
      inventory,
      release: release
        ? { chartVersion: release.chartVersion, status: release.status, valuesHash: release.valuesHash, lastDeployed: release.lastDeployed }
        : null,
      deployed:
        latest?.status === 'deployed'
          ? { version: latest.featureVersion, valuesHash: snap.deployedValuesHashes.get(latest.diid) ?? null, at: latest.createdAt }
          : null,
      inFlight: latest?.status === 'sent' || latest?.status === 'installing' || Boolean(requested),
      stuckGraceMs: this.config.driftStuckGraceMs,
    });
    if (verdict.state !== 'unknown') return verdict;
    // A request in flight until it times out: then the inventory is compared again.
    const recheckAt = requested ? earliest(verdict.recheckAt, new Date(request.createdAt.getTime() + this.config.requestTimeoutMs)) : verdict.recheckAt;
    return { ...verdict, ...(recheckAt ? { recheckAt } : {}), ...(!inventory || !inventory.real ? { clears: true } : {}) };
  }

  private async clearDrift(m: EntityManager, p: TargetPair): Promise<void> {
    await new DriftRepository(m).clear(p);
  }

  private async render(snap: Snapshot, tenant: TenantData, self: RenderEnvironment, w: WinnerRow, env: EnvRow): Promise<RenderResult> {
    try {
      const configs = snap.configs.get(w.feature);
      return await this.renderer.render(
        {
          feature: { name: w.feature, spec: w.spec },
          environment: self,
          tenantEnvironments: tenant.environments,
          config: {
            global: this.open(configs?.get('') ?? [], (k) => configContext(w.feature, null, k)),
            environment: this.open(configs?.get(env.id) ?? [], (k) => configContext(w.feature, env.id, k)),
          },
          fasit: { IAPAudience: this.config.iapAudience },
        },
        tenant.key,
      );
    } catch (e) {
      return { ok: false, action: 'render-error', message: (e as Error).message };
    }
  }

  /**
   * The environments of the batch's tenants, opened for rendering. Every render sees its whole tenant (`.Envs`), so
   * a tenant's environments are read, opened and sent to the render workers once per catalog data version of the
   * tenant (raised by the catalog with every change to its environments or their values), not once per batch.
   */
  private async tenantData(reader: SnapshotReader, snap: Snapshot): Promise<Map<string, TenantData>> {
    const out = new Map<string, TenantData>();
    const stale: string[] = [];
    for (const [id, version] of snap.tenantVersions) {
      const cached = this.tenantCache.get(id);
      if (cached?.version !== version) {
        stale.push(id);
        continue;
      }
      this.tenantCache.delete(id); // most recently used last
      this.tenantCache.set(id, cached);
      out.set(id, cached);
    }
    if (stale.length === 0) return out;
    for (const [id, rows] of await reader.tenantRows(stale)) {
      const version = snap.tenantVersions.get(id)!;
      // unique per read: two batches that read one version concurrently may have read different data after it
      const key = `${id}@${version}#${++this.tenantReads}`;
      try {
        const environments = rows.environments.map((e): RenderEnvironment => ({
          id: e.id,
          name: e.name,
          kind: e.kind,
          tenant: e.tenant,
          labels: e.labels,
          values: this.open(rows.values.get(e.id) ?? [], (k) => envValueContext(e.id, k)),
        }));
        const data: TenantData = { version, key, environments, byId: new Map(environments.map((e) => [e.id, e])) };
        this.tenantCache.delete(id);
        this.tenantCache.set(id, data);
        out.set(id, data);
      } catch (e) {
        // A value that cannot be opened (a key missing from FASIT_SECRET_KEYS) fails the tenant's renders, not the
        // batch; it is not kept, so the next batch tries again.
        out.set(id, { version, key, environments: [], byId: new Map(), error: `environment values of the tenant cannot be opened: ${(e as Error).message}` });
      }
    }
    while (this.tenantCache.size > TENANT_CACHE_SIZE) this.tenantCache.delete(this.tenantCache.keys().next().value!);
    return out;
  }

  private open(rows: StoredRow[], context: (key: string) => string): Record<string, StoredValue> {
    const out: Record<string, StoredValue> = {};
    for (const r of rows) out[r.key] = { value: r.sealed ? this.secrets.open(r.sealed, context(r.key)) : r.value, secret: r.secret };
    return out;
  }
}

/** Tenants whose opened environments the reconciler keeps (least recently used dropped first). */
const TENANT_CACHE_SIZE = 256;

/** A tenant's environments, opened for rendering, as read at a catalog data version. */
interface TenantData {
  version: string;
  /** Names this read in the render workers (`RenderPool.render`'s shared key). */
  key: string;
  environments: RenderEnvironment[];
  byId: Map<string, RenderEnvironment>;
  /** Set when the tenant's values could not be opened: every render of the tenant is this render-error. */
  error?: string;
}

/** What one batch computes once and every pair of it reuses. */
interface BatchCache {
  /** Per tenant id, its environments for rendering. */
  tenants: Map<string, TenantData>;
  /** Per environment, the features whose latest deploy there is `deployed` (for dependencies). */
  deployed: Map<string, Set<string>>;
}

function deployedByEnvironment(snap: Snapshot): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const d of snap.latestDeploys.values()) {
    if (d.status !== 'deployed') continue;
    const set = out.get(d.environmentId) ?? new Set<string>();
    set.add(d.feature);
    out.set(d.environmentId, set);
  }
  return out;
}

/** The earliest of the times given, if any. */
function earliest(...times: (Date | undefined)[]): Date | undefined {
  return times.reduce<Date | undefined>((a, t) => (t && (!a || t < a) ? t : a), undefined);
}

function uniquePairs(pairs: TargetPair[]): TargetPair[] {
  const m = new Map(pairs.map((p) => [pairKey(p.environmentId, p.feature), p]));
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, p]) => p);
}
