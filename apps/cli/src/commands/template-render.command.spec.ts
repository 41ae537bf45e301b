import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GOTEMPLATE_CONFORMANCE_FILE } from '@fasit/testing';

// Runs the real CLI as separate processes, from the repository root: the bundle that is packed and installed.
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const corpusPath = GOTEMPLATE_CONFORMANCE_FILE;

interface Case {
  name: string;
  template: string;
  data?: unknown;
  options?: string[];
  output?: string;
  error?: string;
  errorKind?: 'parse' | 'exec';
}

interface Run {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

// The spawned CLI is the bundle chart authors install (scripts/build.mjs), built once for this suite.
const bundleDir = mkdtempSync(join(tmpdir(), 'fasit-cli-bundle-'));
beforeAll(() => {
  execFileSync(process.execPath, [join(repoRoot, 'apps/cli/scripts/build.mjs'), `--out=${bundleDir}`], { cwd: repoRoot, stdio: 'ignore' });
}, 120_000);
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

function fasit(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(bundleDir, 'dist', 'fasit.js'), ...args], { cwd: repoRoot });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ status, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end(stdin ?? '');
  });
}

/** Runs `jobs` with at most `limit` at a time, results in order. */
async function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

const dir = mkdtempSync(join(tmpdir(), 'fasit-template-render-'));
const cases = JSON.parse(readFileSync(corpusPath, 'utf8')) as Case[];
// A deterministic sample: every fifth case, and every case with an option or an expected failure.
const sample = cases.filter((c, i) => i % 5 === 0 || c.options !== undefined || c.error !== undefined);

function runCase(c: Case, i: number): Promise<Run> {
  const tpl = join(dir, `case-${i}.tpl`);
  const data = join(dir, `case-${i}.json`);
  writeFileSync(tpl, c.template);
  writeFileSync(data, JSON.stringify(c.data ?? null));
  const missingkey = c.options?.includes('missingkey=error') === true ? ['--missingkey=error'] : [];
  return fasit(['template', 'render', '--functions', 'sprig', '--name', c.name, '--data', data, ...missingkey, tpl]);
}

describe('fasit template render (spawned) on the Go conformance corpus', () => {
  it(`reproduces Go's output byte for byte, or fails where Go fails (${sample.length} of ${cases.length} cases)`, async () => {
    expect(sample.length).toBeGreaterThan(50);
    const runs = await pool(
      sample.map((c, i) => () => runCase(c, i)),
      8,
    );
    const mismatches: string[] = [];
    sample.forEach((c, i) => {
      const r = runs[i]!;
      if (c.error === undefined) {
        if (r.status !== 0 || r.stderr !== '' || !r.stdout.equals(Buffer.from(c.output ?? '', 'utf8'))) {
          mismatches.push(`${c.name}: exit ${r.status}, stdout ${JSON.stringify(r.stdout.toString('utf8'))}, stderr ${JSON.stringify(r.stderr)}`);
        }
      } else if (r.status !== 1 || r.stdout.length !== 0 || !r.stderr.startsWith('template: ')) {
        mismatches.push(
          `${c.name}: expected a failure, got exit ${r.status}, stdout ${JSON.stringify(r.stdout.toString('utf8'))}, stderr ${JSON.stringify(r.stderr)}`,
        );
      }
    });
    expect(mismatches).toEqual([]);
  }, 240_000);
});

describe('fasit template render (spawned)', () => {
  it('prints exactly the output, without a trailing newline', async () => {
    const tpl = join(dir, 'plain.tpl');
    const data = join(dir, 'plain.json');
    writeFileSync(tpl, '{{ .a }}-{{ printf "%T" .n }}');
    writeFileSync(data, '{"a": "x", "n": 3}');
    const r = await fasit(['template', 'render', '--data', data, tpl]);
    expect([r.status, r.stdout.toString('utf8'), r.stderr]).toEqual([0, 'x-float64', '']);
  });

  it('reads the template from standard input for "-", with no data', async () => {
    const r = await fasit(['template', 'render', '-'], '{{ print . }}|{{ .x }}');
    expect([r.status, r.stdout.toString('utf8')]).toEqual([0, '<nil>|<no value>']);
  });

  it('fails with the error on stderr and exit 1, nothing on stdout', async () => {
    const tpl = join(dir, 'missing.tpl');
    const data = join(dir, 'missing.json');
    writeFileSync(tpl, 'before {{ .a.b }}');
    writeFileSync(data, '{"a": {}}');
    const r = await fasit(['template', 'render', '--missingkey', 'error', '--data', data, tpl]);
    expect([r.status, r.stdout.toString('utf8'), r.stderr]).toEqual([
      1,
      '',
      'template: missing.tpl:1:12: executing "missing.tpl" at <.a.b>: map has no entry for key "b"\n',
    ]);
  });

  it.each([
    [['template', 'render'], 2, 'exactly one template file is needed'],
    [['template', 'render', '--functions', 'go', 'x.tpl'], 2, '--functions must be one of fasit, sprig (got "go")'],
    [['template', 'render', '--bogus', 'x.tpl'], 2, 'unknown option --bogus'],
    [['template', 'render', 'no-such-file.tpl'], 1, 'no-such-file.tpl: no such file'],
  ])('refuses %j with exit %d', async (args, status, message) => {
    const r = await fasit(args);
    expect(r.status).toBe(status);
    expect(r.stderr).toContain(message);
  });
});
