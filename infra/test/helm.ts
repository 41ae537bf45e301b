// Runs the real helm binary (helm 4; `scripts/services.sh start` puts it on the PATH) on this repository's charts
// and resolves what a container would see: its environment from ConfigMaps and Secrets.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

export const FASIT_CHART = fileURLToPath(new URL('../helm/fasit', import.meta.url));
export const NAISD_CHART = fileURLToPath(new URL('../helm/naisd', import.meta.url));
export const EXAMPLES = fileURLToPath(new URL('../helm/examples', import.meta.url));

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function helm(args: string[]): HelmResult {
  const r = spawnSync('helm', args, { encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw new Error(`helm could not run (scripts/services.sh puts helm 4 on the PATH): ${r.error.message}`);
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A values file path, or values to write into one. */
export type Values = string | Record<string, unknown>;

const dir = mkdtempSync(join(tmpdir(), 'fasit-infra-test-'));
let n = 0;
function valuesArgs(values: readonly Values[]): string[] {
  return values.flatMap((v) => {
    if (typeof v === 'string') return ['-f', v];
    const file = join(dir, `values-${n++}.yaml`);
    writeFileSync(file, yaml.dump(v));
    return ['-f', file];
  });
}

export function lint(chart: string, ...values: Values[]): HelmResult {
  return helm(['lint', '--strict', chart, ...valuesArgs(values)]);
}

export function template(chart: string, values: readonly Values[], options: { release?: string; namespace?: string } = {}): HelmResult {
  return helm(['template', options.release ?? 'fasit', chart, '--namespace', options.namespace ?? 'fasit', ...valuesArgs(values)]);
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** `helm template`, parsed; throws with helm's message when it fails. */
export function render(chart: string, values: readonly Values[] = [], options: { release?: string; namespace?: string } = {}): K8sObject[] {
  const r = template(chart, values, options);
  if (r.code !== 0) throw new Error(`helm template failed:\n${r.stderr}`);
  return yaml.loadAll(r.stdout).filter((o): o is K8sObject => typeof o === 'object' && o !== null);
}

export function byKind<T = K8sObject>(objects: readonly K8sObject[], kind: string): (K8sObject & T)[] {
  return objects.filter((o) => o.kind === kind) as (K8sObject & T)[];
}

export function one<T = K8sObject>(objects: readonly K8sObject[], kind: string, name: string): K8sObject & T {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found as K8sObject & T;
}

// The parts of a Deployment the tests read.
export interface Probe {
  httpGet: { path: string; port: string | number };
  periodSeconds?: number;
  failureThreshold?: number;
}
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean }; configMapKeyRef?: { name: string; key: string } };
}
export interface Container {
  name: string;
  image: string;
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  env?: EnvVar[];
  ports?: { name: string; containerPort: number }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; runAsNonRoot?: boolean; capabilities?: { drop?: string[] } };
  volumeMounts?: { name: string; mountPath: string }[];
}
export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; runAsGroup?: number };
  containers: Container[];
  volumes?: { name: string; emptyDir?: unknown; configMap?: { name: string }; secret?: { secretName: string } }[];
}
export interface Deployment {
  spec: {
    replicas: number;
    strategy: { type: string; rollingUpdate?: { maxUnavailable?: number | string } };
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec };
  };
}

function stringDataOf(secret: K8sObject): Record<string, string> {
  const s = secret as K8sObject & { stringData?: Record<string, string>; data?: Record<string, string> };
  return { ...Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])), ...s.stringData };
}

/**
 * The environment of a container as Kubernetes would build it: envFrom ConfigMaps, then env entries (values,
 * ConfigMap and Secret keys). Secrets not rendered by the chart come from `existingSecrets` (what the operator
 * created); a required reference to a missing Secret or key throws, as the kubelet refuses to start the pod.
 */
export function containerEnv(
  objects: readonly K8sObject[],
  container: Container,
  existingSecrets: Record<string, Record<string, string>> = {},
): Record<string, string> {
  const configMap = (name: string): Record<string, string> => one<{ data?: Record<string, string> }>(objects, 'ConfigMap', name).data ?? {};
  const secret = (name: string): Record<string, string> | undefined => {
    const rendered = objects.find((o) => o.kind === 'Secret' && o.metadata.name === name);
    return rendered ? stringDataOf(rendered) : existingSecrets[name];
  };
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) Object.assign(env, configMap(from.configMapRef.name));
    if (from.secretRef) Object.assign(env, secret(from.secretRef.name) ?? {});
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    const ref = e.valueFrom?.secretKeyRef;
    if (ref) {
      const value = secret(ref.name)?.[ref.key];
      if (value !== undefined) env[e.name] = value;
      else if (!ref.optional) throw new Error(`${container.name}: ${e.name} needs key ${ref.key} of Secret ${ref.name}, which does not exist`);
    }
    const cmRef = e.valueFrom?.configMapKeyRef;
    if (cmRef) {
      const value = configMap(cmRef.name)[cmRef.key];
      if (value === undefined) throw new Error(`${container.name}: ${e.name} needs key ${cmRef.key} of ConfigMap ${cmRef.name}`);
      env[e.name] = value;
    }
  }
  return env;
}
