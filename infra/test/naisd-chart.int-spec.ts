// The naisd chart, through the real helm 4: one agent per environment (1 replica, Recreate), the rights to install
// arbitrary charts, a kubeconfig for its own cluster from the pod's service-account token, and a configuration
// naisd's own loader accepts.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { DEVELOPMENT_KEYS, parseInstructionPublicKeys } from '@fasit/config';
import { deriveAgentKey } from '@fasit/domain';
import { loadNaisdConfig } from '@fasit/naisd';
import {
  byKind,
  containerEnv,
  EXAMPLES,
  lint,
  NAISD_CHART,
  one,
  render,
  template,
  type Container,
  type Deployment,
  type K8sObject,
  type Values,
} from './helm.js';

const IN_CLUSTER = join(EXAMPLES, 'naisd.in-cluster.yaml');
const AGENT_KEY = deriveAgentKey('agent-secret', 'acme', 'prod-gcp');
const EXISTING = { 'naisd-agent-key': { FASIT_AGENT_KEY: AGENT_KEY } };
const NS = { release: 'naisd', namespace: 'nais-system' };

const agent = (objects: K8sObject[]) => one<Deployment>(objects, 'Deployment', 'naisd');
const container = (objects: K8sObject[]): Container => {
  const c = agent(objects).spec.template.spec.containers[0];
  if (!c) throw new Error('no container');
  return c;
};

describe('infra/helm/naisd (helm lint and helm template, helm 4)', () => {
  it('passes helm lint --strict with its default values and with the in-cluster example', () => {
    const byDefault = lint(NAISD_CHART);
    expect(byDefault.stderr + byDefault.stdout).toContain('0 chart(s) failed');
    expect(byDefault.code).toBe(0);
    expect(lint(NAISD_CHART, IN_CLUSTER).code).toBe(0);
  });

  it('refuses to install without tenant, environment, Pub/Sub project and the instruction public keys, naming each', () => {
    expect(template(NAISD_CHART, [], NS).stderr).toContain('tenant: required');
    expect(template(NAISD_CHART, [{ tenant: 'acme' }], NS).stderr).toContain('environment: required');
    expect(template(NAISD_CHART, [{ tenant: 'acme', environment: 'dev' }], NS).stderr).toContain('pubsub.projectId: required');
    expect(template(NAISD_CHART, [IN_CLUSTER, { instructionPublicKeys: [] }], NS).stderr).toContain(
      "instructionPublicKeys: required (the public half of the dispatcher's instruction signing key",
    );
  });

  it('gives naisd the instruction public keys it lists (two while the dispatcher key rotates), and never a private or development key', () => {
    const objects = render(NAISD_CHART, [IN_CLUSTER], NS);
    const config = loadNaisdConfig(containerEnv(objects, container(objects), EXISTING));
    expect(config.authMode).toBe('oidc');
    expect(parseInstructionPublicKeys(config.instructionPublicKeys).keys.map((k) => k.kid)).toEqual(['fasit-2026-12', 'fasit-2027-06']);
    const [dev] = (JSON.parse(DEVELOPMENT_KEYS.FASIT_INSTRUCTION_PUBLIC_KEYS) as { keys: { kid: string }[] }).keys;
    const withDev = template(NAISD_CHART, [IN_CLUSTER, { instructionPublicKeys: [dev] }], NS);
    expect(withDev.code).not.toBe(0);
    expect(withDev.stderr).toContain('instructionPublicKeys: key "development" is the public development key');
    const privateKey = template(
      NAISD_CHART,
      [IN_CLUSTER, { instructionPublicKeys: [{ ...dev, kid: 'leaked', d: 'Q0NgPBSnmIfvmARhc0bzq_zp9NUltHBOqkoHB8AE6uA' }] }],
      NS,
    );
    expect(privateKey.code).not.toBe(0);
    expect(privateKey.stderr).toContain("additional properties 'd' not allowed");
  });

  it('runs exactly one agent, replaced with Recreate, with probes on /healthz and /readyz', () => {
    const objects = render(NAISD_CHART, [IN_CLUSTER], NS);
    expect(byKind(objects, 'Deployment')).toHaveLength(1);
    const d = agent(objects);
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const c = container(objects);
    expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(c.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.ports?.find((p) => p.name === 'http')?.containerPort).toBe(loadNaisdConfig(containerEnv(objects, c, EXISTING)).httpPort);
  });

  it('refuses a replica count: there is no such value', () => {
    const r = template(NAISD_CHART, [IN_CLUSTER, { replicas: 2 }], NS);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("additional properties 'replicas' not allowed");
  });

  it('refuses a tenant or environment that is not a DNS label, and an unknown cluster mode', () => {
    for (const bad of [{ tenant: 'Acme Corp' }, { environment: 'prod_gcp' }, { cluster: { mode: 'yes' } }, { agentKey: { create: true, value: 'not-hex' } }]) {
      const r = template(NAISD_CHART, [IN_CLUSTER, bad], NS);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("values don't meet the specifications of the schema");
      expect(lint(NAISD_CHART, IN_CLUSTER, bad).code).not.toBe(0);
    }
  });

  it('runs as uid 65532, non-root, read-only root file system, no capabilities, with a writable /tmp for helm', () => {
    const objects = render(NAISD_CHART, [IN_CLUSTER], NS);
    const pod = agent(objects).spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532 });
    const c = container(objects);
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
    expect(pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
    expect(c.image).toBe('ghcr.io/nais/fasit/naisd:0.1.0');
  });

  it('gives naisd a configuration its loader accepts: tenant, environment, agent key from the Secret, a real cluster', () => {
    const objects = render(NAISD_CHART, [IN_CLUSTER], NS);
    const c = container(objects);
    expect(c.env?.find((e) => e.name === 'FASIT_AGENT_KEY')?.valueFrom?.secretKeyRef).toEqual({
      name: 'naisd-agent-key',
      key: 'FASIT_AGENT_KEY',
      optional: false,
    });
    const config = loadNaisdConfig(containerEnv(objects, c, EXISTING));
    expect(config).toMatchObject({
      tenant: 'acme',
      environment: 'prod-gcp',
      agentKey: AGENT_KEY,
      agentVersion: '0.1.0',
      busKind: 'pubsub',
      busCreateTopics: false,
      pubsubProjectId: 'fasit-prod-4711',
      helmBin: '/usr/local/bin/helm',
      namespace: 'nais-system',
      httpHost: '0.0.0.0',
    });
    expect(config.kubeconfig).toBe('/etc/naisd/kubeconfig/config');
    // Its self-upgrade Job runs the image and the service account this naisd runs with.
    expect([config.image, config.serviceAccount]).toEqual([c.image, agent(objects).spec.template.spec.serviceAccountName]);
    expect(config.image).toBe('ghcr.io/nais/fasit/naisd:0.1.0');
    expect(() => containerEnv(objects, c, {})).toThrow(/FASIT_AGENT_KEY needs key FASIT_AGENT_KEY of Secret naisd-agent-key/);
  });

  it('exports traces to the collector tracing.otlpEndpoint names when tracing.exporter is otlp, off otherwise', () => {
    const configOf = (values: Values[]) => {
      const objects = render(NAISD_CHART, values, NS);
      return loadNaisdConfig(containerEnv(objects, container(objects), EXISTING));
    };
    expect(configOf([IN_CLUSTER])).toMatchObject({ tracing: 'off', otlpEndpoint: undefined });
    expect(configOf([IN_CLUSTER, { tracing: { exporter: 'otlp', otlpEndpoint: 'http://otel-collector.monitoring:4318' } }])).toMatchObject({
      tracing: 'otlp',
      otlpEndpoint: 'http://otel-collector.monitoring:4318',
    });
    const missing = template(NAISD_CHART, [IN_CLUSTER, { tracing: { exporter: 'otlp', otlpEndpoint: '' } }], NS);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('tracing.otlpEndpoint: required when tracing.exporter is otlp');
  });

  it('in-cluster: mounts a kubeconfig that authenticates with the pod service-account token, which is mounted', () => {
    const objects = render(NAISD_CHART, [IN_CLUSTER], NS);
    const pod = agent(objects).spec.template.spec;
    const c = container(objects);
    const path = loadNaisdConfig(containerEnv(objects, c, EXISTING)).kubeconfig ?? '';
    const mount = c.volumeMounts?.find((m) => path.startsWith(`${m.mountPath}/`));
    const volume = pod.volumes?.find((v) => v.name === mount?.name);
    const cm = one<{ data: Record<string, string> }>(objects, 'ConfigMap', volume?.configMap?.name ?? '(none)');
    const kubeconfig = yaml.load(cm.data[path.slice((mount?.mountPath.length ?? 0) + 1)] ?? '') as {
      clusters: { cluster: { server: string; 'certificate-authority': string } }[];
      users: { user: { tokenFile: string } }[];
      'current-context': string;
    };
    expect(kubeconfig.clusters[0]?.cluster.server).toBe('https://kubernetes.default.svc');
    expect(kubeconfig.clusters[0]?.cluster['certificate-authority']).toBe('/var/run/secrets/kubernetes.io/serviceaccount/ca.crt');
    expect(kubeconfig.users[0]?.user.tokenFile).toBe('/var/run/secrets/kubernetes.io/serviceaccount/token');
    expect(kubeconfig['current-context']).toBe('in-cluster');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.serviceAccountName).toBe('naisd');
  });

  it('binds its service account to cluster-admin by default, since it installs arbitrary charts', () => {
    const objects = render(NAISD_CHART, [IN_CLUSTER], NS);
    expect(one(objects, 'ServiceAccount', 'naisd').metadata.namespace).toBe('nais-system');
    const binding = one<{ roleRef: { kind: string; name: string }; subjects: { kind: string; name: string; namespace: string }[] }>(
      objects,
      'ClusterRoleBinding',
      'naisd',
    );
    expect(binding.roleRef).toMatchObject({ kind: 'ClusterRole', name: 'cluster-admin' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'naisd', namespace: 'nais-system' }]);
    expect(byKind(objects, 'ClusterRole')).toHaveLength(0);
  });

  it('with clusterAdmin off, binds to its own ClusterRole with the given rules, and refuses no rules at all', () => {
    const rules = [{ apiGroups: ['', 'apps'], resources: ['*'], verbs: ['*'] }];
    const objects = render(NAISD_CHART, [IN_CLUSTER, { rbac: { clusterAdmin: false, rules } }], NS);
    expect(one<{ rules: unknown }>(objects, 'ClusterRole', 'naisd').rules).toEqual(rules);
    expect(one<{ roleRef: { name: string } }>(objects, 'ClusterRoleBinding', 'naisd').roleRef.name).toBe('naisd');
    const none = template(NAISD_CHART, [IN_CLUSTER, { rbac: { clusterAdmin: false } }], NS);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('rbac.rules: required');
  });

  it("grants exactly what the self-upgrade Job needs, in its own namespace only: Jobs, the values Secret, its pod's log", () => {
    type Role = K8sObject & { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };
    type Binding = K8sObject & { roleRef: { kind: string; name: string }; subjects: { kind: string; name: string; namespace: string }[] };
    for (const rbac of [{}, { rbac: { clusterAdmin: false, rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] }] } }]) {
      const objects = render(NAISD_CHART, [IN_CLUSTER, rbac], NS);
      const role = one<Role>(objects, 'Role', 'naisd-self-upgrade');
      expect(role.metadata.namespace).toBe('nais-system');
      expect(role.rules).toEqual([
        { apiGroups: ['batch'], resources: ['jobs'], verbs: ['create', 'get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
        { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      ]);
      const binding = one<Binding>(objects, 'RoleBinding', 'naisd-self-upgrade');
      expect(binding.metadata.namespace).toBe('nais-system');
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'naisd-self-upgrade' });
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'naisd', namespace: 'nais-system' }]);
    }
    const none = render(NAISD_CHART, [IN_CLUSTER, { rbac: { create: false } }], NS);
    expect(byKind(none, 'Role')).toHaveLength(0);
    expect(byKind(none, 'RoleBinding')).toHaveLength(0);
  });

  it('dry-run mode: no kubeconfig and no service-account token (naisd runs helm --dry-run=client)', () => {
    const objects = render(NAISD_CHART, [IN_CLUSTER, { cluster: { mode: 'dry-run' } }], NS);
    const config = loadNaisdConfig(containerEnv(objects, container(objects), EXISTING));
    expect(config.kubeconfig).toBeUndefined();
    expect(agent(objects).spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(byKind(objects, 'ConfigMap').map((c) => c.metadata.name)).toEqual(['naisd']);
  });

  it('kubeconfig mode: another cluster, through a kubeconfig in a Secret', () => {
    const objects = render(
      NAISD_CHART,
      [IN_CLUSTER, { cluster: { mode: 'kubeconfig', kubeconfigSecret: { name: 'prod-kubeconfig', key: 'admin.conf' } } }],
      NS,
    );
    const c = container(objects);
    const pod = agent(objects).spec.template.spec;
    expect(loadNaisdConfig(containerEnv(objects, c, EXISTING)).kubeconfig).toBe('/etc/naisd/kubeconfig/admin.conf');
    const mount = c.volumeMounts?.find((m) => m.mountPath === '/etc/naisd/kubeconfig');
    expect(pod.volumes?.find((v) => v.name === mount?.name)?.secret?.secretName).toBe('prod-kubeconfig');
    expect(template(NAISD_CHART, [IN_CLUSTER, { cluster: { mode: 'kubeconfig' } }], NS).stderr).toContain('cluster.kubeconfigSecret.name: required');
  });

  it('creates the agent key Secret when asked, and the key documented in the README is the one the dispatcher derives', () => {
    // README: printf 'fasit-agent:%s/%s' <tenant> <environment> | openssl dgst -sha256 -hmac "$FASIT_AGENT_KEY_SECRET"
    const documented = execFileSync('sh', ['-c', `printf 'fasit-agent:%s/%s' acme prod-gcp | openssl dgst -sha256 -hmac agent-secret | sed 's/^.*= //'`], {
      encoding: 'utf8',
    }).trim();
    expect(documented).toBe(AGENT_KEY);
    const objects = render(NAISD_CHART, [IN_CLUSTER, { agentKey: { create: true, value: documented } }], NS);
    const secret = one<{ stringData: Record<string, string> }>(objects, 'Secret', 'naisd-agent-key');
    expect(secret.stringData['FASIT_AGENT_KEY']).toBe(AGENT_KEY);
    expect(loadNaisdConfig(containerEnv(objects, container(objects))).agentKey).toBe(AGENT_KEY);
  });

  it('annotates its service account for GKE Workload Identity (Pub/Sub access)', () => {
    const objects = render(NAISD_CHART, [IN_CLUSTER], NS);
    expect(one(objects, 'ServiceAccount', 'naisd').metadata.annotations?.['iam.gke.io/gcp-service-account']).toBe(
      'naisd-acme-prod@fasit-prod-4711.iam.gserviceaccount.com',
    );
  });
});
