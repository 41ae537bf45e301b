// The control-plane chart, through the real helm 4 (`helm lint --strict`, `helm template`): what an operator relies
// on - probes, a non-root read-only container, replicas, secrets by reference - and that the configuration it
// renders is accepted by each service's own configuration loader, as the service would read it at start.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { loadCatalogConfig } from '@fasit/catalog-api';
import {
  DEVELOPMENT_KEYS,
  generateInstructionKeys,
  parseInstructionPublicKeys,
  parseInstructionSigningKey,
  PLATFORM_VARIABLES,
  readConfig,
} from '@fasit/config';
import { dispatcherSpec } from '@fasit/dispatcher';
import { matcherSpec } from '@fasit/matcher';
import { reconcilerSpec } from '@fasit/reconciler';
import { byKind, containerEnv, EXAMPLES, FASIT_CHART, lint, one, render, template, type Container, type Deployment, type K8sObject } from './helm.js';

const PRODUCTION = join(EXAMPLES, 'fasit.production.yaml');
const MINIMAL = { pubsub: { projectId: 'fasit-test-1' } };
const COMPONENTS = ['catalog-api', 'matcher', 'reconciler', 'dispatcher'] as const;
/** What the operator's own Secret "fasit" holds when the chart does not create one. */
const EXISTING = {
  fasit: {
    DATABASE_URL: 'postgres://fasit@db:5432/fasit',
    FASIT_SECRET_KEYS: 'k1:C70hBJJu3OX63vZc3V8cppVPyiGuUeLDZfgoLlC3vAk=',
    FASIT_AGENT_KEY_SECRET: 'agent-secret-of-the-operators-own-secret',
    FASIT_INSTRUCTION_SIGNING_KEY: generateInstructionKeys('operators-own').signingKey,
  },
};

const deployment = (objects: K8sObject[], component: string) => one<Deployment>(objects, 'Deployment', `fasit-${component}`);
const container = (objects: K8sObject[], component: string): Container => {
  const c = deployment(objects, component).spec.template.spec.containers[0];
  if (!c) throw new Error(`no container in ${component}`);
  return c;
};

describe('infra/helm/fasit (helm lint and helm template, helm 4)', () => {
  it('passes helm lint --strict with its default values and with the production example', () => {
    const byDefault = lint(FASIT_CHART);
    expect(byDefault.stderr + byDefault.stdout).toContain('0 chart(s) failed');
    expect(byDefault.code).toBe(0);
    const production = lint(FASIT_CHART, PRODUCTION);
    expect(production.code).toBe(0);
  });

  it('refuses to install without the Pub/Sub project, naming the value', () => {
    const r = template(FASIT_CHART, []);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('pubsub.projectId: required');
  });

  it('renders four Deployments, a Service, per-component ConfigMaps and PodDisruptionBudgets, and no Secret by default', () => {
    const objects = render(FASIT_CHART, [MINIMAL]);
    expect(
      byKind(objects, 'Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(COMPONENTS.map((c) => `fasit-${c}`).sort());
    expect(byKind(objects, 'ConfigMap')).toHaveLength(4);
    expect(byKind(objects, 'PodDisruptionBudget')).toHaveLength(4);
    expect(byKind(objects, 'Service').map((s) => s.metadata.name)).toEqual(['fasit-catalog-api']);
    expect(byKind(objects, 'Secret')).toHaveLength(0);
    expect(byKind(objects, 'Ingress')).toHaveLength(0);
    for (const o of objects) if (o.kind !== 'ClusterRole' && o.kind !== 'ClusterRoleBinding') expect(o.metadata.namespace).toBe('fasit');
  });

  it.each(COMPONENTS)('%s: probes on /healthz and /readyz of the port the service listens on', (component) => {
    const objects = render(FASIT_CHART, [PRODUCTION]);
    const c = container(objects, component);
    const env = containerEnv(objects, c);
    const http = c.ports?.find((p) => p.name === 'http');
    expect(http?.containerPort).toBe(Number(env['FASIT_HTTP_PORT']));
    expect(env['FASIT_HTTP_HOST']).toBe('0.0.0.0');
    expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    // Migrations run before the service listens: the startup probe gives them minutes, not seconds.
    expect(c.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect((c.startupProbe?.periodSeconds ?? 0) * (c.startupProbe?.failureThreshold ?? 0)).toBeGreaterThanOrEqual(120);
  });

  it.each(COMPONENTS)('%s: runs as uid 65532, non-root, read-only root file system, no capabilities, a writable /tmp', (component) => {
    const objects = render(FASIT_CHART, [PRODUCTION]);
    const pod = deployment(objects, component).spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532 });
    const c = container(objects, component);
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
    expect(pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
    expect(c.resources?.requests?.['memory']).toBeDefined();
    expect(c.resources?.limits?.['memory']).toBeDefined();
    expect(c.image).toBe(`ghcr.io/nais/fasit/${component}:0.1.0`);
    // The pods do not talk to the Kubernetes API.
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('sets the replicas of each component, rolls without losing capacity, and keeps a PDB only where there is more than one replica', () => {
    const objects = render(FASIT_CHART, [PRODUCTION, { matcher: { replicas: 1 }, dispatcher: { replicas: 5 } }]);
    expect(deployment(objects, 'catalog-api').spec.replicas).toBe(3);
    expect(deployment(objects, 'reconciler').spec.replicas).toBe(4);
    expect(deployment(objects, 'dispatcher').spec.replicas).toBe(5);
    expect(deployment(objects, 'matcher').spec.replicas).toBe(1);
    for (const c of COMPONENTS) expect(deployment(objects, c).spec.strategy).toMatchObject({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } });
    const pdbs = byKind<{ spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } } }>(objects, 'PodDisruptionBudget');
    expect(pdbs.map((p) => p.metadata.name).sort()).toEqual(['fasit-catalog-api', 'fasit-dispatcher', 'fasit-reconciler']);
    for (const p of pdbs) {
      const d = one<Deployment>(objects, 'Deployment', p.metadata.name);
      expect(d.spec.template.metadata.labels).toMatchObject(p.spec.selector.matchLabels);
    }
  });

  it('refuses replicas: "two", a negative replica count, an unknown value and a root user in values.schema.json', () => {
    for (const bad of [
      { matcher: { replicas: 'two' } },
      { reconciler: { replicas: -1 } },
      { catalogApi: { replcas: 2 } },
      { podSecurityContext: { runAsNonRoot: false } },
      { logLevel: 'verbose' },
    ]) {
      const linted = lint(FASIT_CHART, MINIMAL, bad);
      expect(linted.code).not.toBe(0);
      const templated = template(FASIT_CHART, [MINIMAL, bad]);
      expect(templated.code).not.toBe(0);
      expect(templated.stderr).toContain("values don't meet the specifications of the schema");
    }
    expect(template(FASIT_CHART, [MINIMAL, { matcher: { replicas: 'two' } }]).stderr).toContain('/matcher/replicas');
  });

  it('traces are off unless asked; with tracing.exporter otlp every service exports to the collector its loader reads, and otlp without an endpoint is refused naming the value', () => {
    const envOf = (objects: K8sObject[], component: string) => containerEnv(objects, container(objects, component), EXISTING);
    const off = render(FASIT_CHART, [MINIMAL]);
    expect(readConfig(matcherSpec, envOf(off, 'matcher'))).toMatchObject({ tracing: 'off', otlpEndpoint: undefined });
    const on = render(FASIT_CHART, [MINIMAL, { tracing: { exporter: 'otlp', otlpEndpoint: 'http://otel-collector.monitoring:4318' } }]);
    const traced = { tracing: 'otlp', otlpEndpoint: 'http://otel-collector.monitoring:4318' };
    expect(loadCatalogConfig(envOf(on, 'catalog-api'))).toMatchObject(traced);
    expect(readConfig(matcherSpec, envOf(on, 'matcher'))).toMatchObject(traced);
    expect(readConfig(reconcilerSpec, envOf(on, 'reconciler'))).toMatchObject(traced);
    expect(readConfig(dispatcherSpec, envOf(on, 'dispatcher'))).toMatchObject(traced);
    const missing = template(FASIT_CHART, [MINIMAL, { tracing: { exporter: 'otlp', otlpEndpoint: '' } }]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('tracing.otlpEndpoint: required when tracing.exporter is otlp');
    for (const bad of [{ tracing: { exporter: 'jaeger', otlpEndpoint: '' } }, { tracing: { exporter: 'otlp', otlpEndpoint: 'collector:4318' } }]) {
      const r = template(FASIT_CHART, [MINIMAL, bad]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('/tracing/');
    }
  });

  it('gives each service a configuration its own loader accepts, with the production settings (chart-created Secret)', () => {
    const objects = render(FASIT_CHART, [PRODUCTION]);
    const envOf = (component: string) => containerEnv(objects, container(objects, component));
    for (const component of COMPONENTS) {
      for (const name of Object.keys(envOf(component)).filter((n) => n.startsWith('FASIT_')))
        expect(PLATFORM_VARIABLES.has(name) ? name : `${component}: ${name} is not a platform variable`).toBe(name);
    }

    const catalog = loadCatalogConfig(envOf('catalog-api'));
    expect(catalog).toMatchObject({
      authMode: 'oidc',
      httpHost: '0.0.0.0',
      grpcHost: '0.0.0.0',
      grpcPort: 4444,
      busKind: 'pubsub',
      busCreateTopics: false,
      pubsubProjectId: 'fasit-prod-4711',
      databaseUrl: 'postgres://fasit:s3cret@10.10.0.5:5432/fasit?sslmode=require',
      databasePoolSize: 8,
      maxBodyBytes: 1_048_576,
      githubAudience: 'https://github.com/nais',
      githubAudienceCheck: 'on',
      ociRegistries: 'europe-north1-docker.pkg.dev',
      bootstrapAdmins: 'platform-admin@example.com',
      ociUsername: 'fasit-robot',
      webOidcAuthority: 'https://accounts.google.com',
      webOidcClientId: 'fasit.example.com',
      webOidcScope: 'openid email profile',
    });
    expect(catalog.secretKeys).toMatch(/^k2026:/);
    expect(JSON.parse(catalog.githubRepositories)).toEqual([
      { repository: 'nais/loki-feature', features: ['loki'], tenants: ['nav', 'ssb'] },
      { repository: 'nais/observability', features: ['tempo', 'loki'], targets: [{ kind: 'management' }] },
    ]);
    expect(JSON.parse(catalog.oidcIssuers)).toEqual([{ issuer: 'https://accounts.google.com', audience: 'fasit.example.com' }]);
    expect(catalog.pubsubEmulatorHost).toBeUndefined();

    expect(readConfig(matcherSpec, envOf('matcher'))).toMatchObject({ busCreateTopics: false, pubsubProjectId: 'fasit-prod-4711', sweepIntervalMs: 300_000 });
    const reconciler = readConfig(reconcilerSpec, envOf('reconciler'));
    expect(reconciler).toMatchObject({ sweepIntervalMs: 120_000, healthWindowMs: 180_000, retryMaxAttempts: 3, requestTimeoutMs: 300_000 });
    expect(reconciler.secretKeys).toBe(catalog.secretKeys);
    // explain and the dry run in catalog-api decide with the reconciler's settings
    expect({ h: catalog.healthWindowMs, m: catalog.retryMaxAttempts, b: catalog.retryBaseDelayMs, r: catalog.requestTimeoutMs }).toEqual({
      h: reconciler.healthWindowMs,
      m: reconciler.retryMaxAttempts,
      b: reconciler.retryBaseDelayMs,
      r: reconciler.requestTimeoutMs,
    });
    const dispatcher = readConfig(dispatcherSpec, envOf('dispatcher'));
    expect(dispatcher).toMatchObject({ deployTimeoutMs: 1_800_000, agentKeySecret: '9c1d6a0e8b7f4e2a9d3c5b1a7e6f0d2c' });
    // The reconciler seals values for the agents with the key the dispatcher checks their reports with.
    expect(reconciler.agentKeySecret).toBe(dispatcher.agentKeySecret);
    // The dispatcher signs instructions with the key whose public half the agent example trusts; no one else holds it.
    const agents = yaml.load(readFileSync(join(EXAMPLES, 'naisd.in-cluster.yaml'), 'utf8')) as { instructionPublicKeys: object[] };
    expect(parseInstructionPublicKeys(JSON.stringify({ keys: agents.instructionPublicKeys })).keys).toContainEqual(
      parseInstructionSigningKey(dispatcher.instructionSigningKey).publicJwk,
    );
    for (const c of ['catalog-api', 'matcher', 'reconciler'] as const) expect(envOf(c)['FASIT_INSTRUCTION_SIGNING_KEY']).toBeUndefined();
    // Each service gets only the secrets it reads.
    expect(envOf('matcher')['FASIT_SECRET_KEYS']).toBeUndefined();
    expect(envOf('matcher')['FASIT_AGENT_KEY_SECRET']).toBeUndefined();
    expect(envOf('catalog-api')['FASIT_AGENT_KEY_SECRET']).toBeUndefined();
  });

  it('references an existing Secret by default: required keys are not optional, and the services start from it', () => {
    const objects = render(FASIT_CHART, [MINIMAL]);
    const refs = (component: string) =>
      Object.fromEntries((container(objects, component).env ?? []).filter((e) => e.valueFrom?.secretKeyRef).map((e) => [e.name, e.valueFrom?.secretKeyRef]));
    expect(refs('catalog-api')).toEqual({
      DATABASE_URL: { name: 'fasit', key: 'DATABASE_URL', optional: false },
      FASIT_SECRET_KEYS: { name: 'fasit', key: 'FASIT_SECRET_KEYS', optional: false },
      FASIT_OCI_PASSWORD: { name: 'fasit', key: 'FASIT_OCI_PASSWORD', optional: true },
    });
    expect(refs('matcher')).toEqual({ DATABASE_URL: { name: 'fasit', key: 'DATABASE_URL', optional: false } });
    expect(refs('reconciler')).toEqual({
      DATABASE_URL: { name: 'fasit', key: 'DATABASE_URL', optional: false },
      FASIT_SECRET_KEYS: { name: 'fasit', key: 'FASIT_SECRET_KEYS', optional: false },
      FASIT_AGENT_KEY_SECRET: { name: 'fasit', key: 'FASIT_AGENT_KEY_SECRET', optional: false },
    });
    expect(refs('dispatcher')).toEqual({
      DATABASE_URL: { name: 'fasit', key: 'DATABASE_URL', optional: false },
      FASIT_AGENT_KEY_SECRET: { name: 'fasit', key: 'FASIT_AGENT_KEY_SECRET', optional: false },
      FASIT_INSTRUCTION_SIGNING_KEY: { name: 'fasit', key: 'FASIT_INSTRUCTION_SIGNING_KEY', optional: false },
    });

    expect(loadCatalogConfig(containerEnv(objects, container(objects, 'catalog-api'), EXISTING)).databaseUrl).toBe('postgres://fasit@db:5432/fasit');
    expect(readConfig(dispatcherSpec, containerEnv(objects, container(objects, 'dispatcher'), EXISTING)).agentKeySecret).toBe(
      'agent-secret-of-the-operators-own-secret',
    );
    // Without the operator's Secret the pods would not start.
    expect(() => containerEnv(objects, container(objects, 'matcher'), {})).toThrow(/DATABASE_URL needs key DATABASE_URL of Secret fasit/);
  });

  it.each(COMPONENTS)('%s runs outside development mode (FASIT_AUTH_MODE=oidc): its keys must be real, and a public development key stops it', (component) => {
    const objects = render(FASIT_CHART, [MINIMAL]);
    const env = containerEnv(objects, container(objects, component), EXISTING);
    expect(env['FASIT_AUTH_MODE']).toBe('oidc');
    const load = (e: Record<string, string>) =>
      component === 'catalog-api'
        ? loadCatalogConfig(e)
        : readConfig({ matcher: matcherSpec, reconciler: reconcilerSpec, dispatcher: dispatcherSpec }[component], e);
    expect(() => load(env)).not.toThrow();
    const withDevKeys = { ...env, ...Object.fromEntries(Object.entries(DEVELOPMENT_KEYS).filter(([k]) => k in env)) };
    if (component !== 'matcher') expect(() => load(withDevKeys)).toThrow(/is a public development key/);
  });

  it.each([
    [
      'the public development agent secret',
      { agentKeySecret: DEVELOPMENT_KEYS.FASIT_AGENT_KEY_SECRET },
      "secrets.agentKeySecret: the public development secret (it is in Fasit's source)",
    ],
    ['a short agent secret', { agentKeySecret: 'x'.repeat(31) }, 'secrets.agentKeySecret: too short (31 characters; at least 32)'],
    [
      'the public development secret key',
      { secretKeys: `k2026:C70hBJJu3OX63vZc3V8cppVPyiGuUeLDZfgoLlC3vAk=,${DEVELOPMENT_KEYS.FASIT_SECRET_KEYS}` },
      "secrets.secretKeys: holds the public development key (it is in Fasit's source)",
    ],
    ['no instruction signing key', { instructionSigningKey: '' }, 'secrets.instructionSigningKey: required when secrets.create is true'],
    [
      'the public development instruction key',
      { instructionSigningKey: DEVELOPMENT_KEYS.FASIT_INSTRUCTION_SIGNING_KEY },
      "secrets.instructionSigningKey: the public development key (it is in Fasit's source)",
    ],
  ])('a chart-created Secret refuses %s, naming the value', (_, secrets, message) => {
    const r = template(FASIT_CHART, [PRODUCTION, { secrets }]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
  });

  it('names other Secret keys and another Secret when told to', () => {
    const objects = render(FASIT_CHART, [MINIMAL, { secrets: { existingSecret: 'fasit-from-vault', keys: { databaseUrl: 'url' } } }]);
    const env = container(objects, 'matcher').env ?? [];
    expect(env.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({ name: 'fasit-from-vault', key: 'url', optional: false });
  });

  it('a chart-created Secret needs its values, and a change to it rolls the pods', () => {
    const missing = template(FASIT_CHART, [MINIMAL, { secrets: { create: true, secretKeys: 'k:AAAA', agentKeySecret: 'x' } }]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('secrets.databaseUrl: required');
    const checksum = (databaseUrl: string) =>
      deployment(render(FASIT_CHART, [PRODUCTION, { secrets: { databaseUrl } }]), 'matcher').spec.template.metadata.annotations?.['checksum/secret'];
    expect(checksum('postgres://a@db/fasit')).toBeDefined();
    expect(checksum('postgres://a@db/fasit')).not.toBe(checksum('postgres://b@db/fasit'));
  });

  it('a configuration change rolls only the pods whose configuration changed', () => {
    const annotations = (values: Record<string, unknown>) => {
      const objects = render(FASIT_CHART, [MINIMAL, values]);
      return Object.fromEntries(COMPONENTS.map((c) => [c, deployment(objects, c).spec.template.metadata.annotations?.['checksum/config']]));
    };
    const before = annotations({});
    const after = annotations({ reconciler: { sweepIntervalMs: 90_000 } });
    expect(after['reconciler']).not.toBe(before['reconciler']);
    expect(after['matcher']).toBe(before['matcher']);
  });

  it('exposes REST and gRPC on the Service, an optional Ingress to REST, and turns gRPC off when disabled', () => {
    const objects = render(FASIT_CHART, [PRODUCTION]);
    const service = one<{ spec: { ports: { name: string; port: number; targetPort: string }[]; selector: Record<string, string> } }>(
      objects,
      'Service',
      'fasit-catalog-api',
    );
    expect(service.spec.ports.map((p) => [p.name, p.port, p.targetPort])).toEqual([
      ['http', 80, 'http'],
      ['grpc', 4444, 'grpc'],
    ]);
    expect(deployment(objects, 'catalog-api').spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(container(objects, 'catalog-api').ports?.map((p) => p.name)).toEqual(['http', 'grpc']);
    const ingress = one<{
      spec: {
        ingressClassName: string;
        tls: unknown[];
        rules: { host: string; http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] } }[];
      };
    }>(objects, 'Ingress', 'fasit-catalog-api');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.rules[0]?.host).toBe('fasit.example.com');
    expect(ingress.spec.rules[0]?.http.paths[0]?.backend.service).toEqual({ name: 'fasit-catalog-api', port: { name: 'http' } });

    const off = render(FASIT_CHART, [MINIMAL, { catalogApi: { grpc: { enabled: false } } }]);
    expect(loadCatalogConfig(containerEnv(off, container(off, 'catalog-api'), EXISTING)).grpcPort).toBe(-1);
    expect(one<{ spec: { ports: { name: string }[] } }>(off, 'Service', 'fasit-catalog-api').spec.ports.map((p) => p.name)).toEqual(['http']);
  });

  it('annotates the service account for GKE Workload Identity, which every pod runs as', () => {
    const objects = render(FASIT_CHART, [PRODUCTION]);
    const sa = one(objects, 'ServiceAccount', 'fasit');
    expect(sa.metadata.annotations?.['iam.gke.io/gcp-service-account']).toBe('fasit@fasit-prod-4711.iam.gserviceaccount.com');
    for (const c of COMPONENTS) expect(deployment(objects, c).spec.template.spec.serviceAccountName).toBe('fasit');
  });

  it('outside Workload Identity, mounts a key file and points GOOGLE_APPLICATION_CREDENTIALS at it', () => {
    const objects = render(FASIT_CHART, [MINIMAL, { pubsub: { credentialsSecret: { name: 'fasit-gsa', key: 'sa.json' } } }]);
    const pod = deployment(objects, 'dispatcher').spec.template.spec;
    const c = container(objects, 'dispatcher');
    expect(containerEnv(objects, c, EXISTING)['GOOGLE_APPLICATION_CREDENTIALS']).toBe('/var/run/secrets/google/sa.json');
    const mount = c.volumeMounts?.find((m) => m.mountPath === '/var/run/secrets/google');
    expect(pod.volumes?.find((v) => v.name === mount?.name)?.secret?.secretName).toBe('fasit-gsa');
  });

  it('against a Pub/Sub emulator: the services create their topics and skip the metadata server', () => {
    const objects = render(FASIT_CHART, [{ pubsub: { emulatorHost: 'pubsub-emulator:8085', createTopics: true } }]);
    const env = containerEnv(objects, container(objects, 'reconciler'), EXISTING);
    expect(readConfig(reconcilerSpec, env)).toMatchObject({ pubsubEmulatorHost: 'pubsub-emulator:8085', busCreateTopics: true });
    expect(env['METADATA_SERVER_DETECTION']).toBe('none');
  });
});
