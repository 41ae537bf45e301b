// The resource types the fake Kubernetes API serves: what discovery announces and what CRUD accepts. Enough for
// helm to install the charts of this repository and of the usual operators; a test can add more (e.g. a CRD's).

export interface ResourceType {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural, lower case: the path segment (`configmaps`). */
  resource: string;
  kind: string;
  namespaced: boolean;
}

const core = (resource: string, kind: string, namespaced = true): ResourceType => ({ group: '', version: 'v1', resource, kind, namespaced });
const of =
  (group: string, version: string) =>
  (resource: string, kind: string, namespaced = true): ResourceType => ({ group, version, resource, kind, namespaced });

export const DEFAULT_RESOURCES: readonly ResourceType[] = [
  core('namespaces', 'Namespace', false),
  core('configmaps', 'ConfigMap'),
  core('secrets', 'Secret'),
  core('services', 'Service'),
  core('serviceaccounts', 'ServiceAccount'),
  core('pods', 'Pod'),
  core('events', 'Event'),
  core('endpoints', 'Endpoints'),
  core('persistentvolumeclaims', 'PersistentVolumeClaim'),
  core('persistentvolumes', 'PersistentVolume', false),
  core('resourcequotas', 'ResourceQuota'),
  core('limitranges', 'LimitRange'),
  core('nodes', 'Node', false),
  ...['deployments:Deployment', 'statefulsets:StatefulSet', 'daemonsets:DaemonSet', 'replicasets:ReplicaSet'].map((s) => of('apps', 'v1')(...pair(s))),
  of('batch', 'v1')('jobs', 'Job'),
  of('batch', 'v1')('cronjobs', 'CronJob'),
  of('rbac.authorization.k8s.io', 'v1')('roles', 'Role'),
  of('rbac.authorization.k8s.io', 'v1')('rolebindings', 'RoleBinding'),
  of('rbac.authorization.k8s.io', 'v1')('clusterroles', 'ClusterRole', false),
  of('rbac.authorization.k8s.io', 'v1')('clusterrolebindings', 'ClusterRoleBinding', false),
  of('networking.k8s.io', 'v1')('ingresses', 'Ingress'),
  of('networking.k8s.io', 'v1')('networkpolicies', 'NetworkPolicy'),
  of('policy', 'v1')('poddisruptionbudgets', 'PodDisruptionBudget'),
  of('autoscaling', 'v2')('horizontalpodautoscalers', 'HorizontalPodAutoscaler'),
  of('coordination.k8s.io', 'v1')('leases', 'Lease'),
  of('scheduling.k8s.io', 'v1')('priorityclasses', 'PriorityClass', false),
  of('storage.k8s.io', 'v1')('storageclasses', 'StorageClass', false),
  of('apiextensions.k8s.io', 'v1')('customresourcedefinitions', 'CustomResourceDefinition', false),
  of('admissionregistration.k8s.io', 'v1')('validatingwebhookconfigurations', 'ValidatingWebhookConfiguration', false),
  of('admissionregistration.k8s.io', 'v1')('mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', false),
];

function pair(s: string): [string, string] {
  const [resource = '', kind = ''] = s.split(':');
  return [resource, kind];
}

/** `v1` or `apps/v1`. */
export function groupVersionOf(t: Pick<ResourceType, 'group' | 'version'>): string {
  return t.group === '' ? t.version : `${t.group}/${t.version}`;
}
