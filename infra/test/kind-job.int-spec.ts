// The GitHub workflow's `kind` job RUNS ONLY ON GITHUB'S RUNNERS (a Docker engine, kind): the images from docker/,
// a kind cluster, the control-plane chart and a naisd, one feature deployed for real (scripts/kind-smoke.sh), and
// integration suites on services from testcontainers (FASIT_SERVICES=testcontainers). This machine has no Docker
// engine, so here that job is checked, not run: the workflow's shape and every file it names, `bash -n` of its
// scripts, the charts rendered with the job's values and read by each service's own configuration loader, and the
// manifests of the job's dependencies against the addresses the values use.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { loadCatalogConfig } from '@fasit/catalog-api';
import { generateInstructionKeys, readConfig } from '@fasit/config';
import { dispatcherSpec } from '@fasit/dispatcher';
import { matcherSpec } from '@fasit/matcher';
import { loadNaisdConfig } from '@fasit/naisd';
import { reconcilerSpec } from '@fasit/reconciler';
import { byKind, containerEnv, FASIT_CHART, NAISD_CHART, render, type Container, type Deployment, type K8sObject } from './helm.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KIND = join(ROOT, 'infra/kind');
const SMOKE = join(ROOT, 'scripts/kind-smoke.sh');
const smoke = readFileSync(SMOKE, 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Workflow {
  jobs: Record<string, { 'runs-on': string; 'timeout-minutes'?: number; steps: Step[] }>;
}
const workflow = yaml.load(readFileSync(join(ROOT, '.github/workflows/ci.yml'), 'utf8')) as Workflow;

const deps = yaml.loadAll(readFileSync(join(KIND, 'deps.yaml'), 'utf8')) as K8sObject[];
const serviceAddress = (name: string): string => {
  const svc = deps.find((o) => o.kind === 'Service' && o.metadata.name === name) as (K8sObject & { spec: { ports: { port: number }[] } }) | undefined;
  if (!svc) throw new Error(`infra/kind/deps.yaml has no Service ${name}`);
  return `${name}.${svc.metadata.namespace}.svc.cluster.local:${svc.spec.ports[0]!.port}`;
};

describe("the GitHub workflow's kind job (runs only on GitHub's runners: Docker engine, kind; checked here, not run)", () => {
  const job = workflow.jobs['kind'];
  const steps = job?.steps ?? [];

  it('creates a kind cluster and then runs scripts/kind-smoke.sh; the test job still runs exactly `bash .ci/run`', () => {
    expect(job?.['runs-on']).toBe('ubuntu-latest');
    const kindAction = steps.findIndex((s) => s.uses?.startsWith('helm/kind-action@'));
    const run = steps.findIndex((s) => s.run?.trim() === 'bash scripts/kind-smoke.sh');
    expect(kindAction).toBeGreaterThanOrEqual(0);
    expect(run).toBeGreaterThan(kindAction);
    expect(steps[kindAction]?.with?.['cluster_name']).toBe('fasit');
    expect(workflow.jobs['test']?.steps.filter((s) => s.run?.includes('.ci/run')).map((s) => s.run?.trim())).toEqual(['bash .ci/run']);
  });

  it('runs integration suites with FASIT_SERVICES=testcontainers, installing testcontainers in that job only; no other job sets the switch', () => {
    const suites = steps.find((s) => s.env?.['FASIT_SERVICES'] === 'testcontainers');
    expect(suites?.run).toContain('pnpm add -w testcontainers@');
    expect(suites?.run).toContain('bash scripts/services.sh start');
    const others = Object.entries(workflow.jobs)
      .filter(([name]) => name !== 'kind')
      .flatMap(([, j]) => j.steps);
    expect(others.filter((s) => JSON.stringify(s).includes('testcontainers'))).toEqual([]);
    // Every package it tests exists and has a test script.
    const packages = [...(suites?.run ?? '').matchAll(/\b((?:apps|packages)\/[a-z-]+)\b/g)].map((m) => m[1]!);
    expect(packages.length).toBeGreaterThan(0);
    for (const p of packages)
      expect((JSON.parse(readFileSync(join(ROOT, p, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['test']).toBeDefined();
  });

  it('names only files that exist, and its scripts parse (bash -n)', () => {
    const named = [
      ...JSON.stringify(workflow.jobs['kind']).matchAll(/\b((?:scripts|infra|packages|docker)\/[\w./-]+\.(?:sh|mjs|ts|yaml))\b/g),
      ...smoke.matchAll(/\b((?:scripts|infra|packages|docker)\/[\w./-]+\.(?:sh|mjs|ts|yaml))\b/g),
    ].map((m) => m[1]!);
    expect(named).toContain('infra/kind/deps.yaml');
    for (const f of new Set(named)) expect([f, existsSync(join(ROOT, f))]).toEqual([f, true]);
    for (const script of [SMOKE, join(ROOT, 'scripts/services.sh')]) {
      const r = spawnSync('bash', ['-n', script], { encoding: 'utf8' });
      expect([script, r.status, r.stderr]).toEqual([script, 0, '']);
    }
  });

  it('builds an image from every Dockerfile in docker/, with the names the kind values give the charts', () => {
    const apps = /^APPS=\(([^)]*)\)$/m.exec(smoke)?.[1]?.split(/\s+/).filter(Boolean) ?? [];
    const dockerfiles = readdirSync(join(ROOT, 'docker'))
      .filter((f) => f.endsWith('.Dockerfile'))
      .map((f) => f.replace(/\.Dockerfile$/, ''));
    expect(apps.sort()).toEqual(dockerfiles.sort());
    expect(smoke).toContain('docker build -q -f "docker/$app.Dockerfile" -t "kind.local/fasit/$app:$TAG" .');
    expect(smoke).toMatch(/^TAG=0\.1\.0-ci$/m);
  });

  it("renders the control-plane chart with the job's values into a configuration each service accepts, on the images it built and the dependencies of deps.yaml", () => {
    const objects = render(FASIT_CHART, [join(KIND, 'fasit.values.yaml')], { release: 'fasit', namespace: 'fasit' });
    // The Secret the smoke script creates (`kubectl create secret generic fasit`), with keys as it makes them.
    const secretKeys = [...(/create secret generic fasit([^\n]*\\\n)+[^\n]*/.exec(smoke)?.[0] ?? '').matchAll(/--from-literal=([A-Z_]+)=/g)].map((m) => m[1]);
    expect(secretKeys).toEqual(['DATABASE_URL', 'FASIT_SECRET_KEYS', 'FASIT_AGENT_KEY_SECRET', 'FASIT_INSTRUCTION_SIGNING_KEY']);
    const databaseUrl = /--from-literal=DATABASE_URL=(\S+)/.exec(smoke)?.[1] ?? '';
    expect(databaseUrl).toBe(`postgres://postgres@${serviceAddress('postgres')}/fasit`);
    const secret = {
      fasit: {
        DATABASE_URL: databaseUrl,
        FASIT_SECRET_KEYS: 'kind:C70hBJJu3OX63vZc3V8cppVPyiGuUeLDZfgoLlC3vAk=',
        FASIT_AGENT_KEY_SECRET: 'a'.repeat(64),
        FASIT_INSTRUCTION_SIGNING_KEY: generateInstructionKeys('kind').signingKey,
      },
    };
    const deployments = byKind<Deployment>(objects, 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['fasit-catalog-api', 'fasit-dispatcher', 'fasit-matcher', 'fasit-reconciler']);
    for (const d of deployments) {
      const c = d.spec.template.spec.containers[0] as Container & { image: string; imagePullPolicy: string };
      const component = d.metadata.name.replace(/^fasit-/, '');
      expect([c.image, c.imagePullPolicy]).toEqual([`kind.local/fasit/${component}:0.1.0-ci`, 'Never']);
      const env = containerEnv(objects, c, secret);
      const config =
        component === 'catalog-api'
          ? loadCatalogConfig(env)
          : readConfig({ matcher: matcherSpec, reconciler: reconcilerSpec, dispatcher: dispatcherSpec }[component]!, env);
      expect(config).toMatchObject({ pubsubEmulatorHost: serviceAddress('pubsub'), pubsubProjectId: 'fasit-kind', busCreateTopics: true, databaseUrl });
    }
    expect(smoke).toContain('port_forward fasit fasit-catalog-api 18080 80');
    expect(byKind(objects, 'Service').map((s) => s.metadata.name)).toContain('fasit-catalog-api');
    const catalog = loadCatalogConfig(
      containerEnv(objects, deployments.find((d) => d.metadata.name === 'fasit-catalog-api')!.spec.template.spec.containers[0]!, secret),
    );
    expect(catalog.ociRegistries).toContain(serviceAddress('registry'));
  });

  it("renders naisd's chart with the job's values into an in-cluster agent its loader accepts, pulling from the job's registry", () => {
    const keys = generateInstructionKeys('kind');
    const objects = render(
      NAISD_CHART,
      [join(KIND, 'naisd.values.yaml'), { instructionPublicKeys: (JSON.parse(keys.publicKeys) as { keys: unknown[] }).keys }],
      { release: 'naisd', namespace: 'nais-system' },
    );
    const [d] = byKind<Deployment>(objects, 'Deployment');
    const c = d!.spec.template.spec.containers[0] as Container & { image: string; imagePullPolicy: string };
    expect([c.image, c.imagePullPolicy]).toEqual(['kind.local/fasit/naisd:0.1.0-ci', 'Never']);
    const config = loadNaisdConfig(containerEnv(objects, c, { 'naisd-agent-key': { FASIT_AGENT_KEY: 'b'.repeat(64) } }));
    expect(config).toMatchObject({
      tenant: 'kind',
      environment: 'dev',
      kubeconfig: '/etc/naisd/kubeconfig/config',
      pubsubEmulatorHost: serviceAddress('pubsub'),
      image: 'kind.local/fasit/naisd:0.1.0-ci',
      agentVersion: '0.1.0-ci',
    });
    expect(config.insecureRegistries).toBe(serviceAddress('registry'));
    expect(smoke).toContain(`REGISTRY_IN_CLUSTER=${serviceAddress('registry')}`);
    expect(smoke).toMatch(/^TENANT=kind ENV=dev FEATURE=demo-feature$/m);
  });

  it('FASIT_SERVICES is local or testcontainers: anything else stops scripts/services.sh naming the variable; the testcontainers script says it needs testcontainers where it is missing (here)', () => {
    const bad = spawnSync('bash', [join(ROOT, 'scripts/services.sh'), 'status'], { encoding: 'utf8', env: { ...process.env, FASIT_SERVICES: 'docker' } });
    expect([bad.status, bad.stderr.trim()]).toEqual([2, '[services] FASIT_SERVICES=docker: must be local (the default) or testcontainers']);
    const envFile = join(tmpdir(), `kind-job-${process.pid}.env`);
    writeFileSync(envFile, '');
    const tc = spawnSync('node', [join(ROOT, 'packages/testing/scripts/testcontainers.mjs'), 'start', envFile], { encoding: 'utf8' });
    expect(tc.status).toBe(1);
    expect(tc.stderr).toMatch(
      /^\[services:testcontainers\] testcontainers is not installed \(.*\): this switch is for machines with a Docker engine; run `pnpm add -w testcontainers@12\.2\.0` first/,
    );
    expect(readFileSync(envFile, 'utf8')).toBe('');
  });
});
