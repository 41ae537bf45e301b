import yaml from 'js-yaml';
import { OciClient, type OciClientOptions, type ResolvedManifest } from './client.js';
import { OciError } from './errors.js';
import { parseChartReference, type ChartReference } from './reference.js';
import { DEFAULT_TAR_LIMITS, gunzipLimited, readTar } from './tar.js';

export const HELM_CONFIG_MEDIA_TYPE = 'application/vnd.cncf.helm.config.v1+json';
export const HELM_CHART_LAYER_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
export const HELM_PROVENANCE_LAYER_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.provenance.v1.prov';

/** Chart.yaml, with the fields Fasit reads typed and everything else kept in `raw`. */
export interface ChartYaml {
  apiVersion: string;
  name: string;
  version: string;
  description?: string;
  appVersion?: string;
  type?: string;
  sources: string[];
  raw: Record<string, unknown>;
}

export interface ValuesYaml {
  /** values.yaml as written (empty when the chart has none). */
  text: string;
  /** Parsed values.yaml (`{}` when empty or missing). */
  parsed: Record<string, unknown>;
}

export interface ChartContents {
  chartYaml: ChartYaml;
  valuesYaml: ValuesYaml;
  /** Feature.yaml as text, or null when the chart has none. Validation belongs to @fasit/feature-spec. */
  featureYaml: string | null;
  /** Every file of the chart, keyed by its path below the chart's top folder (`templates/configmap.yaml`). */
  files: Map<string, Buffer>;
}

export interface PulledChart extends ChartContents {
  reference: ChartReference;
  /** Manifest digest (`sha256:…`): what `helm push` prints as `Digest:`. */
  digest: string;
  /** Digest of the chart archive layer. */
  layerDigest: string;
}

export interface ChartLimits {
  /** Largest compressed chart archive, bytes. Default 10 MiB. */
  maxArchiveBytes: number;
  /** Largest sum of file sizes once uncompressed, bytes. Default 20 MiB. */
  maxUncompressedBytes: number;
  /** Most entries in the archive. Default 1,000. */
  maxFiles: number;
}

export const DEFAULT_CHART_LIMITS: ChartLimits = {
  maxArchiveBytes: 10 * 1024 * 1024,
  maxUncompressedBytes: DEFAULT_TAR_LIMITS.maxTotalBytes,
  maxFiles: DEFAULT_TAR_LIMITS.maxEntries,
};

function invalidChart(message: string, cause?: unknown): OciError {
  return new OciError('INVALID_CHART', message, cause === undefined ? {} : { cause });
}

function parseYaml(text: string, file: string): unknown {
  try {
    return yaml.load(text, { filename: file });
  } catch (error) {
    throw invalidChart(`${file} is not valid YAML: ${(error as Error).message}`, error);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseChartYaml(text: string): ChartYaml {
  const raw = parseYaml(text, 'Chart.yaml');
  if (!isRecord(raw)) throw invalidChart('Chart.yaml is not a mapping');
  // Read the string fields as written: `appVersion: 1.10` is "1.10", not the number 1.1.
  const asText = yaml.load(text, { schema: yaml.FAILSAFE_SCHEMA }) as Record<string, unknown>;
  const field = (key: string): string | undefined => {
    const value = asText[key];
    if (value === undefined || value === null || raw[key] === null) return undefined;
    if (typeof value === 'string') return value;
    throw invalidChart(`Chart.yaml field "${key}" must be a string`);
  };
  const name = field('name');
  const version = field('version');
  if (!name) throw invalidChart('Chart.yaml has no "name"');
  if (!version) throw invalidChart('Chart.yaml has no "version"');
  const sources = raw.sources ?? [];
  if (!Array.isArray(sources) || !sources.every((s) => typeof s === 'string')) {
    throw invalidChart('Chart.yaml field "sources" must be a list of strings');
  }
  const chart: ChartYaml = { apiVersion: field('apiVersion') ?? 'v1', name, version, sources, raw };
  const description = field('description');
  const appVersion = field('appVersion');
  const type = field('type');
  if (description !== undefined) chart.description = description;
  if (appVersion !== undefined) chart.appVersion = appVersion;
  if (type !== undefined) chart.type = type;
  return chart;
}

/**
 * Reads a packaged chart (`.tgz`) in memory. Every file must sit under one top folder (as `helm package`
 * writes it); paths that escape it, links and archives over the limits are refused.
 */
export async function readChartArchive(archive: Uint8Array, limits: Partial<ChartLimits> = {}): Promise<ChartContents> {
  const { maxArchiveBytes, maxUncompressedBytes, maxFiles } = { ...DEFAULT_CHART_LIMITS, ...limits };
  if (archive.length > maxArchiveBytes) {
    throw new OciError('TOO_LARGE', `chart archive is ${archive.length} bytes, more than the limit of ${maxArchiveBytes}`);
  }
  // The tar itself is a little larger than its files (512-byte headers and padding): allow for it.
  const tar = gunzipLimited(archive, maxUncompressedBytes + (maxFiles + 2) * 1024);
  const entries = await readTar(tar, { maxEntries: maxFiles, maxTotalBytes: maxUncompressedBytes });
  if (entries.length === 0) throw invalidChart('chart archive holds no files');

  const top = entries[0]?.path.split('/')[0] ?? '';
  const files = new Map<string, Buffer>();
  for (const entry of entries) {
    const slash = entry.path.indexOf('/');
    if (slash < 0 || entry.path.slice(0, slash) !== top) {
      throw invalidChart(`chart archive has "${entry.path}" outside its top folder "${top}/"`);
    }
    files.set(entry.path.slice(slash + 1), entry.data);
  }

  const chartFile = files.get('Chart.yaml');
  if (!chartFile) throw invalidChart(`chart archive has no ${top}/Chart.yaml`);
  const chartYaml = parseChartYaml(chartFile.toString('utf8'));

  const valuesText = files.get('values.yaml')?.toString('utf8') ?? '';
  const parsedValues = valuesText.trim() === '' ? {} : parseYaml(valuesText, 'values.yaml');
  if (parsedValues !== null && parsedValues !== undefined && !isRecord(parsedValues)) {
    throw invalidChart('values.yaml is not a mapping');
  }
  const featureYaml = files.get('Feature.yaml')?.toString('utf8') ?? null;
  return { chartYaml, valuesYaml: { text: valuesText, parsed: parsedValues ?? {} }, featureYaml, files };
}

/** Checks that a manifest is a Helm chart and returns its chart layer. */
export function chartLayerOf(resolved: ResolvedManifest): ResolvedManifest['manifest']['layers'][number] {
  const { manifest } = resolved;
  const where = `oci://${resolved.reference.registry}/${resolved.reference.repository}@${resolved.digest}`;
  if (manifest.config.mediaType !== HELM_CONFIG_MEDIA_TYPE) {
    throw invalidChart(`${where} is not a Helm chart (config media type "${manifest.config.mediaType}")`);
  }
  const layers = manifest.layers.filter((l) => l.mediaType === HELM_CHART_LAYER_MEDIA_TYPE);
  const layer = layers[0];
  if (layer === undefined || layers.length !== 1) {
    throw invalidChart(`${where} must have exactly one ${HELM_CHART_LAYER_MEDIA_TYPE} layer, has ${layers.length}`);
  }
  return layer;
}

/** Resolves `ref` at `version`, downloads the chart layer (digest-verified) and reads it. */
export async function pullChartWith(
  client: OciClient,
  reference: string | ChartReference,
  version?: string,
  limits: Partial<ChartLimits> = {},
): Promise<PulledChart> {
  const ref = typeof reference === 'string' ? parseChartReference(reference, version) : reference;
  const resolved = await client.resolve(ref);
  const layer = chartLayerOf(resolved);
  const maxArchiveBytes = limits.maxArchiveBytes ?? DEFAULT_CHART_LIMITS.maxArchiveBytes;
  const archive = await client.fetchBlob(ref, layer, { maxBytes: maxArchiveBytes });
  const contents = await readChartArchive(archive, limits);
  return { ...contents, reference: ref, digest: resolved.digest, layerDigest: layer.digest };
}

/** One-shot form of `pullChartWith` with a fresh client. Prefer a shared `OciClient` (it caches tokens). */
export async function pullChart(reference: string, version?: string, options: OciClientOptions & { limits?: Partial<ChartLimits> } = {}): Promise<PulledChart> {
  const { limits, ...clientOptions } = options;
  return pullChartWith(new OciClient(clientOptions), reference, version, limits);
}
