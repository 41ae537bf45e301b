export { decodeHelmRelease, startFakeKubernetes } from './fake-kubernetes.js';
export type { FakeKubernetes, FakeKubernetesOptions, Json, JsonObject, ResourceType, ServedRequest, StoredHelmRelease } from './fake-kubernetes.js';
export { DEFAULT_RESOURCES } from './resources.js';
