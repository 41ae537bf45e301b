// Ingests a feature version from an OCI chart: pulls Chart.yaml, values.yaml and Feature.yaml, validates the
// Feature.yaml, and stores the version with the chart's digest. A version is immutable: a re-push of the same
// version with different content is refused.
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, dnsLabelProblem, invalid } from '@fasit/domain';
import { formatIssue, parseDuration, parseFeatureYaml, splitHelmKey } from '@fasit/feature-spec';
import { OciClient, OciError, pullChartWith, type PulledChart } from '@fasit/oci';
import type { EntityManager } from 'typeorm';
import type { FeatureVersion } from './feature-version.entity.js';
import { FeatureVersionRepository } from './feature-version.repository.js';

export const OCI_CLIENT = Symbol('OCI_CLIENT');

@Injectable()
export class ChartIngestService {
  constructor(
    @Inject(OCI_CLIENT) private readonly oci: OciClient,
    private readonly versions: FeatureVersionRepository,
  ) {}

  /** Pulls the chart (outside any transaction: it is network I/O) and validates it. */
  async pull(chart: string, version: string): Promise<PulledChart> {
    if (!chart.startsWith('oci://')) throw invalid(`chart "${chart}": must be an OCI reference (oci://host/path/name)`, 'chart');
    let pulled: PulledChart;
    try {
      pulled = await pullChartWith(this.oci, chart, version);
    } catch (e) {
      throw translateOciError(e, chart, version);
    }
    const name = pulled.chartYaml.name;
    const nameProblem = dnsLabelProblem('chart name', name);
    if (nameProblem) throw new DomainError('INVALID_FEATURE', `${chart}:${version}: Chart.yaml ${nameProblem}`, { field: 'chart' });
    if (pulled.chartYaml.version !== version) {
      throw new DomainError('INVALID_FEATURE', `${chart}:${version}: Chart.yaml says version ${pulled.chartYaml.version}`, { field: 'version' });
    }
    if (pulled.featureYaml === null) {
      throw new DomainError(
        'INVALID_FEATURE',
        `${chart}:${version}: the chart has no Feature.yaml next to Chart.yaml; Fasit needs it to know which values it manages`,
        { field: 'chart' },
      );
    }
    return pulled;
  }

  /** Stores the pulled version in the caller's transaction; returns the stored row (existing when identical). */
  async store(m: EntityManager, chart: string, pulled: PulledChart): Promise<{ version: FeatureVersion; created: boolean }> {
    const name = pulled.chartYaml.name;
    const version = pulled.chartYaml.version;
    const parsed = parseFeatureYaml(pulled.featureYaml ?? '', { file: `${name}/Feature.yaml` });
    if (!parsed.ok) {
      throw new DomainError('INVALID_FEATURE', `${name}:${version} has an invalid Feature.yaml:\n${parsed.errors.map(formatIssue).join('\n')}`, {
        field: 'chart',
        details: { errors: parsed.errors },
      });
    }
    const existing = await this.versions.one(name, version, m);
    if (existing) {
      if (existing.chartDigest !== pulled.digest) {
        const from = chart.replace(/\/+$/, '');
        throw new DomainError(
          'CONFLICT',
          existing.chart === from
            ? `${name}:${version} was ingested before with digest ${existing.chartDigest}, the registry now has ${pulled.digest}; a version is immutable, push the change as a new version`
            : `${name}:${version} was ingested before from ${existing.chart} (digest ${existing.chartDigest}); ${from}:${version} is another chart (digest ${pulled.digest}); a feature version is immutable, whichever repository it comes from: publish this one as a new version`,
          { field: 'version' },
        );
      }
      return { version: existing, created: false };
    }
    const spec = parsed.spec;
    const stored = await this.versions.insert(m, {
      feature: name,
      version,
      chart: chart.replace(/\/+$/, ''),
      chartDigest: pulled.digest,
      description: pulled.chartYaml.description ?? '',
      source: pulled.chartYaml.sources[0] ?? null,
      kinds: [...spec.environmentKinds].sort(),
      dependencies: spec.dependencies ?? [],
      spec,
      defaultValues: defaultsOf(spec.values, pulled.valuesYaml.parsed),
      timeoutMs: spec.timeout ? parseDuration(spec.timeout) : 0,
      featureYaml: pulled.featureYaml ?? '',
      valuesYaml: pulled.valuesYaml.text,
    });
    return { version: stored, created: true };
  }
}

/** The chart's values.yaml default for every managed key (display only; helm applies them itself). */
function defaultsOf(values: Record<string, unknown>, chartValues: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(values)) {
    let cur: unknown = chartValues;
    for (const seg of splitHelmKey(key)) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    if (cur !== undefined) out[key] = cur;
  }
  return out;
}

/**
 * An OCI failure as the caller sees it: summarised from its code and status, never the upstream's own words (a
 * registry, a token service or whatever answered may say anything; echoing it made the catalog a request forger
 * that reads answers back). Our own findings about the chart (invalid, too large, wrong digest) are kept.
 */
export function translateOciError(e: unknown, chart: string, version: string): DomainError {
  if (!(e instanceof OciError)) return new DomainError('INTERNAL', `pulling ${chart}:${version} failed`);
  const status = e.status === undefined ? '' : ` (HTTP ${e.status}${registryCodes(e)})`;
  switch (e.code) {
    case 'INVALID_REFERENCE':
      return invalid(`chart "${chart}": ${e.message}`, 'chart');
    case 'NOT_ALLOWED':
      return invalid(`chart "${chart}": the catalog may not reach that host (FASIT_OCI_REGISTRIES lists the registries it pulls from)`, 'chart');
    case 'NOT_FOUND':
      return new DomainError('INVALID_INPUT', `chart ${chart}:${version} does not exist in the registry${status}`, { field: 'version' });
    case 'UNAUTHORIZED':
      return new DomainError('UPSTREAM_ERROR', `the registry refused access to ${chart}${status}`, { field: 'chart' });
    case 'UNREACHABLE':
      return new DomainError('UPSTREAM_UNAVAILABLE', `the registry for ${chart} is unreachable${causeCode(e)}`, { field: 'chart' });
    case 'INVALID_CHART':
    case 'TOO_LARGE':
    case 'DIGEST_MISMATCH':
      return new DomainError('INVALID_FEATURE', `${chart}:${version}: ${e.message}`, { field: 'chart' });
    case 'REGISTRY_ERROR':
      return new DomainError('UPSTREAM_ERROR', `the registry answered an error for ${chart}:${version}${status}`, { field: 'chart' });
  }
}

/** The distribution spec's error codes the registry gave (upper-case words only: nothing else it says is repeated). */
function registryCodes(e: OciError): string {
  const codes = e.registryErrors.map((r) => r.code).filter((c) => typeof c === 'string' && /^[A-Z][A-Z0-9_]{0,40}$/.test(c));
  return codes.length > 0 ? `: ${[...new Set(codes)].slice(0, 3).join(', ')}` : '';
}

/** Why a connection failed (a system error code such as ECONNREFUSED, or a time-out), without addresses. */
function causeCode(e: OciError): string {
  if (/no answer within/.test(e.message)) return ' (no answer in time)';
  const code = (e.cause as { cause?: { code?: unknown } } | undefined)?.cause?.code ?? (e.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[A-Z_]{2,30}$/.test(code) ? ` (${code})` : '';
}
