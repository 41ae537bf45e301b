// The CLI as chart authors get it: `node scripts/build.mjs --pack` builds one bundled file and packs it with npm,
// the tarball is installed with npm into an empty directory (nothing of this repository on the module path), and
// the installed `fasit` lints charts, prints its version and the schema, also through `npx fasit`. Its start-up time
// is measured and printed next to Node's own (not asserted: a loaded machine would make that a flaky test); the
// figure is in the README.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { featureSchemaPath } from '@fasit/feature-spec';
import { chartFixturePath } from '@fasit/testing';

const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(CLI_DIR, 'package.json'), 'utf8')) as { name: string; version: string };
const demoChart = chartFixturePath('demo-feature');

let tarball: string;
let dir: string;
let fasit: string;

function run(cmd: string, args: string[], cwd = dir): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Median wall time of `runs` runs, in ms. */
function median(cmd: string, args: string[], runs = 9): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    execFileSync(cmd, args, { cwd: dir, stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(runs / 2)]!);
}

beforeAll(() => {
  const out = execFileSync(process.execPath, [join(CLI_DIR, 'scripts/build.mjs'), '--pack'], { cwd: CLI_DIR, encoding: 'utf8' });
  tarball = out.trim().split('\n').at(-1)!;
  dir = mkdtempSync(join(tmpdir(), 'fasit-cli-install-'));
  writeFileSync(join(dir, 'package.json'), '{"name": "chart-author-ci", "private": true}\n');
  const installed = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball]);
  if (installed.status !== 0) throw new Error(`npm install ${tarball} failed:\n${installed.stdout}\n${installed.stderr}`);
  fasit = join(dir, 'node_modules', '.bin', 'fasit');
}, 180_000);

afterAll(() => {
  if (!dir) return;
  // The start-up time, measured on the installed bin: printed for the README, not asserted.
  const node = median(process.execPath, ['-e', '0']);
  const version = median(fasit, ['--version']);
  const lint = median(fasit, ['feature', 'lint', demoChart]);
  process.stdout.write(
    `fasit CLI start-up, median of 9 runs: node -e 0 ${node} ms; fasit --version ${version} ms; fasit feature lint <demo chart> ${lint} ms\n`,
  );
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe(`the packed CLI (${manifest.name}), installed with npm into an empty directory`, () => {
  it('is one tarball named fasit-cli-<version>.tgz whose package has no dependencies to install', () => {
    expect(tarball.endsWith(`/fasit-cli-${manifest.version}.tgz`)).toBe(true);
    const installed = JSON.parse(readFileSync(join(dir, 'node_modules', '@fasit', 'cli', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(installed['dependencies']).toBeUndefined();
    expect(installed['bin']).toEqual({ fasit: 'dist/fasit.js' });
    // Only the CLI itself landed in node_modules: everything it uses is inside the bundle.
    expect(existsSync(join(dir, 'node_modules', 'ajv'))).toBe(false);
    expect(existsSync(join(dir, 'node_modules', 'js-yaml'))).toBe(false);
  });

  it('prints its version with --version, directly and through npx', () => {
    expect(run(fasit, ['--version'])).toEqual({ status: 0, stdout: `${manifest.version}\n`, stderr: '' });
    expect(run('npx', ['--no-install', 'fasit', '--version'])).toMatchObject({ status: 0, stdout: `${manifest.version}\n` });
  });

  it('lints a valid chart (exit 0) and a broken Feature.yaml (exit 1, the problem named with file, line and field)', () => {
    expect(run(fasit, ['feature', 'lint', demoChart])).toEqual({ status: 0, stdout: '0 errors, 0 warnings in 1 file\n', stderr: '' });
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'Feature.yaml'), 'environmentKinds: [tenant]\nvalues:\n  image.tag:\n    config:\n      type: integer\n');
    expect(run(fasit, ['feature', 'lint', 'broken'])).toEqual({
      status: 1,
      stdout:
        'broken/Feature.yaml:5:13 values."image.tag".config.type: must be one of string, int, bool, string_array (got "integer")\n1 error, 0 warnings in 1 file\n',
      stderr: '',
    });
  });

  it('prints the Feature.yaml JSON Schema shipped inside it with fasit schema', () => {
    const r = run(fasit, ['schema']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(featureSchemaPath, 'utf8')));
  });

  it('refuses a wrong command line with exit 2', () => {
    expect(run(fasit, ['feature', 'lint', '--strict', demoChart])).toEqual({ status: 2, stdout: '', stderr: 'fasit feature lint: unknown option --strict\n' });
  });
});
