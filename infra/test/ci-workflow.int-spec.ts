// .github/workflows/ci.yml runs the command CI runs here, on every push and pull request.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<
    string,
    { 'runs-on': string; steps: { name?: string; uses?: string; run?: string; with?: Record<string, string>; 'continue-on-error'?: boolean }[] }
  >;
}

describe('.github/workflows/ci.yml', () => {
  const workflow = yaml.load(readFileSync(`${ROOT}/.github/workflows/ci.yml`, 'utf8')) as Workflow;
  // The test job; the kind job (Docker, kind: GitHub's runners only) is infra/test/kind-job.int-spec.ts's.
  const steps = workflow.jobs['test']?.steps ?? [];

  it('runs exactly `bash .ci/run` on ubuntu-latest, on push and on pull request', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(Object.keys(workflow.jobs)).toEqual(['test', 'kind']);
    expect(Object.values(workflow.jobs).map((j) => j['runs-on'])).toEqual(['ubuntu-latest', 'ubuntu-latest']);
    expect(
      Object.values(workflow.jobs)
        .flatMap((j) => j.steps)
        .filter((s) => s.run?.includes('.ci/run')),
    ).toHaveLength(1);
    const runs = steps.filter((s) => s.run?.includes('.ci/run'));
    expect(runs.map((s) => s.run?.trim())).toEqual(['bash .ci/run']);
    expect(runs[0]?.['continue-on-error']).toBeUndefined();
    expect(existsSync(`${ROOT}/.ci/run`)).toBe(true);
  });

  it('installs what the services script cannot install as a non-root user, and the Pub/Sub emulator where it can', () => {
    const ordered = steps.map((s) => s.run ?? s.uses ?? '');
    const ci = ordered.findIndex((r) => r.includes('.ci/run'));
    const apt = ordered.findIndex((r) => r.includes('apt-get install') && r.includes('postgresql') && r.includes('docker-registry'));
    const emulator = ordered.findIndex((r) => r.includes('google-cloud-cli-pubsub-emulator'));
    expect(apt).toBeGreaterThanOrEqual(0);
    expect(emulator).toBeGreaterThanOrEqual(0);
    expect(Math.max(apt, emulator)).toBeLessThan(ci);
    // Without the emulator the bus tests fall back to the in-process bus: its absence must not fail CI.
    expect(steps[emulator]?.['continue-on-error']).toBe(true);
  });

  it('packs the fasit CLI after the tests and uploads the tarball as the artifact fasit-cli', () => {
    const ordered = steps.map((s) => s.run ?? s.uses ?? '');
    const ci = ordered.findIndex((r) => r.includes('.ci/run'));
    const pack = ordered.findIndex((r) => r.includes('apps/cli/scripts/build.mjs --pack'));
    const upload = steps.findIndex((s) => s.uses?.startsWith('actions/upload-artifact') && s.with?.['name'] === 'fasit-cli');
    expect(pack).toBeGreaterThan(ci);
    expect(upload).toBeGreaterThan(pack);
    expect(steps[upload]?.with?.['path']).toBe('apps/cli/dist/fasit-cli-*.tgz');
    expect(existsSync(`${ROOT}/apps/cli/scripts/build.mjs`)).toBe(true);
  });
});
