import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import yaml from 'js-yaml';
import { REALWORLD_FEATURES_DIR } from '@fasit/testing';
import type { CliIo } from '../cli-command.js';
import { checkDescription, valuesRenderCommand } from './values-render.command.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

function recorder(cwd: string): CliIo & { out: string[]; err: string[]; text: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    cwd,
    out,
    err,
    stdout: (line) => out.push(`${line}\n`),
    stderr: (line) => err.push(line),
    write: (text) => out.push(text),
    text: () => out.join(''),
  };
}

const FEATURE = `environmentKinds: [tenant, management]
values:
  image.tag:
    config: {type: string}
  replicas:
    config: {type: int}
  token:
    required: true
    config: {type: string, secret: true}
  dsn:
    computed:
      template: '"postgres://app:{{ .Env.db_password }}@{{ .Env.name }}"'
  clusters:
    computed:
      template: '{{ range .Envs }}- {{ .name }}{{ "\\n" }}{{ end }}'
  labels\\.team:
    computed:
      template: 'platform'
    ignoreKind: [management]
`;

function chart(feature = FEATURE): string {
  const dir = mkdtempSync(join(tmpdir(), 'fasit-values-render-'));
  mkdirSync(join(dir, 'chart'));
  writeFileSync(join(dir, 'chart', 'Feature.yaml'), feature);
  writeFileSync(join(dir, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: my-feature\nversion: 1.0.0\n');
  writeFileSync(join(dir, 'chart', 'values.yaml'), 'image:\n  tag: 2024-01-01\nreplicas: 2\n');
  return dir;
}

const ENV = {
  tenant: 'acme',
  name: 'dev',
  kind: 'tenant',
  values: { project_id: 'acme-dev' },
  secretValues: { db_password: 'hunter2' },
  environments: [
    { name: 'mgmt', kind: 'management' },
    { name: 'prod', kind: 'tenant', secretValues: { db_password: 'other' } },
  ],
  configs: { global: { token: 'tok', 'image.tag': 'v1' }, environment: { 'image.tag': 'v2' } },
};

function withEnv(dir: string, env: unknown): string {
  writeFileSync(join(dir, 'env.json'), JSON.stringify(env));
  return 'env.json';
}

describe('fasit values render', () => {
  it('prints the values (secrets masked) and the provenance of every managed key as YAML', async () => {
    const dir = chart();
    const io = recorder(dir);
    expect(await valuesRenderCommand.run(['chart', '--env', withEnv(dir, ENV)], io)).toBe(0);
    expect(io.err).toEqual([]);
    const report = yaml.load(io.text()) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(['feature', 'environment', 'values', 'provenance']);
    expect(report['feature']).toBe('my-feature');
    expect(report['values']).toEqual({
      clusters: ['dev', 'prod'],
      dsn: '*****',
      fasit: { env: { kind: 'tenant', name: 'dev' }, tenant: { name: 'acme' } },
      image: { tag: 'v2' },
      'labels.team': 'platform',
      token: '*****',
    });
    expect(report['provenance']).toEqual({
      clusters: { source: 'computed', template: '{{ range .Envs }}- {{ .name }}{{ "\\n" }}{{ end }}', secret: false, references: ['.Envs', '.Envs[].name'] },
      dsn: {
        source: 'computed',
        template: '"postgres://app:{{ .Env.db_password }}@{{ .Env.name }}"',
        secret: true,
        secretReason: 'tainted',
        references: ['.Env.db_password', '.Env.name'],
      },
      'image.tag': { source: 'env-config', secret: false },
      'labels\\.team': { source: 'computed', template: 'platform', secret: false, references: [] },
      replicas: { source: 'chart-default', secret: false, chartDefault: 2 },
      token: { source: 'global-config', secret: true, secretReason: 'declared' },
    });
  });

  it('shows secrets with --show-secrets, and prints JSON with --output json', async () => {
    const dir = chart();
    const io = recorder(dir);
    expect(await valuesRenderCommand.run(['chart', '--env', withEnv(dir, ENV), '--show-secrets', '-o', 'json'], io)).toBe(0);
    const report = JSON.parse(io.text()) as { values: Record<string, unknown> };
    expect(report.values).toMatchObject({ dsn: 'postgres://app:hunter2@dev', token: 'tok' });
    expect(io.text()).toMatch(/^\{\n {2}"feature": "my-feature",\n/);
  });

  it('renders for a management environment (ignoreKind applies)', async () => {
    const dir = chart();
    const io = recorder(dir);
    const env = { ...ENV, name: 'mgmt', kind: 'management', environments: [{ name: 'dev', kind: 'tenant' }] };
    expect(await valuesRenderCommand.run(['chart', '--env', withEnv(dir, env), '--output=json'], io)).toBe(0);
    const report = JSON.parse(io.text()) as { values: Record<string, unknown>; provenance: Record<string, unknown> };
    expect(report.values['labels.team']).toBeUndefined();
    expect(report.values['clusters']).toEqual(['dev']);
    expect(Object.keys(report.provenance)).not.toContain('labels\\.team');
  });

  it.each([
    ['missing-config', { ...ENV, configs: {} }, 'fasit values render: missing-config: missing required chart config: token'],
    ['render-error', { ...ENV, configs: { global: { token: 't' } }, secretValues: {} }, undefined],
  ])('exits 1 on %s', async (_name, env, message) => {
    const feature = FEATURE.replace("'platform'", '"{{ index .Env.db_password 0 }}"');
    const dir = chart(feature);
    const io = recorder(dir);
    expect(await valuesRenderCommand.run(['chart', '--env', withEnv(dir, env)], io)).toBe(1);
    expect(io.out).toEqual([]);
    if (message !== undefined) expect(io.err).toEqual([message]);
    else
      expect(io.err[0]).toMatch(
        /^fasit values render: render-error: labels\\\.team: template: tpl:1:3: executing "tpl" at <index \.Env\.db_password 0>: error calling index: /,
      );
  });

  it('exits 1 with the lint errors on an invalid Feature.yaml', async () => {
    const dir = chart('environmentKinds: [cloud]\n');
    const io = recorder(dir);
    expect(await valuesRenderCommand.run(['chart', '--env', withEnv(dir, ENV)], io)).toBe(1);
    expect(io.err[0]).toMatch(/^chart\/Feature\.yaml:1:20 environmentKinds\[0\]: must be one of/);
    expect(io.err.at(-1)).toBe('fasit values render: chart/Feature.yaml is not valid (fasit feature lint shows every problem)');
  });

  it.each([
    [['chart'], 2, '--env is required'],
    [['--env', 'e.json'], 2, 'exactly one chart directory is needed'],
    [['chart', '--env', 'e.json', '--output', 'toml'], 2, '--output must be one of yaml, json (got "toml")'],
    [['nowhere', '--env', 'env.json'], 1, 'no such file'],
  ])('refuses %j with exit %d', async (args, status, message) => {
    const dir = chart();
    withEnv(dir, ENV);
    const io = recorder(dir);
    expect(await valuesRenderCommand.run(args, io)).toBe(status);
    expect(io.err[0]).toContain(message);
  });

  it.each([
    [[], 'must be a JSON object'],
    [{ name: 'dev', kind: 'tenant' }, 'tenant must be a non-empty string'],
    [{ tenant: 't', kind: 'tenant' }, 'name must be a non-empty string'],
    [{ tenant: 't', name: 'n', kind: 'tenant', values: [] }, 'values must be an object'],
    [{ tenant: 't', name: 'n', kind: 'tenant', labels: { a: 1 } }, 'labels must map names to strings'],
    [{ tenant: 't', name: 'n', kind: 'tenant', environments: [{ name: 'x' }] }, 'environments[0].kind must be a non-empty string'],
    [{ tenant: 't', name: 'n', kind: 'tenant', configs: { globals: {} } }, 'configs: unknown field "globals"'],
    [{ tenant: 't', name: 'n', kind: 'tenant', extra: 1 }, 'unknown field "extra"'],
  ])('describes a wrong environment description (%#)', (raw, message) => {
    expect(checkDescription(raw)).toContain(message);
  });

  it('renders a real-world chart with the documented example description (spawned, as `pnpm fasit`)', () => {
    const result = spawnSync(
      'node',
      [
        '--import',
        '@swc-node/register/esm-register',
        'apps/cli/src/main.ts',
        'values',
        'render',
        join(REALWORLD_FEATURES_DIR, 'deployd'),
        '--env',
        'apps/cli/examples/environment.json',
      ],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = yaml.load(result.stdout) as { values: Record<string, unknown>; provenance: Record<string, { source: string; secret: boolean }> };
    expect(report.values).toMatchObject({ cluster: 'dev-gcp', hookdHost: 'deploy.nav.cloud.nais.io', preSharedKey: '*****', image: { tag: '2024-02-02-def' } });
    expect(report.provenance['preSharedKey']).toMatchObject({ source: 'computed', secret: true });
    expect(report.provenance['image.repository']).toMatchObject({
      source: 'chart-default',
      chartDefault: 'europe-north1-docker.pkg.dev/nais-io/nais/images/deployd',
    });
    expect(result.stdout).not.toContain('s3cr3t-psk');
  });
});
