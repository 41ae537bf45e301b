import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ociRegistry } from './registry.js';

/** The chart fixtures under `packages/testing/fixtures/charts/`. */
export const CHART_FIXTURES = ['demo-feature', 'broken-templates', 'no-feature-yaml', 'invalid-feature-yaml'] as const;
export type ChartFixtureName = (typeof CHART_FIXTURES)[number];

/** Message the `broken-templates` fixture makes helm fail with (`helm template`, `upgrade --install --dry-run`). */
export const BROKEN_TEMPLATES_MESSAGE = 'broken-templates: this chart fails to render on purpose';

const FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/charts');

/** Absolute path of a chart fixture's folder (read it, never write to it: copy first). */
export function chartFixturePath(fixture: ChartFixtureName): string {
  return join(FIXTURES_DIR, fixture);
}

export interface ChartVariant {
  /** Chart version to write into Chart.yaml (default: the fixture's, 0.1.0). */
  version?: string;
  /** Chart name to write into Chart.yaml (default: the fixture's folder name). */
  name?: string;
  /**
   * Files to replace, add (string) or remove (null), by path below the chart folder, e.g.
   * `{ 'Feature.yaml': '…' }` or `{ 'Feature.yaml': null }`.
   */
  files?: Record<string, string | null>;
}

export interface PackagedChart {
  name: string;
  version: string;
  /** Path of the `.tgz` written by `helm package`. */
  archivePath: string;
  /** Temporary folder holding the copy and the archive; removed by `cleanup`. */
  workDir: string;
  cleanup(): Promise<void>;
}

export interface PushChartOptions extends ChartVariant {
  /** Registry `host:port` (default: `OCI_REGISTRY` from scripts/services.sh). Reached over plain HTTP. */
  registry?: string;
  /** Repository path below the registry the chart is pushed under (default `charts`). */
  repoPath?: string;
  /** Credentials for a registry with basic auth (passed to `helm push --username/--password`). */
  username?: string;
  password?: string;
}

export interface PushedChart {
  /** `oci://host:port/<repoPath>/<name>` without the version, as helm and Fasit take it. */
  ref: string;
  name: string;
  version: string;
  /** Manifest digest reported by `helm push` (`Digest: sha256:…`). */
  digest: string;
}

/** Runs helm and returns stdout + stderr; a failure carries helm's own output in its message. */
export function runHelm(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile('helm', args, { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (error) {
        const hint = (error as NodeJS.ErrnoException).code === 'ENOENT' ? ' (helm is not on PATH: run scripts/services.sh start and source its env)' : '';
        reject(new Error(`helm ${args.join(' ')} failed${hint}: ${output.trim() || error.message}`, { cause: error }));
        return;
      }
      resolvePromise(output);
    });
  });
}

function rewriteTopLevel(chartYaml: string, key: string, value: string): string {
  const line = new RegExp(`^${key}:.*$`, 'm');
  if (!line.test(chartYaml)) throw new Error(`Chart.yaml has no top-level "${key}:" line to rewrite`);
  return chartYaml.replace(line, `${key}: ${JSON.stringify(value)}`);
}

/** Copies a fixture to a temporary folder, applies the variant and runs the real `helm package`. */
export async function packageChart(fixture: ChartFixtureName, variant: ChartVariant = {}): Promise<PackagedChart> {
  const workDir = await mkdtemp(join(tmpdir(), `fasit-chart-${fixture}-`));
  const cleanup = (): Promise<void> => rm(workDir, { recursive: true, force: true });
  try {
    const name = variant.name ?? fixture;
    const chartDir = join(workDir, name);
    await cp(chartFixturePath(fixture), chartDir, { recursive: true });
    const chartYamlPath = join(chartDir, 'Chart.yaml');
    let chartYaml = await readFile(chartYamlPath, 'utf8');
    if (variant.name !== undefined) chartYaml = rewriteTopLevel(chartYaml, 'name', variant.name);
    if (variant.version !== undefined) chartYaml = rewriteTopLevel(chartYaml, 'version', variant.version);
    await writeFile(chartYamlPath, chartYaml);
    for (const [path, content] of Object.entries(variant.files ?? {})) {
      const target = resolve(chartDir, path);
      if (!target.startsWith(`${chartDir}/`)) throw new Error(`file "${path}" is outside the chart`);
      if (content === null) await rm(target, { force: true });
      else {
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, content);
      }
    }
    const version = /^version:\s*"?([^"\s]+)"?\s*$/m.exec(chartYaml)?.[1];
    if (version === undefined) throw new Error(`fixture ${fixture} has no version in Chart.yaml`);
    const output = await runHelm(['package', chartDir, '--destination', workDir]);
    const archivePath = /saved it to:\s*(\S+\.tgz)/.exec(output)?.[1] ?? join(workDir, `${name}-${version}.tgz`);
    return { name, version, archivePath, workDir, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** Parses `Digest: sha256:…` from `helm push` output. */
export function parseHelmPushDigest(output: string): string {
  const digest = /^Digest:\s*(sha256:[a-f0-9]{64})\s*$/m.exec(output)?.[1];
  if (digest === undefined) throw new Error(`helm push printed no digest:\n${output}`);
  return digest;
}

/**
 * Packages a chart fixture with the real helm and pushes it to a registry over plain HTTP.
 * Returns the reference (without version), the version and the manifest digest helm reported.
 */
export async function pushChart(fixture: ChartFixtureName, options: PushChartOptions = {}): Promise<PushedChart> {
  const registry = options.registry ?? ociRegistry();
  const repoPath = (options.repoPath ?? 'charts').replace(/^\/+|\/+$/g, '');
  const packaged = await packageChart(fixture, options);
  try {
    const target = repoPath === '' ? `oci://${registry}` : `oci://${registry}/${repoPath}`;
    // A private registry config per push: never read or write the developer's registry logins.
    const args = ['push', packaged.archivePath, target, '--plain-http', '--registry-config', join(packaged.workDir, 'registry.json')];
    if (options.username !== undefined) args.push('--username', options.username, '--password', options.password ?? '');
    const output = await runHelm(args);
    return { ref: `${target}/${packaged.name}`, name: packaged.name, version: packaged.version, digest: parseHelmPushDigest(output) };
  } finally {
    await packaged.cleanup();
  }
}
