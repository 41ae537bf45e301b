// What an assignment would do, without saving it: the environments it would reach, and there which assignment it
// would replace (the one with the same target) or win over (a less specific one); environments where a more
// specific assignment keeps winning are listed too. Where it would reach, the value diff: the values rendered (with
// the reconciler's renderer, @fasit/templates) for the version winning now and for the previewed one, per key,
// secrets masked.
import { Injectable } from '@nestjs/common';
import { canonicalLabels, notFound, selectWinners, type Labels } from '@fasit/domain';
import { shareEnvironments, type RenderEnvironment, type SharedEnvironments } from '@fasit/templates';
import { visibleTenants } from '../auth/access.js';
import type { Actor } from '../common/actor.js';
import { EnvironmentRepository } from '../environments/environment.repository.js';
import { checkLabels } from '../environments/environment.service.js';
import type { FeatureVersion } from '../features/feature-version.entity.js';
import { FeatureVersionRepository } from '../features/feature-version.repository.js';
import { RenderDataService } from '../templates/render-data.service.js';
import type { Assignment } from './assignment.entity.js';
import { AssignmentRepository } from './assignment.repository.js';
import { valueDiff, type ValueDiff } from './value-diff.js';

interface AssignmentRefView {
  id: string;
  version: string;
  target: Labels;
}

export interface PreviewEnvironment {
  environmentId: string;
  tenant: string;
  environment: string;
  kind: string;
  /** `reach`: it would win here; `kept`: a more specific assignment keeps winning; `kind-mismatch`: the feature does not run in this kind. */
  outcome: 'reach' | 'kept' | 'kind-mismatch';
  /** The assignment winning here now (replaced or displaced when the outcome is `reach`); null where the feature does not run. */
  current: AssignmentRefView | null;
  currentVersion: string | null;
  /** Where the outcome is `reach`: what would change in the rendered values (null elsewhere). */
  valueDiff: ValueDiff | null;
}

export interface AssignmentPreview {
  feature: string;
  version: string;
  target: Labels;
  /** The active assignment with the same target that creating this one would deactivate. */
  replaces: AssignmentRefView | null;
  environments: PreviewEnvironment[];
}

const ref = (a: Assignment): AssignmentRefView => ({ id: a.id, version: a.version, target: a.target });

@Injectable()
export class AssignmentPreviewService {
  constructor(
    private readonly environments: EnvironmentRepository,
    private readonly assignments: AssignmentRepository,
    private readonly versions: FeatureVersionRepository,
    private readonly data: RenderDataService,
  ) {}

  async preview(actor: Actor, input: { feature: string; version: string; target: Labels }): Promise<AssignmentPreview> {
    checkLabels(input.target, 'target');
    const fv = await this.versions.one(input.feature, input.version);
    if (!fv) throw notFound(`feature version ${input.feature}:${input.version} is not in the catalog`);
    const [envs, actives] = await Promise.all([this.environments.matching(input.target), this.assignments.active(input.feature)]);
    const key = canonicalLabels(input.target);
    const replaced = actives.find((a) => canonicalLabels(a.target) === key) ?? null;
    const candidate = { id: '~preview', feature: input.feature, version: input.version, target: input.target, createdAt: new Date(8.64e15) } as Assignment;
    const after = [...actives.filter((a) => a !== replaced), candidate];
    const visible = visibleTenants(actor);
    const shown = envs.filter((e) => visible === null || visible.includes(e.tenant.name));
    const [rendered, config] = await Promise.all([
      this.data.environments([...new Set(shown.map((e) => e.tenant.name))]),
      this.data.featureConfig(input.feature),
    ]);
    const specs = new Map<string, FeatureVersion>([[fv.version, fv]]);
    for (const a of actives) if (!specs.has(a.version)) specs.set(a.version, await this.versions.assigned(a.feature, a.version));
    // Each tenant's environments are turned into template data once for all its renders, not once per render.
    const byId = new Map(rendered.map((r) => [r.id, r]));
    const tenants = new Map<string, { environments: RenderEnvironment[]; shared: SharedEnvironments }>();
    const tenantOf = (name: string) => {
      let t = tenants.get(name);
      if (!t) {
        const environments = rendered.filter((r) => r.tenant === name);
        t = { environments, shared: shareEnvironments(environments) };
        tenants.set(name, t);
      }
      return t;
    };
    const environments = shown
      .map((e): PreviewEnvironment => {
        const runs = fv.kinds.includes(e.kind);
        const now = runs ? (selectWinners(actives, e.labels).get(input.feature)?.winner ?? null) : null;
        const then = selectWinners(after, e.labels).get(input.feature)?.winner;
        const outcome = !runs ? 'kind-mismatch' : then === candidate ? 'reach' : 'kept';
        const tenant = tenantOf(e.tenant.name);
        const diff =
          outcome === 'reach'
            ? valueDiff({
                feature: input.feature,
                environment: byId.get(e.id)!,
                tenantEnvironments: tenant.environments,
                shared: tenant.shared,
                config: { global: config.global, environment: config.environment.get(e.id) ?? {} },
                before: now ? specs.get(now.version)!.spec : null,
                after: fv.spec,
              })
            : null;
        return {
          environmentId: e.id,
          tenant: e.tenant.name,
          environment: e.name,
          kind: e.kind,
          outcome,
          current: now ? ref(now) : null,
          currentVersion: now?.version ?? null,
          valueDiff: diff,
        };
      })
      .sort((x, y) => `${x.tenant}/${x.environment}`.localeCompare(`${y.tenant}/${y.environment}`));
    return { feature: input.feature, version: input.version, target: input.target, replaces: replaced ? ref(replaced) : null, environments };
  }
}
