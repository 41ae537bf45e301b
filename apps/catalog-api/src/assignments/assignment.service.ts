import { Injectable } from '@nestjs/common';
import { outboxEvent } from '@fasit/bus';
import { DomainError, invalid, notFound, type Labels } from '@fasit/domain';
import type { Actor } from '../common/actor.js';
import { CatalogTransactions, type CatalogTx } from '../common/catalog-transaction.js';
import { checkLabels } from '../environments/environment.service.js';
import { ChartIngestService } from '../features/chart-ingest.service.js';
import type { FeatureVersion } from '../features/feature-version.entity.js';
import { FeatureVersionRepository } from '../features/feature-version.repository.js';
import { TenantService } from '../tenants/tenant.service.js';
import type { Assignment, SourceRef } from './assignment.entity.js';
import { AssignmentRepository } from './assignment.repository.js';
import { AssignmentStatusService, type Fallback } from './assignment-status.service.js';
import type { AssignmentView } from './assignment.schemas.js';

export interface CreateAssignmentInput {
  chart?: string;
  feature?: string;
  version: string;
  target: Labels;
  description?: string;
  sourceRef?: SourceRef;
}

export interface CreateOptions {
  /** Refuses a feature the caller may not assign (GitHub callers: their repository policy); called once the feature is known. */
  authorizeFeature?: (feature: string) => void;
  /** Refuses a target that names a tenant that does not exist or reaches no environment where the feature runs. */
  requireTargets?: boolean;
}

/** What a list shows: by feature, active flag, environment (`labels`), and what the caller may see. */
export interface ListFilter {
  feature?: string;
  active?: boolean;
  labels?: Labels;
  /** Only these features (a GitHub caller's). */
  features?: string[];
  /** Only targets pinned to these tenants (null: every target, the caller has a global role). */
  tenants?: string[] | null;
}

/**
 * Where an assignment comes from. A GitHub Actions caller's is what its verified token says (repository, commit,
 * workflow run), never what the body claims; other callers may state one.
 */
export function sourceOf(actor: Actor, claimed: SourceRef | undefined): SourceRef | undefined {
  return actor.kind === 'github' ? actor.source : claimed;
}

export const toAssignmentView = (a: Assignment): AssignmentView => ({
  id: a.id,
  feature: a.feature,
  version: a.version,
  target: a.target,
  description: a.description,
  sourceRef: a.sourceRef,
  active: a.active,
  createdBy: a.createdBy,
  createdAt: a.createdAt.toISOString(),
  deactivatedAt: a.deactivatedAt?.toISOString() ?? null,
  replacedBy: a.replacedBy,
});

@Injectable()
export class AssignmentService {
  constructor(
    private readonly repo: AssignmentRepository,
    private readonly versions: FeatureVersionRepository,
    private readonly tenants: TenantService,
    private readonly tx: CatalogTransactions,
    private readonly charts: ChartIngestService,
    private readonly statuses: AssignmentStatusService,
  ) {}

  /**
   * Creates an assignment, ingesting the chart first when given a chart reference. The active assignment for
   * the same (feature, target) is replaced atomically; of two concurrent creations for one target exactly one
   * wins and the other gets a 409.
   */
  async create(actor: Actor, input: CreateAssignmentInput, options: CreateOptions = {}): Promise<AssignmentView> {
    const authorizeFeature = options.authorizeFeature ?? (() => undefined);
    checkLabels(input.target, 'target');
    if (options.requireTargets && input.target['tenant'] !== undefined && !(await this.tenants.exists(input.target['tenant']))) {
      throw invalid(`target ${JSON.stringify(input.target)}: tenant "${input.target['tenant']}" does not exist; nothing was assigned`, 'target');
    }
    if (!input.chart && !input.feature) throw invalid('give either chart (an oci:// reference) or feature', 'chart');
    if (input.feature) authorizeFeature(input.feature);
    const pulled = input.chart ? await this.charts.pull(input.chart, input.version) : undefined;
    if (pulled) authorizeFeature(pulled.chartYaml.name);
    return this.tx.run(
      actor,
      async (tx) => {
        let fv: FeatureVersion;
        if (pulled && input.chart) {
          const stored = await this.charts.store(tx.manager, input.chart, pulled);
          fv = stored.version;
          if (input.feature && input.feature !== fv.feature) throw invalid(`the chart is feature "${fv.feature}", not "${input.feature}"`, 'feature');
          if (stored.created) {
            tx.audit({
              action: 'created',
              objectType: 'feature',
              objectId: `${fv.feature}:${fv.version}`,
              feature: fv.feature,
              description: `ingested ${fv.feature}:${fv.version} from ${fv.chart}`,
              after: { chart: fv.chart, digest: fv.chartDigest },
            });
          }
        } else {
          const found = await this.versions.one(input.feature!, input.version, tx.manager);
          if (!found)
            throw notFound(
              `feature version ${input.feature}:${input.version} is not in the catalog; create the assignment with its chart reference to ingest it`,
            );
          fv = found;
        }
        if (options.requireTargets) await this.requireTargets(tx, fv, input.target);
        if (!fv.source) {
          throw new DomainError(
            'INVALID_FEATURE',
            `${fv.feature}:${fv.version} has no sources in Chart.yaml; the first entry (where the feature's code lives) is required before it can be assigned`,
            { field: 'chart' },
          );
        }
        return this.replaceActive(tx, fv, { ...input, sourceRef: sourceOf(actor, input.sourceRef) });
      },
      () =>
        new DomainError(
          'CONFLICT',
          `another assignment for ${pulled?.chartYaml.name ?? input.feature} with target ${JSON.stringify(input.target)} was created at the same time; retry to replace it`,
          {
            field: 'target',
          },
        ),
    );
  }

  /** Refuses a target that reaches no environment where the feature runs (the caller would wait for nothing). */
  private async requireTargets(tx: CatalogTx, fv: FeatureVersion, target: Labels): Promise<void> {
    const kinds = await this.repo.targetKinds(tx.manager, target);
    if (kinds.length === 0) throw invalid(`target ${JSON.stringify(target)} matches no environment; nothing was assigned`, 'target');
    if (!kinds.some((k) => fv.kinds.includes(k))) {
      throw invalid(
        `target ${JSON.stringify(target)} matches only environments of kind ${kinds
          .sort()
          .join(', ')}, where ${fv.feature} does not run (it runs in: ${fv.kinds.join(', ')}); nothing was assigned`,
        'target',
      );
    }
  }

  private async replaceActive(tx: CatalogTx, fv: FeatureVersion, input: CreateAssignmentInput): Promise<AssignmentView> {
    const target = JSON.stringify(input.target);
    const replaced = await this.repo.deactivateActive(tx.manager, fv.feature, input.target);
    const a = await this.repo.insert(tx.manager, {
      feature: fv.feature,
      version: fv.version,
      target: input.target,
      description: input.description ?? '',
      sourceRef: input.sourceRef ?? null,
      active: true,
      createdBy: tx.actor.name,
      deactivatedAt: null,
      replacedBy: null,
    });
    if (replaced) await this.repo.setReplacedBy(tx.manager, replaced.id, a.id);
    tx.audit({
      action: 'created',
      objectType: 'assignment',
      objectId: a.id,
      feature: a.feature,
      description: `assigned ${a.feature}:${a.version} to ${target}${replaced ? ` (replaces ${replaced.id} at ${replaced.version})` : ''}`,
      after: toAssignmentView(a),
      metadata: replaced ? { replaced: replaced.id } : {},
    });
    tx.emit(
      outboxEvent('catalog.assignment.changed.v1', {
        version: 'v1',
        assignmentId: a.id,
        feature: a.feature,
        featureVersion: a.version,
        target: a.target,
        active: true,
        replacedAssignmentId: replaced?.id ?? null,
      }),
    );
    return toAssignmentView(a);
  }

  async get(id: string): Promise<Assignment> {
    const a = await this.repo.byId(id);
    if (!a) throw notFound(`assignment "${id}" not found`);
    return a;
  }

  /** Newest first; `before`: only those created before that assignment (keyset paging); `take` rows at most. */
  async list(filter: ListFilter, page: { take: number; before?: string }): Promise<AssignmentView[]> {
    if (page.before !== undefined && !(await this.repo.byId(page.before))) throw invalid(`before: no assignment "${page.before}"`, 'before');
    // a target without a tenant label reaches every tenant: a caller limited to some tenants does not see it
    return (await this.repo.page(filter, page)).map(toAssignmentView);
  }

  /**
   * Deactivates an assignment (uninstalls nothing). Where that would let an older version win, it refuses unless
   * `confirm` is set, naming the environments and versions; the answer lists what takes over where.
   */
  async deactivate(actor: Actor, id: string, confirm = false): Promise<AssignmentView & { fallback: Fallback[] }> {
    const current = await this.get(id);
    const fallback = await this.statuses.fallbackIfDeactivated(current);
    const downgrades = fallback.filter((f) => f.downgrade);
    if (downgrades.length > 0 && !confirm) {
      const where = downgrades.map((f) => `${f.tenant}/${f.environment} (${current.version} → ${f.next!.version})`).join(', ');
      throw new DomainError(
        'CONFLICT',
        `deactivating ${current.feature}:${current.version} would downgrade ${where}; repeat with ?confirm=true to do it anyway`,
        {
          field: 'confirm',
          details: { fallback },
        },
      );
    }
    return this.tx.run(actor, async (tx) => {
      const a = await this.repo.lock(tx.manager, id);
      if (!a) throw notFound(`assignment "${id}" not found`);
      if (!a.active) return { ...toAssignmentView(a), fallback: [] };
      a.active = false;
      a.deactivatedAt = new Date();
      await this.repo.save(tx.manager, a);
      tx.audit({
        action: 'deactivated',
        objectType: 'assignment',
        objectId: a.id,
        feature: a.feature,
        description: `deactivated assignment ${a.feature}:${a.version} ${JSON.stringify(a.target)}${downgrades.length ? ` (confirmed downgrade in ${downgrades.length} environments)` : ''}`,
        metadata: { fallback },
      });
      tx.emit(
        outboxEvent('catalog.assignment.changed.v1', {
          version: 'v1',
          assignmentId: a.id,
          feature: a.feature,
          featureVersion: a.version,
          target: a.target,
          active: false,
          replacedAssignmentId: null,
        }),
      );
      return { ...toAssignmentView(a), fallback };
    });
  }
}
