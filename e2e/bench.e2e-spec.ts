// The benchmark command's smoke run: `pnpm bench` at a tiny size, as a user runs it (its own process, the four
// services as processes over PostgreSQL and the Pub/Sub emulator, the simulated fleet). It checks that every
// scenario runs and writes its JSON, and the behaviour the figures rest on: every instruction verifies at its agent,
// the steady-state sweep decides nothing new, no report is dead-lettered. It holds no number to a target: the
// targets live in the benchmark (docs/benchmarks.md).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { RunReport } from './bench/report.js';

const emulator = process.env['PUBSUB_EMULATOR_HOST'];

describe(`pnpm bench, smoke size (${emulator ? 'services as processes over the Pub/Sub emulator' : 'MISSING: the Pub/Sub emulator'})`, () => {
  it('runs every scenario and writes its figures beside the limits measured in the same run', async () => {
    if (!emulator) throw new Error('this machine has no Pub/Sub emulator (scripts/services.sh start says why)');
    const json = join(mkdtempSync(join(tmpdir(), 'fasit-bench-')), 'run.json');
    const args = [
      '--import',
      '@swc-node/register/esm-register',
      'bench/main.ts',
      '--envs',
      '4',
      '--features',
      '2',
      '--samples',
      '3',
      '--clients',
      '4',
      '--requests',
      '12',
      '--timeout',
      '180',
      '--json',
      json,
    ];
    const output = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, args, { cwd: import.meta.dirname, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
      ),
    );
    const report = JSON.parse(readFileSync(json, 'utf8')) as RunReport;
    expect(report.scenarios.map((s) => s.scenario)).toEqual(['fanout', 'latency', 'api', 'storm', 'sweep']);
    const figure = (scenario: string, name: string) => {
      const f = report.scenarios.find((s) => s.scenario === scenario)?.figures.find((x) => x.name === name);
      if (!f) throw new Error(`${scenario}: no figure "${name}" in ${json}`);
      return f;
    };
    expect(figure('fanout', 'instructions refused by an agent (bad signature)').value).toBe(0);
    expect(figure('fanout', 'environments with more than the 2 expected decisions').value).toBe(0);
    expect(figure('fanout', 'instructions delivered per second').limit?.value).toBeGreaterThan(0);
    expect(figure('latency', 'one change → instruction at its agent, p50').limit?.value).toBeGreaterThan(0);
    expect(figure('storm', 'reports dead-lettered').value).toBe(0);
    expect(figure('storm', 'reports ingested per second').limit?.value).toBeGreaterThan(0);
    expect(figure('sweep', 'deploys decided by the sweeps (steady state: 0)').value).toBe(0);
    expect(report.scenarios.find((s) => s.scenario === 'sweep')?.size['pairs']).toBe(8);
    // The tables a person reads: every scenario's, with the limit column.
    for (const s of ['fanout', 'latency', 'api', 'storm', 'sweep']) expect(output).toContain(`## ${s} (`);
    expect(output).toContain('limit, same run');
  }, 600_000);
});
