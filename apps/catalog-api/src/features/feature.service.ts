// Features and their versions: the stored ones (immutable, with the chart digest) and the tags the registry has
// for the chart (so an operator sees which versions could be assigned). A registry that cannot be reached does not
// fail the listing: `registry.error` says why.
import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '@fasit/domain';
import { OciClient } from '@fasit/oci';
import { AssignmentRepository } from '../assignments/assignment.repository.js';
import type { Actor } from '../common/actor.js';
import { CatalogTransactions } from '../common/catalog-transaction.js';
import { ChartIngestService, OCI_CLIENT, translateOciError } from './chart-ingest.service.js';
import type { FeatureVersion } from './feature-version.entity.js';
import { FeatureVersionRepository } from './feature-version.repository.js';
import type { FeatureDetail, FeatureSummary, FeatureVersionView, VersionListing } from './feature.schemas.js';

export const toFeatureVersionView = (v: FeatureVersion): FeatureVersionView => ({
  feature: v.feature,
  version: v.version,
  chart: v.chart,
  chartDigest: v.chartDigest,
  description: v.description,
  source: v.source,
  kinds: v.kinds,
  createdAt: v.createdAt.toISOString(),
});

@Injectable()
export class FeatureService {
  constructor(
    private readonly featureVersions: FeatureVersionRepository,
    private readonly assignments: AssignmentRepository,
    @Inject(OCI_CLIENT) private readonly oci: OciClient,
    private readonly charts: ChartIngestService,
    private readonly tx: CatalogTransactions,
  ) {}

  /**
   * Ingests a version without assigning it (pull, validate, store with its digest). Idempotent for the same
   * digest (200, `created: false`); a different digest for a stored version is a 409.
   */
  async ingest(actor: Actor, input: { chart: string; version: string }): Promise<FeatureVersionView & { created: boolean }> {
    const pulled = await this.charts.pull(input.chart, input.version);
    return this.tx.run(actor, async (tx) => {
      const { version, created } = await this.charts.store(tx.manager, input.chart, pulled);
      if (created) {
        tx.audit({
          action: 'created',
          objectType: 'feature',
          objectId: `${version.feature}:${version.version}`,
          feature: version.feature,
          description: `ingested ${version.feature}:${version.version} from ${version.chart}`,
          after: { chart: version.chart, digest: version.chartDigest },
        });
      }
      return { ...toFeatureVersionView(version), created };
    });
  }

  async list(): Promise<FeatureSummary[]> {
    const versions = await this.featureVersions.newestFirst();
    const active = await this.assignments.activeCounts();
    const by = new Map<string, FeatureVersion[]>();
    for (const v of versions) by.set(v.feature, [...(by.get(v.feature) ?? []), v]);
    return [...by.entries()]
      .map(([name, list]) => ({
        name,
        latestVersion: list[0]!.version,
        chart: list[0]!.chart,
        description: list[0]!.description,
        versions: list.length,
        activeAssignments: active.get(name) ?? 0,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(name: string): Promise<FeatureDetail> {
    const list = await this.stored(name);
    const latest = list[0]!;
    const activeAssignments = await this.assignments.countActive(name);
    const values = Object.entries(latest.spec.values);
    return {
      name,
      latestVersion: latest.version,
      chart: latest.chart,
      description: latest.description,
      versions: list.length,
      activeAssignments,
      kinds: latest.kinds,
      configKeys: values
        .filter(([, d]) => d.config)
        .map(([key, d]) => ({
          key,
          type: d.config!.type,
          secret: d.config!.secret ?? false,
          required: d.required ?? false,
          description: d.description ?? null,
          default: latest.defaultValues[key] ?? null,
        }))
        .sort((a, b) => a.key.localeCompare(b.key)),
      computedKeys: values
        .filter(([, d]) => d.computed)
        .map(([k]) => k)
        .sort(),
      dependencies: latest.dependencies,
      featureYaml: latest.featureYaml,
    };
  }

  async versions(name: string): Promise<VersionListing> {
    const list = await this.stored(name);
    const chart = list[0]!.chart;
    let tags: string[] = [];
    let error: string | null = null;
    try {
      tags = await this.oci.listTags(chart);
    } catch (e) {
      error = translateOciError(e, chart, '').message;
    }
    const stored = new Set(list.map((v) => v.version.replaceAll('+', '_')));
    return { feature: name, stored: list.map(toFeatureVersionView), registry: { chart, tags, notStored: tags.filter((t) => !stored.has(t)), error } };
  }

  async version(name: string, version: string): Promise<FeatureVersionView & { featureYaml: string; valuesYaml: string }> {
    const v = await this.featureVersions.one(name, version);
    if (!v) throw notFound(`feature version ${name}:${version} not found`);
    return { ...toFeatureVersionView(v), featureYaml: v.featureYaml, valuesYaml: v.valuesYaml };
  }

  private async stored(name: string): Promise<FeatureVersion[]> {
    const rows = await this.featureVersions.newestFirst(name);
    if (rows.length === 0) throw notFound(`feature "${name}" not found`);
    return rows;
  }
}
