// Against the real local registry (Debian docker-registry from scripts/services.sh) with charts pushed by the real
// helm. Needs: `bash scripts/services.sh start && source "$(bash scripts/services.sh dir)/env"`.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { freePort, ociRegistry, packageChart, pushChart, runHelm, type PushedChart } from '@fasit/testing';
import { HELM_CHART_LAYER_MEDIA_TYPE, OciClient, OciError, pullChart, pullChartWith, readChartArchive } from '../src/index.js';

const registry = ociRegistry();
// A repository path per run, so reruns against the same registry never see each other's tags.
const repoPath = `it-${randomBytes(4).toString('hex')}`;

async function failure(promise: Promise<unknown>): Promise<OciError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OciError) return error;
    throw error;
  }
  throw new Error('expected an OciError');
}

describe('OciClient against the local docker-registry with charts pushed by helm', () => {
  const client = new OciClient();
  let demo: PushedChart;

  beforeAll(async () => {
    demo = await pushChart('demo-feature', { registry, repoPath });
  });

  it('resolves a tag to the manifest digest helm reported', async () => {
    const resolved = await client.resolve(demo.ref, demo.version);
    expect(demo.ref).toBe(`oci://${registry}/${repoPath}/demo-feature`);
    expect(demo.version).toBe('0.1.0');
    expect(resolved.digest).toBe(demo.digest);
    expect(resolved.manifest.config.mediaType).toBe('application/vnd.cncf.helm.config.v1+json');
    expect(resolved.manifest.layers.map((l) => l.mediaType)).toEqual([HELM_CHART_LAYER_MEDIA_TYPE]);
  });

  it('pulls the chart: Chart.yaml, values.yaml, Feature.yaml and files', async () => {
    const chart = await pullChartWith(client, demo.ref, demo.version);
    expect(chart.digest).toBe(demo.digest);
    expect(chart.chartYaml).toMatchObject({
      name: 'demo-feature',
      version: '0.1.0',
      appVersion: '1.0.0',
      sources: ['https://github.com/example/fasit-demo-feature'],
    });
    expect(chart.chartYaml.description).toMatch(/Demo feature/);
    expect(chart.valuesYaml.parsed).toMatchObject({ image: { tag: '1.0.0' }, replicas: 1 });
    expect(chart.valuesYaml.text).toContain('replicas: 1');
    expect(chart.featureYaml).toContain('environmentKinds:');
    expect(chart.featureYaml).toContain('{{ .Env.name }}');
    expect([...chart.files.keys()]).toEqual(
      expect.arrayContaining(['Chart.yaml', 'values.yaml', 'Feature.yaml', 'templates/configmap.yaml', 'templates/secret.yaml']),
    );
  });

  it('pulls by digest, and the one-shot pullChart gives the same chart', async () => {
    const byDigest = await client.resolve(`${demo.ref}@${demo.digest}`);
    expect(byDigest.digest).toBe(demo.digest);
    const chart = await pullChart(`${demo.ref}:${demo.version}`);
    expect(chart.digest).toBe(demo.digest);
    expect(chart.chartYaml.name).toBe('demo-feature');
  });

  it('reads the same files, byte for byte, as helm packaged', async () => {
    const packaged = await packageChart('demo-feature');
    try {
      const local = await readFile(packaged.archivePath);
      const contents = await readChartArchive(local);
      const pulled = await pullChartWith(client, demo.ref, demo.version);
      expect([...pulled.files.keys()].sort()).toEqual([...contents.files.keys()].sort());
      for (const [path, data] of contents.files) expect(pulled.files.get(path)?.equals(data)).toBe(true);
    } finally {
      await packaged.cleanup();
    }
  });

  // docker-registry 2.8 ignores `n` and answers in one page: Link paging is unit-tested against a stand-in.
  it('lists tags, including SemVer build metadata stored as "_"', async () => {
    await pushChart('demo-feature', { registry, repoPath, version: '0.2.0' });
    await pushChart('demo-feature', { registry, repoPath, version: '1.0.0+build.7' });
    const tags = await client.listTags(demo.ref);
    expect([...tags].sort()).toEqual(['0.1.0', '0.2.0', '1.0.0_build.7']);
    expect([...(await client.listTags(demo.ref, { pageSize: 1 }))].sort()).toEqual([...tags].sort());
    const build = await pullChartWith(client, demo.ref, '1.0.0+build.7');
    expect(build.chartYaml.version).toBe('1.0.0+build.7');
  });

  it('agrees with helm about what was pushed (helm show chart)', async () => {
    const shown = await runHelm(['show', 'chart', demo.ref, '--version', demo.version, '--plain-http']);
    const chart = await pullChartWith(client, demo.ref, demo.version);
    expect(shown).toContain(`name: ${chart.chartYaml.name}`);
    expect(shown).toContain(`version: ${chart.chartYaml.version}`);
  });

  it('reads a renamed chart and the fixtures without or with an invalid Feature.yaml', async () => {
    const renamed = await pushChart('demo-feature', { registry, repoPath, name: 'renamed-feature', version: '3.1.4' });
    expect(renamed.ref).toBe(`oci://${registry}/${repoPath}/renamed-feature`);
    expect((await pullChartWith(client, renamed.ref, renamed.version)).chartYaml).toMatchObject({ name: 'renamed-feature', version: '3.1.4' });

    const plain = await pushChart('no-feature-yaml', { registry, repoPath });
    expect((await pullChartWith(client, plain.ref, plain.version)).featureYaml).toBeNull();

    const invalid = await pushChart('invalid-feature-yaml', { registry, repoPath });
    const pulled = await pullChartWith(client, invalid.ref, invalid.version);
    expect(pulled.featureYaml).toContain('type: float'); // returned as text: validation is @fasit/feature-spec's job
    expect(pulled.digest).toBe(invalid.digest);
  });

  it('pushes file overrides (a Feature.yaml replaced or removed)', async () => {
    const replaced = await pushChart('demo-feature', {
      registry,
      repoPath,
      name: 'overridden',
      files: { 'Feature.yaml': 'environmentKinds: [onprem]\n', 'templates/extra.yaml': '' },
    });
    const chart = await pullChartWith(client, replaced.ref, replaced.version);
    expect(chart.featureYaml).toBe('environmentKinds: [onprem]\n');
    expect(chart.files.has('templates/extra.yaml')).toBe(true);
    const removed = await pushChart('demo-feature', { registry, repoPath, name: 'stripped', files: { 'Feature.yaml': null } });
    expect((await pullChartWith(client, removed.ref, removed.version)).featureYaml).toBeNull();
  });

  it('gives NOT_FOUND for a missing tag and a missing repository', async () => {
    const tag = await failure(client.resolve(demo.ref, '9.9.9'));
    expect(tag).toMatchObject({ code: 'NOT_FOUND', status: 404, retryable: false });
    expect(tag.registryErrors[0]?.code).toBe('MANIFEST_UNKNOWN');
    const repo = await failure(client.listTags(`oci://${registry}/${repoPath}/no-such-chart`));
    expect(repo).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(repo.registryErrors[0]?.code).toBe('NAME_UNKNOWN');
    const blob = await failure(client.fetchBlob({ registry, repository: `${repoPath}/demo-feature` }, { digest: `sha256:${'0'.repeat(64)}` }));
    expect(blob).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('gives INVALID_CHART for an artifact that is not a Helm chart', async () => {
    const repository = `${repoPath}/not-a-chart`;
    await uploadArtifact(registry, repository, 'latest', 'application/vnd.oci.image.config.v1+json', Buffer.from('{}'));
    const error = await failure(pullChartWith(client, `oci://${registry}/${repository}`, 'latest'));
    expect(error.code).toBe('INVALID_CHART');
    expect(error.message).toMatch(/is not a Helm chart/);
  });

  it('gives TOO_LARGE when the chart layer is over the limit', async () => {
    const error = await failure(pullChartWith(client, demo.ref, demo.version, { maxArchiveBytes: 100 }));
    expect(error.code).toBe('TOO_LARGE');
  });

  it('gives UNREACHABLE (retryable) for a port nobody listens on', async () => {
    const port = await freePort();
    const error = await failure(client.resolve(`oci://127.0.0.1:${port}/charts/demo`, '1.0.0'));
    expect(error).toMatchObject({ code: 'UNREACHABLE', retryable: true });
    expect(error.message).toMatch(/ECONNREFUSED/);
  });
});

/** Uploads a one-layer artifact with the given config media type through the distribution API (monolithic). */
async function uploadArtifact(host: string, repository: string, tag: string, configMediaType: string, layer: Buffer): Promise<void> {
  const base = `http://${host}/v2/${repository}`;
  const upload = async (data: Buffer): Promise<{ digest: string; size: number }> => {
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    const start = await fetch(`${base}/blobs/uploads/`, { method: 'POST' });
    expect(start.status).toBe(202);
    const location = new URL(start.headers.get('location') ?? '', `http://${host}`);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, { method: 'PUT', body: data, headers: { 'content-type': 'application/octet-stream' } });
    expect(put.status).toBe(201);
    return { digest, size: data.length };
  };
  const config = await upload(Buffer.from('{}'));
  const blob = await upload(layer);
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: configMediaType, ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...blob }],
  };
  const put = await fetch(`${base}/manifests/${tag}`, {
    method: 'PUT',
    body: JSON.stringify(manifest),
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
  });
  expect(put.status).toBe(201);
}
