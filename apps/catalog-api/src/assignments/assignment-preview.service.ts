// What an assignment would do, without saving it: the environments it would reach, and there which assignment it
// would replace (the one with the same target) or win over (a less specific one); environments where a more
// specific assignment keeps winning are listed too. The value diff per environment needs the values renderer of
// @fasit/templates, which has not landed yet: `valueDiff` is null until it does.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { canonicalLabels, notFound, selectWinners, type Labels } from '@fasit/domain';
import { visibleTenants } from '../auth/access.js';
import type { Actor } from '../common/actor.js';
import { Environment } from '../environments/environment.entity.js';
import { checkLabels } from '../environments/environment.service.js';
import { FeatureVersion } from '../features/feature-version.entity.js';
import { Assignment } from './assignment.entity.js';

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
  valueDiff: null;
}

export interface AssignmentPreview {
  feature: string;
  version: string;
  target: Labels;
  /** The active assignment with the same target that creating this one would deactivate. */
  replaces: AssignmentRefView | null;
  environments: PreviewEnvironment[];
  valueDiffAvailable: false;
}

const ref = (a: Assignment): AssignmentRefView => ({ id: a.id, version: a.version, target: a.target });

@Injectable()
export class AssignmentPreviewService {
  constructor(private readonly ds: DataSource) {}

  async preview(actor: Actor, input: { feature: string; version: string; target: Labels }): Promise<AssignmentPreview> {
    checkLabels(input.target, 'target');
    const fv = await this.ds.getRepository(FeatureVersion).findOneBy({ feature: input.feature, version: input.version });
    if (!fv) throw notFound(`feature version ${input.feature}:${input.version} is not in the catalog`);
    const [envs, actives] = await Promise.all([
      this.ds.getRepository(Environment).createQueryBuilder('e').innerJoinAndSelect('e.tenant', 't').where('e.labels @> :target::jsonb', { target: JSON.stringify(input.target) }).getMany(),
      this.ds.getRepository(Assignment).find({ where: { feature: input.feature, active: true } }),
    ]);
    const key = canonicalLabels(input.target);
    const replaced = actives.find((a) => canonicalLabels(a.target) === key) ?? null;
    const candidate = { id: '~preview', feature: input.feature, version: input.version, target: input.target, createdAt: new Date(8.64e15) } as Assignment;
    const after = [...actives.filter((a) => a !== replaced), candidate];
    const visible = visibleTenants(actor);
    const environments = envs
      .filter((e) => visible === null || visible.includes(e.tenant.name))
      .map((e): PreviewEnvironment => {
        const runs = fv.kinds.includes(e.kind);
        const now = runs ? (selectWinners(actives, e.labels).get(input.feature)?.winner ?? null) : null;
        const then = selectWinners(after, e.labels).get(input.feature)?.winner;
        const outcome = !runs ? 'kind-mismatch' : then === candidate ? 'reach' : 'kept';
        return { environmentId: e.id, tenant: e.tenant.name, environment: e.name, kind: e.kind, outcome, current: now ? ref(now) : null, currentVersion: now?.version ?? null, valueDiff: null };
      })
      .sort((x, y) => `${x.tenant}/${x.environment}`.localeCompare(`${y.tenant}/${y.environment}`));
    return { feature: input.feature, version: input.version, target: input.target, replaces: replaced ? ref(replaced) : null, environments, valueDiffAvailable: false };
  }
}
