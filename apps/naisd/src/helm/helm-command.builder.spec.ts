import { describe, expect, it } from '@jest/globals';
import { DEFAULT_INSECURE_REGISTRIES } from '../config/naisd.config.js';
import { HelmCommandBuilder, effectiveTimeoutMs, helmDuration, isInsecureRegistry, registryHostOf } from './helm-command.builder.js';

const base = { namespace: 'nais-system', insecureRegistries: DEFAULT_INSECURE_REGISTRIES, helmKillGraceMs: 30_000 };
const dryRun = new HelmCommandBuilder({ ...base, kubeconfig: undefined });
const cluster = new HelmCommandBuilder({ ...base, kubeconfig: '/etc/naisd/kubeconfig' });
const DIGEST = `sha256:${'9f'.repeat(32)}`;
const upgrade = {
  diid: 'a0a0a0a0-0000-4000-8000-000000000001',
  release: 'demo',
  chart: 'oci://127.0.0.1:55000/charts/demo-feature',
  chartDigest: DIGEST,
  featureVersion: '1.2.3',
  timeoutMs: 120_000,
  valuesFile: '/tmp/v/values.yaml',
};

function flagValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

describe('helm upgrade arguments', () => {
  it('installs or upgrades the release from the chart pinned to its signed digest, in the namespace, with the values file', () => {
    const { args } = dryRun.upgrade(upgrade);
    expect(args.slice(0, 4)).toEqual(['upgrade', '--install', 'demo', `oci://127.0.0.1:55000/charts/demo-feature@${DIGEST}`]);
    expect(flagValue(args, '--version')).toBe('1.2.3');
    expect(flagValue(args, '--namespace')).toBe('nais-system');
    expect(args).toContain('--create-namespace');
    expect(flagValue(args, '-f')).toBe('/tmp/v/values.yaml');
    expect(flagValue(args, '--history-max')).toBe('10');
    expect(flagValue(args, '--timeout')).toBe('120s');
  });

  it('labels the revision with the diid of its instruction, so a later naisd can tell it was applied', () => {
    expect(flagValue(cluster.upgrade(upgrade).args, '--labels')).toBe('fasit.dev/diid=a0a0a0a0-0000-4000-8000-000000000001');
  });

  it('without a kubeconfig: client-side dry run with secrets hidden, no cluster flags', () => {
    const { args } = dryRun.upgrade(upgrade);
    expect(args).toContain('--dry-run=client');
    expect(args).toContain('--hide-secret');
    expect(args).not.toContain('--kubeconfig');
    expect(args).not.toContain('--rollback-on-failure');
    expect(dryRun.dryRun).toBe(true);
  });

  it('with a kubeconfig: a real install that waits and rolls back on failure (helm 4 flags)', () => {
    const { args } = cluster.upgrade(upgrade);
    expect(flagValue(args, '--kubeconfig')).toBe('/etc/naisd/kubeconfig');
    expect(args).toContain('--rollback-on-failure');
    expect(args).toContain('--wait=watcher');
    expect(args).not.toContain('--atomic');
    expect(args.some((a) => a.startsWith('--dry-run'))).toBe(false);
    expect(cluster.dryRun).toBe(false);
  });

  it.each([
    ['oci://127.0.0.1:55000/charts/x', true],
    ['oci://localhost:5000/x', true],
    ['oci://[::1]:5000/x', true],
    ['oci://europe-north1-docker.pkg.dev/nais-io/nais/feature/x', false],
    ['oci://registry.example.org/x', false],
  ])('%s gets --plain-http: %s (default insecure list: loopback)', (chart, plain) => {
    expect(dryRun.upgrade({ ...upgrade, chart }).args.includes('--plain-http')).toBe(plain);
  });

  it('a configured insecure registry gets --plain-http, by host or host:port', () => {
    const b = new HelmCommandBuilder({ ...base, kubeconfig: undefined, insecureRegistries: 'registry.lan, other.lan:5000' });
    expect(b.upgrade({ ...upgrade, chart: 'oci://registry.lan:443/x' }).args).toContain('--plain-http');
    expect(b.upgrade({ ...upgrade, chart: 'oci://other.lan:5000/x' }).args).toContain('--plain-http');
    expect(b.upgrade({ ...upgrade, chart: 'oci://other.lan:5001/x' }).args).not.toContain('--plain-http');
    expect(b.upgrade({ ...upgrade, chart: 'oci://127.0.0.1:55000/x' }).args).not.toContain('--plain-http');
  });
});

describe('timeouts', () => {
  it.each([
    [0, 300_000],
    [10_000, 300_000],
    [10_001, 10_001],
    [900_000, 900_000],
  ])('instruction timeout %i ms → helm timeout %i ms (5 min when ≤ 10 s)', (given, expected) => {
    expect(effectiveTimeoutMs(given)).toBe(expected);
  });

  it('helm gets whole seconds, rounded up, and naisd kills helm the grace period (30 s) after helm’s own timeout', () => {
    expect(helmDuration(10_001)).toBe('11s');
    const c = dryRun.upgrade({ ...upgrade, timeoutMs: 5_000 });
    expect(flagValue(c.args, '--timeout')).toBe('300s');
    expect(c.killAfterMs).toBe(330_000);
  });
});

describe('helm uninstall and list arguments', () => {
  it('uninstall: simulated without a cluster (and "not found" is not an error there), real with one', () => {
    expect(dryRun.uninstall('demo', 0).args).toEqual([
      'uninstall',
      'demo',
      '--namespace',
      'nais-system',
      '--timeout',
      '300s',
      '--ignore-not-found',
      '--dry-run',
    ]);
    // A release already gone is uninstalled: an uninstall delivered again after a restart does not fail.
    expect(cluster.uninstall('demo', 60_000).args).toEqual([
      'uninstall',
      'demo',
      '--namespace',
      'nais-system',
      '--timeout',
      '60s',
      '--ignore-not-found',
      '--kubeconfig',
      '/etc/naisd/kubeconfig',
    ]);
  });

  it('list: every namespace with a cluster; the agent namespace with the memory driver', () => {
    expect(cluster.list().args).toContain('--all-namespaces');
    expect(dryRun.list().args).not.toContain('--all-namespaces');
    expect(flagValue(dryRun.list().args, '--namespace')).toBe('nais-system');
    expect(flagValue(cluster.list().args, '--output')).toBe('json');
  });
});

describe('helm history and rollback arguments (pending-lock recovery)', () => {
  it('history: JSON of the release in the agent namespace, on the cluster', () => {
    expect(cluster.history('demo').args).toEqual([
      'history',
      'demo',
      '--namespace',
      'nais-system',
      '--output',
      'json',
      '--max',
      '20',
      '--kubeconfig',
      '/etc/naisd/kubeconfig',
    ]);
  });

  it('metadata: one revision as JSON (its labels), on the cluster', () => {
    expect(cluster.metadata('demo', 4).args).toEqual([
      'get',
      'metadata',
      'demo',
      '--revision',
      '4',
      '--namespace',
      'nais-system',
      '--output',
      'json',
      '--kubeconfig',
      '/etc/naisd/kubeconfig',
    ]);
  });

  it('rollback: to the revision, with the instruction timeout and history limit, without waiting', () => {
    const c = cluster.rollback('demo', 3, 120_000);
    expect(c.args).toEqual([
      'rollback',
      'demo',
      '3',
      '--namespace',
      'nais-system',
      '--timeout',
      '120s',
      '--history-max',
      '10',
      '--kubeconfig',
      '/etc/naisd/kubeconfig',
    ]);
    expect(c.killAfterMs).toBe(150_000);
  });
});

describe('registry hosts', () => {
  it('reads the host of an oci:// reference', () => {
    expect(registryHostOf('oci://Registry.Example.org:5000/a/b')).toBe('registry.example.org:5000');
    expect(registryHostOf('https://charts.example.org/x')).toBeUndefined();
    expect(isInsecureRegistry('[::1]:5000', ['[::1]'])).toBe(true);
  });
});
