import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { REALWORLD_FEATURES_DIR } from '@fasit/testing';

// Runs the real CLI the way `pnpm fasit` does, from the repository root.
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const realworld = REALWORLD_FEATURES_DIR;
const malformed = 'packages/feature-spec/test-fixtures/malformed';

function fasit(...args: string[]): { status: number | null; stdout: string[]; stderr: string } {
  const result = spawnSync('node', ['--import', '@swc-node/register/esm-register', 'apps/cli/src/main.ts', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout.split('\n').filter((line) => line !== ''), stderr: result.stderr };
}

describe('fasit feature lint', () => {
  it('exits 0 on a valid chart directory, printing warnings and a summary', () => {
    const chart = join(realworld, 'aivenator');
    const result = fasit('feature', 'lint', chart);
    expect(result.stdout).toEqual([
      `${chart}/Feature.yaml:11:5 environmentKinds[2]: warning: the kind "legacy" is deprecated and matches no current environment; remove it`,
      '0 errors, 1 warning in 1 file',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('exits 0 and says so when a file has no problems at all', () => {
    const result = fasit('feature', 'lint', join(realworld, 'naiserator', 'Feature.yaml'));
    expect(result.stdout).toEqual(['0 errors, 0 warnings in 1 file']);
    expect(result.status).toBe(0);
  });

  it('exits 1 on a malformed file, one line per error', () => {
    const result = fasit('feature', 'lint', `${malformed}/several-mistakes.yaml`);
    expect(result.stdout).toEqual([
      `${malformed}/several-mistakes.yaml:1:28 environmentKinds[1]: must be one of management, tenant, onprem (got "cloud")`,
      `${malformed}/several-mistakes.yaml:2:10 timeout: must be a duration of hours, minutes and seconds in that order, like 10m, 1h30m or 90s (got "10 m")`,
      `${malformed}/several-mistakes.yaml:6:13 values."image.tag".config.type: must be one of string, int, bool, string_array (got "text")`,
      `${malformed}/several-mistakes.yaml:7:3 values.replicas: a value needs "config" (operator-supplied), "computed" (a template) or both`,
      `${malformed}/several-mistakes.yaml:12:5 values.token.secret: unknown field "secret" (allowed: displayName, description, required, config, computed, ignoreKind); "secret" belongs under "config"`,
      '5 errors, 0 warnings in 1 file',
    ]);
    expect(result.status).toBe(1);
  });

  it('exits 1 on a YAML syntax error without a stack trace', () => {
    const result = fasit('feature', 'lint', `${malformed}/yaml-tab-indentation.yaml`);
    expect(result.stdout[0]).toBe(`${malformed}/yaml-tab-indentation.yaml:3:1 YAML syntax error: tab character in indentation; indent with spaces`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
  });

  it('refuses a huge file from its size on disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fasit-lint-'));
    const file = join(dir, 'Feature.yaml');
    writeFileSync(file, `environmentKinds: [tenant]\n#${'x'.repeat(3 * 1024 * 1024)}\n`);
    const result = fasit('feature', 'lint', dir);
    expect(result.stdout).toEqual([
      `${file}:1:1 the file is 3,145,757 bytes; a Feature.yaml may be at most 1,048,576 bytes (1 MiB)`,
      '1 error, 0 warnings in 1 file',
    ]);
    expect(result.status).toBe(1);
  });

  it('exits 1 when a path has no Feature.yaml, and lints the other paths anyway', () => {
    const result = fasit('feature', 'lint', 'apps/cli', join(realworld, 'naiserator'));
    expect(result.stderr).toBe('fasit feature lint: apps/cli: no Feature.yaml in this directory\n');
    expect(result.stdout).toEqual(['1 error, 0 warnings in 2 files']);
    expect(result.status).toBe(1);
  });

  it('runs as the fasit bin from any directory, paths relative to that directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fasit-bin-'));
    writeFileSync(join(dir, 'Feature.yaml'), 'environmentKinds: [tenant]\nvalues:\n  a:\n    config: {type: integer}\n');
    const result = spawnSync('node', [join(repoRoot, 'apps/cli/bin/fasit.js'), 'feature', 'lint', '.'], { cwd: dir, encoding: 'utf8' });
    expect(result.stdout).toBe(
      'Feature.yaml:4:20 values.a.config.type: must be one of string, int, bool, string_array (got "integer")\n1 error, 0 warnings in 1 file\n',
    );
    expect(result.status).toBe(1);
  });

  it('exits 2 with usage when no path is given', () => {
    const result = fasit('feature', 'lint');
    expect(result.stderr).toBe('usage: fasit feature lint <chart-dir-or-Feature.yaml>...\n');
    expect(result.status).toBe(2);
  });
});
