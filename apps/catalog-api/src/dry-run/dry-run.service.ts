// The reconciler, dry: every (environment, feature) an active assignment reaches, rendered and decided with the
// reconciler's own rules (`renderValues` in a worker with a hard time limit, `desiredStateHash`, `decide` with the
// same policy settings), streamed as it goes, without writing or sending anything. What it would do now.
import { Inject, Injectable } from '@nestjs/common';
import { decide, desiredStateHash, selectWinners, type DecisionAction } from '@fasit/domain';
import type { RenderEnvironment } from '@fasit/templates';
import { AssignmentRepository } from '../assignments/assignment.repository.js';
import { visibleTenants } from '../auth/access.js';
import type { Actor } from '../common/actor.js';
import type { ServerEvent } from '../common/sse.js';
import { CATALOG_CONFIG, type CatalogConfig } from '../settings/catalog.settings.js';
import { consecutiveFailures } from '../explain/explain.service.js';
import { ExplainReader } from '../explain/explain.reader.js';
import { DisabledFeatureRepository } from '../environment-features/disabled-feature.repository.js';
import { EnvironmentRepository } from '../environments/environment.repository.js';
import type { FeatureVersion } from '../features/feature-version.entity.js';
import { FeatureVersionRepository } from '../features/feature-version.repository.js';
import { ReleaseReader } from '../releases/release.reader.js';
import { CatalogRenderPool } from '../templates/catalog-render-pool.js';
import { RenderDataService, type FeatureConfig } from '../templates/render-data.service.js';
import { TenantService } from '../tenants/tenant.service.js';
import { DryRunReader } from './dry-run.reader.js';

export interface DryRunDecision {
  tenant: string;
  environment: string;
  feature: string;
  version: string;
  action: DecisionAction;
  message: string;
}

export interface DryRunSummary {
  pairs: number;
  byAction: Record<string, number>;
  fetchMs: number;
  computeMs: number;
}

const pairKey = (environmentId: string, feature: string) => `${environmentId}/${feature}`;

@Injectable()
export class DryRunService {
  private runs = 0;

  constructor(
    private readonly tenants: TenantService,
    private readonly environments: EnvironmentRepository,
    private readonly assignments: AssignmentRepository,
    private readonly versions: FeatureVersionRepository,
    private readonly disabledFeatures: DisabledFeatureRepository,
    private readonly data: RenderDataService,
    private readonly reader: ExplainReader,
    private readonly releases: ReleaseReader,
    private readonly deploys: DryRunReader,
    private readonly pool: CatalogRenderPool,
    @Inject(CATALOG_CONFIG) private readonly config: CatalogConfig,
  ) {}

  /** `decision` events, one per pair, then a `summary`; only the tenants the caller sees. */
  async *run(actor: Actor, signal: AbortSignal): AsyncGenerator<ServerEvent> {
    const started = Date.now();
    const visible = visibleTenants(actor);
    const tenants = (await this.tenants.list()).map((t) => t.name).filter((t) => visible === null || visible.includes(t));
    const [actives, versions, disabled, health, deploys, requests] = await Promise.all([
      this.assignments.active(),
      this.versions.all(),
      this.disabledFeatures.all(),
      this.releases.allAgentHealth(),
      this.deploys.latestDeploys(),
      this.deploys.latestDeployRequests(),
    ]);
    const versionOf = new Map(versions.map((v) => [`${v.feature}:${v.version}`, v]));
    const disabledSet = new Set(disabled.map((d) => pairKey(d.environment_id, d.feature)));
    const healthOf = new Map(health.map((h) => [h.environment_id, h.reported_at]));
    const deployOf = new Map(deploys.map((d) => [pairKey(d.environment_id, d.feature), d]));
    const requestOf = new Map(requests.map((d) => [pairKey(d.environment_id, d.feature), d]));
    const deployedIn = new Map<string, Set<string>>();
    for (const d of deploys) if (d.status === 'deployed') deployedIn.set(d.environment_id, new Set([...(deployedIn.get(d.environment_id) ?? []), d.feature]));
    const configs = new Map<string, FeatureConfig>();
    const reconcileOf = await this.environments.reconcileFlags();
    const fetchMs = Date.now() - started;
    const computeStarted = Date.now();
    const byAction: Record<string, number> = {};
    let pairs = 0;
    const run = ++this.runs;
    for (const tenant of tenants) {
      if (signal.aborted) return;
      const environments: RenderEnvironment[] = await this.data.environments([tenant]);
      const sharedKey = `dry-run-${run}-${tenant}`;
      for (const env of environments) {
        for (const [feature, { winner }] of [...selectWinners(actives, env.labels)].sort(([a], [b]) => a.localeCompare(b))) {
          if (signal.aborted) return;
          const version = versionOf.get(`${feature}:${winner.version}`);
          if (!version) continue;
          let config = configs.get(feature);
          if (!config) {
            config = await this.data.featureConfig(feature);
            configs.set(feature, config);
          }
          const key = pairKey(env.id, feature);
          const runs = version.kinds.includes(env.kind as FeatureVersion['kinds'][number]);
          const render = runs
            ? await this.pool.get().render(
                {
                  feature: { name: feature, spec: version.spec },
                  environment: env,
                  tenantEnvironments: environments,
                  config: { global: config.global, environment: config.environment.get(env.id) ?? {} },
                  fasit: { IAPAudience: this.config.iapAudience },
                },
                sharedKey,
              )
            : null;
          const hash = render?.ok ? desiredStateHash(render.values, version.version, version.chartDigest) : null;
          const latest = deployOf.get(key) ?? null;
          const request = requestOf.get(key);
          const failures =
            hash && latest?.status === 'failed' && latest.hash === hash ? consecutiveFailures(await this.reader.deploys(env.id, feature), hash) : 0;
          const d = decide({
            now: new Date(),
            reconcile: reconcileOf.get(env.id) ?? true,
            disabled: disabledSet.has(key),
            environmentKind: env.kind,
            featureKinds: version.kinds,
            agentSeenAt: healthOf.get(env.id) ?? null,
            healthWindowMs: this.config.healthWindowMs,
            dependencies: version.dependencies,
            deployedFeatures: deployedIn.get(env.id) ?? new Set(),
            render:
              render === null ? { ok: true, hash: '' } : render.ok ? { ok: true, hash: hash! } : { ok: false, action: render.action, message: render.message },
            latestDeploy: latest ? { diid: latest.diid, status: latest.status, hash: latest.hash, at: latest.created_at } : null,
            pendingRequest: request ? { diid: request.diid, hash: request.hash, at: request.created_at } : null,
            requestTimeoutMs: this.config.requestTimeoutMs,
            failures: { count: failures, lastAt: failures > 0 ? (latest?.created_at ?? null) : null },
            retry: { maxAttempts: this.config.retryMaxAttempts, baseDelayMs: this.config.retryBaseDelayMs },
            force: false,
          });
          pairs++;
          byAction[d.action] = (byAction[d.action] ?? 0) + 1;
          const decision: DryRunDecision = { tenant, environment: env.name, feature, version: version.version, action: d.action, message: d.message };
          yield { event: 'decision', data: decision };
        }
      }
    }
    const summary: DryRunSummary = { pairs, byAction, fetchMs, computeMs: Date.now() - computeStarted };
    yield { event: 'summary', data: summary };
  }
}
