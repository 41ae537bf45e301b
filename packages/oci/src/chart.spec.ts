import { describe, expect, it } from '@jest/globals';
import { chartLayerOf, HELM_CHART_LAYER_MEDIA_TYPE, HELM_CONFIG_MEDIA_TYPE, HELM_PROVENANCE_LAYER_MEDIA_TYPE, readChartArchive } from './chart.js';
import type { Descriptor, ResolvedManifest } from './client.js';
import { OciError } from './errors.js';
import { parseChartReference } from './reference.js';
import { buildTgz, type RawTarEntry } from './test-support/tar-builder.js';

const CHART_YAML = `apiVersion: v2
name: demo
version: 1.2.3
description: A demo
appVersion: "4.5"
sources:
  - https://github.com/example/demo
`;

function chart(files: Record<string, string>, top = 'demo'): Buffer {
  const entries: RawTarEntry[] = Object.entries(files).map(([name, data]) => ({ name: `${top}/${name}`, data }));
  return buildTgz(entries);
}

async function errorOf(fn: () => unknown): Promise<OciError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof OciError) return error;
    throw error;
  }
  throw new Error('expected an OciError');
}

describe('readChartArchive', () => {
  it('reads Chart.yaml, values.yaml, Feature.yaml and every file below the top folder', async () => {
    const contents = await readChartArchive(
      chart({
        'Chart.yaml': CHART_YAML,
        'values.yaml': 'image:\n  tag: "1.0"\nreplicas: 2\n',
        'Feature.yaml': 'environmentKinds: [tenant]\n',
        'templates/cm.yaml': 'kind: ConfigMap\n',
      }),
    );
    expect(contents.chartYaml).toEqual({
      apiVersion: 'v2',
      name: 'demo',
      version: '1.2.3',
      description: 'A demo',
      appVersion: '4.5',
      sources: ['https://github.com/example/demo'],
      raw: expect.objectContaining({ name: 'demo', version: '1.2.3' }) as unknown,
    });
    expect(contents.valuesYaml).toEqual({ text: 'image:\n  tag: "1.0"\nreplicas: 2\n', parsed: { image: { tag: '1.0' }, replicas: 2 } });
    expect(contents.featureYaml).toBe('environmentKinds: [tenant]\n');
    expect([...contents.files.keys()].sort()).toEqual(['Chart.yaml', 'Feature.yaml', 'templates/cm.yaml', 'values.yaml']);
    expect(contents.files.get('templates/cm.yaml')?.toString()).toBe('kind: ConfigMap\n');
  });

  it('returns featureYaml null and empty values when the chart has neither', async () => {
    const contents = await readChartArchive(chart({ 'Chart.yaml': CHART_YAML }));
    expect(contents.featureYaml).toBeNull();
    expect(contents.valuesYaml).toEqual({ text: '', parsed: {} });
  });

  it("does not take a Feature.yaml from a subchart as the chart's own", async () => {
    const contents = await readChartArchive(chart({ 'Chart.yaml': CHART_YAML, 'charts/sub/Feature.yaml': 'x: 1\n' }));
    expect(contents.featureYaml).toBeNull();
  });

  it('reads unquoted numbers as written (appVersion: 1.10 is "1.10") and accepts no sources', async () => {
    const contents = await readChartArchive(chart({ 'Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 1.0.0\nappVersion: 1.10\n' }));
    expect(contents.chartYaml).toMatchObject({ name: 'demo', version: '1.0.0', appVersion: '1.10', sources: [] });
  });

  it('refuses a name that is not a scalar', async () => {
    expect((await errorOf(() => readChartArchive(chart({ 'Chart.yaml': 'name: {a: 1}\nversion: 1.0.0\n' })))).message).toMatch(/"name" must be a string/);
  });

  it.each([
    ['no Chart.yaml', { 'values.yaml': 'a: 1\n' }, /has no demo\/Chart.yaml/],
    ['no name', { 'Chart.yaml': 'apiVersion: v2\nversion: 1.0.0\n' }, /no "name"/],
    ['no version', { 'Chart.yaml': 'apiVersion: v2\nname: demo\n' }, /no "version"/],
    ['a Chart.yaml that is not YAML', { 'Chart.yaml': 'name: [unclosed\n' }, /Chart.yaml is not valid YAML/],
    ['a Chart.yaml that is a list', { 'Chart.yaml': '- a\n' }, /Chart.yaml is not a mapping/],
    [
      'sources that are not strings',
      { 'Chart.yaml': `${CHART_YAML.replace(/sources:[\s\S]*/, 'sources: [{a: 1}]\n')}` },
      /"sources" must be a list of strings/,
    ],
    ['a values.yaml that is a list', { 'Chart.yaml': CHART_YAML, 'values.yaml': '- 1\n' }, /values.yaml is not a mapping/],
    ['a values.yaml that is not YAML', { 'Chart.yaml': CHART_YAML, 'values.yaml': 'a: "unterminated\n' }, /values.yaml is not valid YAML/],
  ])('refuses a chart with %s', async (_what, files, message) => {
    const error = await errorOf(() => readChartArchive(chart(files)));
    expect(error.code).toBe('INVALID_CHART');
    expect(error.message).toMatch(message);
  });

  it('refuses files outside the top folder', async () => {
    const archive = buildTgz([
      { name: 'demo/Chart.yaml', data: CHART_YAML },
      { name: 'other/evil.yaml', data: 'x' },
    ]);
    expect((await errorOf(() => readChartArchive(archive))).message).toMatch(/"other\/evil.yaml" outside its top folder "demo\/"/);
    const flat = buildTgz([{ name: 'Chart.yaml', data: CHART_YAML }]);
    expect((await errorOf(() => readChartArchive(flat))).code).toBe('INVALID_CHART');
  });

  it('refuses path traversal inside a chart', async () => {
    const archive = buildTgz([
      { name: 'demo/Chart.yaml', data: CHART_YAML },
      { name: 'demo/../../etc/cron.d/x', data: 'x' },
    ]);
    const error = await errorOf(() => readChartArchive(archive));
    expect(error.code).toBe('INVALID_CHART');
    expect(error.message).toMatch(/parent directory/);
  });

  it('enforces the archive, uncompressed size and file count limits', async () => {
    const archive = chart({ 'Chart.yaml': CHART_YAML, 'big.txt': 'z'.repeat(100_000), 'a.txt': 'a', 'b.txt': 'b' });
    expect((await readChartArchive(archive)).files.size).toBe(4);
    expect((await errorOf(() => readChartArchive(archive, { maxArchiveBytes: archive.length - 1 }))).code).toBe('TOO_LARGE');
    expect((await errorOf(() => readChartArchive(archive, { maxUncompressedBytes: 50_000 }))).code).toBe('TOO_LARGE');
    expect((await errorOf(() => readChartArchive(archive, { maxFiles: 3 }))).code).toBe('TOO_LARGE');
  });
});

describe('chartLayerOf', () => {
  const layer: Descriptor = { mediaType: HELM_CHART_LAYER_MEDIA_TYPE, digest: `sha256:${'1'.repeat(64)}`, size: 10 };
  const resolved = (config: string, layers: Descriptor[]): ResolvedManifest => ({
    reference: parseChartReference('oci://reg.io/charts/demo', '1.0.0'),
    digest: `sha256:${'f'.repeat(64)}`,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    manifest: { schemaVersion: 2, config: { mediaType: config, digest: `sha256:${'2'.repeat(64)}`, size: 2 }, layers },
    raw: Buffer.from('{}'),
  });

  it('finds the chart layer next to a provenance layer', () => {
    const prov = { mediaType: HELM_PROVENANCE_LAYER_MEDIA_TYPE, digest: `sha256:${'3'.repeat(64)}`, size: 1 };
    expect(chartLayerOf(resolved(HELM_CONFIG_MEDIA_TYPE, [prov, layer]))).toBe(layer);
  });

  it('refuses a container image', async () => {
    const error = await errorOf(() => chartLayerOf(resolved('application/vnd.oci.image.config.v1+json', [layer])));
    expect(error.code).toBe('INVALID_CHART');
    expect(error.message).toMatch(/is not a Helm chart/);
  });

  it('refuses zero or several chart layers', async () => {
    expect((await errorOf(() => chartLayerOf(resolved(HELM_CONFIG_MEDIA_TYPE, [])))).message).toMatch(/has 0/);
    expect((await errorOf(() => chartLayerOf(resolved(HELM_CONFIG_MEDIA_TYPE, [layer, layer])))).message).toMatch(/has 2/);
  });
});
