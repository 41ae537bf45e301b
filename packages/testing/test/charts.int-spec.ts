// The chart fixtures and helpers, checked with the real helm: the fixtures do what other suites rely on.
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BROKEN_TEMPLATES_MESSAGE,
  CHART_FIXTURES,
  bcryptHash,
  chartFixturePath,
  ociRegistry,
  packageChart,
  parseHelmPushDigest,
  pushChart,
  runHelm,
} from '../src/index.js';

/** `helm upgrade --install --dry-run=client` without a cluster (memory driver, as naisd tests do). */
async function dryRunInstall(chartDir: string, values: Record<string, unknown> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fasit-dry-run-'));
  try {
    const releases = join(dir, 'releases.yaml');
    const valuesFile = join(dir, 'values.json');
    await writeFile(releases, '');
    await writeFile(valuesFile, JSON.stringify(values));
    return await runHelm(['upgrade', '--install', 'demo', chartDir, '--dry-run=client', '-f', valuesFile], {
      env: { ...process.env, HELM_DRIVER: 'memory', HELM_MEMORY_DRIVER_DATA: releases },
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('chart fixtures', () => {
  it.each(CHART_FIXTURES)('%s passes helm lint', async (fixture) => {
    expect(await runHelm(['lint', chartFixturePath(fixture)])).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('demo-feature renders the values Fasit sends into its ConfigMap and Secret', async () => {
    const output = await dryRunInstall(chartFixturePath('demo-feature'), {
      image: { tag: '2.0.0' },
      replicas: 3,
      auth: { token: 's3cret' },
      clusterName: 'dev-gcp',
      allClusters: ['dev-gcp', 'prod-gcp'],
      fasit: { tenant: { name: 'nav' }, env: { name: 'dev-gcp', kind: 'tenant' } },
    });
    expect(output).toContain('image: "registry.example.org/demo-feature:2.0.0"');
    expect(output).toContain('replicas: "3"');
    expect(output).toContain('clusterName: "dev-gcp"');
    expect(output).toContain('allClusters: "[\\"dev-gcp\\",\\"prod-gcp\\"]"');
    expect(output).toContain(`token: "${Buffer.from('s3cret').toString('base64')}"`);
    expect(output).toContain('\\"tenant\\":{\\"name\\":\\"nav\\"}');
  });

  it('demo-feature declares the kinds, config keys and computed values other suites rely on', async () => {
    const feature = await readFile(join(chartFixturePath('demo-feature'), 'Feature.yaml'), 'utf8');
    expect(feature).toMatch(/environmentKinds:\n {2}- tenant\n {2}- management\n/);
    expect(feature).toMatch(/image\.tag:[\s\S]*?type: string/);
    expect(feature).toMatch(/replicas:[\s\S]*?type: int/);
    expect(feature).toMatch(/auth\.token:[\s\S]*?type: string\n {6}secret: true/);
    expect(feature).toContain('template: "{{ .Env.name }}"');
  });

  it('broken-templates makes helm upgrade --install --dry-run=client fail with its message', async () => {
    await expect(dryRunInstall(chartFixturePath('broken-templates'))).rejects.toThrow(BROKEN_TEMPLATES_MESSAGE);
  });
});

describe('packageChart', () => {
  it('rewrites name and version and packages with helm', async () => {
    const packaged = await packageChart('demo-feature', { name: 'other-name', version: '2.3.4-rc.1' });
    try {
      expect(packaged).toMatchObject({ name: 'other-name', version: '2.3.4-rc.1' });
      expect(packaged.archivePath).toMatch(/other-name-2\.3\.4-rc\.1\.tgz$/);
      const shown = await runHelm(['show', 'chart', packaged.archivePath]);
      expect(shown).toContain('name: other-name');
      expect(shown).toContain('version: 2.3.4-rc.1');
    } finally {
      await packaged.cleanup();
    }
  });

  it('refuses a file override outside the chart', async () => {
    await expect(packageChart('demo-feature', { files: { '../escape.yaml': 'x' } })).rejects.toThrow(/outside the chart/);
  });
});

describe('pushChart', () => {
  it('pushes to the local registry and returns the digest helm reported', async () => {
    const pushed = await pushChart('no-feature-yaml', { repoPath: `testing-${Date.now()}`, version: '0.0.1' });
    expect(pushed.ref).toMatch(new RegExp(`^oci://${ociRegistry().replace(/\./g, '\\.')}/testing-\\d+/no-feature-yaml$`));
    const response = await fetch(`http://${ociRegistry()}/v2/${pushed.ref.split('/').slice(3).join('/')}/manifests/0.0.1`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(response.headers.get('docker-content-digest')).toBe(pushed.digest);
  });

  it('parses the digest line of helm push', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    expect(parseHelmPushDigest(`Pushed: 127.0.0.1:5000/charts/x:0.1.0\nDigest: ${digest}\n`)).toBe(digest);
    expect(() => parseHelmPushDigest('Error: unauthorized')).toThrow(/printed no digest/);
  });
});

describe('bcryptHash', () => {
  it('makes a bcrypt hash of the password', () => {
    const hash = bcryptHash('pw');
    expect(hash).toMatch(/^\$2[aby]\$05\$[./A-Za-z0-9]{53}$/);
    expect(bcryptHash('pw')).not.toBe(hash); // salted
  });
});
