// Why a feature is or is not in an environment, and what happens next, in one answer: the matching assignments
// and why each lost to the winner, the kind check, the dependencies and their states, the disabled flag, the
// agent's health, the desired hash (the reconciler's latest decision) against the last deploy's, that deploy's
// result and log excerpt, the retry count and the next retry time, and drift (`reconciler_api.drift`). `next` applies the reconciler's own rules
// (`decide` of @fasit/domain, with the same policy settings) to these facts.
import { Inject, Injectable } from '@nestjs/common';
import {
  decide,
  missingDependencies,
  notFound,
  pairState,
  rankMatches,
  retryOutlook,
  selectWinners,
  type DecisionAction,
  type DeployStatus,
  type PairState,
} from '@fasit/domain';
import { AssignmentRepository } from '../assignments/assignment.repository.js';
import { CATALOG_CONFIG, type CatalogConfig } from '../settings/catalog.settings.js';
import type { Environment } from '../environments/environment.entity.js';
import { DisabledFeatureRepository } from '../environment-features/disabled-feature.repository.js';
import { FeatureVersionRepository } from '../features/feature-version.repository.js';
import { DriftReader } from '../drift/drift.reader.js';
import { ExplainReader, type DeployFact } from './explain.reader.js';
import type { DriftView } from '../drift/drift.schemas.js';

const LOG_EXCERPT = 20;

export interface Explanation {
  tenant: string;
  environment: string;
  environmentId: string;
  feature: string;
  /** What a person sees (as in the environment's feature list). */
  state: PairState;
  stateMessage: string;
  /** What the reconciler does next with what is known now. */
  next: { action: DecisionAction | 'no-assignment' | 'undecided'; message: string };
  assignments: {
    id: string;
    version: string;
    target: Record<string, string>;
    createdAt: string;
    outcome: 'winner' | 'fewer-labels' | 'older' | 'tie-by-id';
    reason: string;
    conflict: boolean;
  }[];
  winner: { id: string; version: string } | null;
  kind: { environment: string; feature: string[]; ok: boolean } | null;
  dependencies: { feature: string; rule: 'allOf' | 'anyOf'; assigned: boolean; status: DeployStatus | null; version: string | null; deployed: boolean }[];
  /** Features missing for the dependency rules, as the reconciler names them (empty: met). */
  missingDependencies: string[];
  disabled: { reason: string; by: string; at: string } | null;
  reconcile: boolean;
  agent: { health: 'healthy' | 'unhealthy' | 'never-seen'; reportedAt: string | null; version: string | null; windowMs: number };
  desired: { hash: string | null; version: string | null; decision: { action: DecisionAction; message: string; at: string } | null };
  lastDeploy: {
    diid: string;
    status: DeployStatus;
    version: string;
    hash: string;
    sameHash: boolean;
    error: string | null;
    at: string;
    log: { time: string; msg: string; kind: string }[];
  } | null;
  retry: { failures: number; maxAttempts: number; nextAt: string | null; exhausted: boolean };
  /** What runs differs from what Fasit deployed, as the reconciler last saw it in a real inventory; null: no drift known (or no real inventory: a dry-run agent). */
  drift: DriftView | null;
}

@Injectable()
export class ExplainService {
  constructor(
    private readonly assignments: AssignmentRepository,
    private readonly versions: FeatureVersionRepository,
    private readonly disabledFeatures: DisabledFeatureRepository,
    private readonly reader: ExplainReader,
    private readonly driftReader: DriftReader,
    @Inject(CATALOG_CONFIG) private readonly config: CatalogConfig,
  ) {}

  async explain(env: Environment, feature: string): Promise<Explanation> {
    const latestVersion = await this.versions.latest(feature);
    if (!latestVersion) throw notFound(`feature "${feature}" not found`);
    const actives = await this.assignments.active();
    const ranked = rankMatches(
      actives.filter((a) => a.feature === feature),
      env.labels,
    );
    const winner = ranked[0]?.assignment ?? null;
    const version = winner ? ((await this.versions.one(feature, winner.version)) ?? latestVersion) : latestVersion;
    const [disabled, decisions, deploys, health, drift] = await Promise.all([
      this.disabledFeatures.one(env.id, feature),
      this.reader.decisions(env.id, feature),
      this.reader.deploys(env.id, feature),
      this.reader.health(env.id),
      this.driftReader.pair(env.id, feature),
    ]);
    const now = new Date();

    const rules = version.dependencies.flatMap((d) => [
      ...(d.allOf ?? []).map((f) => ({ feature: f, rule: 'allOf' as const })),
      ...(d.anyOf ?? []).map((f) => ({ feature: f, rule: 'anyOf' as const })),
    ]);
    const statuses = await this.reader.latestStatuses(env.id, [...new Set(rules.map((r) => r.feature))]);
    const winners = selectWinners(actives, env.labels);
    const deployed = new Set([...statuses].filter(([, s]) => s.status === 'deployed').map(([f]) => f));
    const dependencies = rules.map((r) => {
      const s = statuses.get(r.feature);
      return {
        feature: r.feature,
        rule: r.rule,
        assigned: winners.has(r.feature),
        status: s?.status ?? null,
        version: s?.version ?? null,
        deployed: s?.status === 'deployed',
      };
    });

    const latest = decisions.latest;
    const lastDeploy = deploys[0] ?? null;
    const desiredHash = latest?.hash ?? null;
    const failures = consecutiveFailures(deploys, desiredHash);
    const policy = { maxAttempts: this.config.retryMaxAttempts, baseDelayMs: this.config.retryBaseDelayMs };
    const retry = retryOutlook(failures, failures > 0 ? (lastDeploy?.at ?? null) : null, policy);
    const s = pairState({
      disabled: !!disabled || !env.reconcile,
      decision: latest ? { action: latest.action, message: latest.message, at: latest.at } : undefined,
      deploy: lastDeploy ? { status: lastDeploy.status, at: lastDeploy.at, error: lastDeploy.error } : undefined,
    });

    let next: Explanation['next'];
    if (!winner) next = { action: 'no-assignment', message: 'no active assignment of the feature targets this environment' };
    else if (!latest && env.reconcile && !disabled && version.kinds.includes(env.kind))
      next = { action: 'undecided', message: 'the reconciler has not decided this pair yet' };
    else {
      const render =
        latest && (latest.action === 'render-error' || latest.action === 'missing-config')
          ? { ok: false as const, action: latest.action, message: latest.message }
          : { ok: true as const, hash: desiredHash ?? '' };
      const decided = decide({
        now,
        reconcile: env.reconcile,
        disabled: !!disabled,
        environmentKind: env.kind,
        featureKinds: version.kinds,
        agentSeenAt: health?.reportedAt ?? null,
        healthWindowMs: this.config.healthWindowMs,
        dependencies: version.dependencies,
        deployedFeatures: deployed,
        render,
        latestDeploy: lastDeploy ? { diid: lastDeploy.diid, status: lastDeploy.status, hash: lastDeploy.hash, at: lastDeploy.at } : null,
        pendingRequest:
          decisions.lastRequest?.diid && decisions.lastRequest.hash
            ? { diid: decisions.lastRequest.diid, hash: decisions.lastRequest.hash, at: decisions.lastRequest.at }
            : null,
        requestTimeoutMs: this.config.requestTimeoutMs,
        failures: { count: failures, lastAt: failures > 0 ? (lastDeploy?.at ?? null) : null },
        retry: policy,
        force: false,
        // under the environment's current policy, as the reconciler will see it
        drift: drift
          ? {
              kind: drift.kind,
              message: drift.message,
              policy: env.driftPolicy,
              corrections: { count: drift.corrections, lastAt: drift.lastCorrectionAt ? new Date(drift.lastCorrectionAt) : null },
            }
          : null,
      });
      next = { action: decided.action, message: decided.message };
    }
    const agentAge = health ? now.getTime() - health.reportedAt.getTime() : null;
    return {
      tenant: env.tenant.name,
      environment: env.name,
      environmentId: env.id,
      feature,
      state: s.state,
      stateMessage: !env.reconcile && !disabled ? 'reconciliation is off for this environment' : s.message,
      next,
      assignments: ranked.map((r) => ({
        id: r.assignment.id,
        version: r.assignment.version,
        target: r.assignment.target,
        createdAt: r.assignment.createdAt.toISOString(),
        outcome: r.outcome,
        reason: r.reason,
        conflict: r.conflict,
      })),
      winner: winner ? { id: winner.id, version: winner.version } : null,
      kind: { environment: env.kind, feature: version.kinds, ok: version.kinds.includes(env.kind) },
      dependencies,
      missingDependencies: missingDependencies(version.dependencies, deployed),
      disabled: disabled ? { reason: disabled.reason, by: disabled.disabled_by, at: disabled.disabled_at.toISOString() } : null,
      reconcile: env.reconcile,
      agent: {
        health: agentAge === null ? 'never-seen' : agentAge > this.config.healthWindowMs ? 'unhealthy' : 'healthy',
        reportedAt: health?.reportedAt.toISOString() ?? null,
        version: health?.version ?? null,
        windowMs: this.config.healthWindowMs,
      },
      desired: {
        hash: desiredHash,
        version: latest?.featureVersion ?? null,
        decision: latest ? { action: latest.action, message: latest.message, at: latest.at.toISOString() } : null,
      },
      lastDeploy: lastDeploy
        ? {
            diid: lastDeploy.diid,
            status: lastDeploy.status,
            version: lastDeploy.featureVersion,
            hash: lastDeploy.hash,
            sameHash: desiredHash !== null && lastDeploy.hash === desiredHash,
            error: lastDeploy.error,
            at: lastDeploy.at.toISOString(),
            log: await this.reader.logTail(lastDeploy.diid, LOG_EXCERPT),
          }
        : null,
      retry: { failures: retry.failures, maxAttempts: retry.maxAttempts, nextAt: retry.nextAt?.toISOString() ?? null, exhausted: retry.exhausted },
      drift,
    };
  }
}

/** Failed deploys of the desired state, newest first, back to the first that is not one (as the reconciler counts). */
export function consecutiveFailures(deploys: DeployFact[], hash: string | null): number {
  let n = 0;
  for (const d of deploys) {
    if (hash === null || d.status !== 'failed' || d.hash !== hash) break;
    n++;
  }
  return n;
}
