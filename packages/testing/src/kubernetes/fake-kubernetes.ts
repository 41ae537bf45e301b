// A fake Kubernetes API server for tests: discovery, generic CRUD of any resource type it knows (get, list with
// label and field selectors, create, replace, patch in every flavour helm uses, delete, delete collection, the
// status subresource) and watches. Enough for helm 4 to install, upgrade, roll back, uninstall, list and show
// history with its default release storage (Secrets in this API) and `--disable-openapi-validation`.
//
// It VALIDATES NOTHING A REAL CLUSTER WOULD: no schemas, no admission, no controllers (a Deployment never becomes
// available and a Job never completes unless the test says so with `setStatus` or `readiness: 'immediate'`),
// no RBAC, no garbage collection by owner references, no managed fields. Name tests that use it for what they are.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { load as loadYaml } from 'js-yaml';
import { PatchError, isObject, jsonPatch, mergePatch, serverSideApply, strategicMergePatch, type Json, type JsonObject } from './patches.js';
import { ProtobufError, decodeKubernetesProtobuf, isKubernetesProtobuf } from './protobuf.js';
import { DEFAULT_RESOURCES, groupVersionOf, type ResourceType } from './resources.js';
import { SelectorError, matches, parseSelector, type Requirement } from './selectors.js';

export type { Json, JsonObject } from './patches.js';
export type { ResourceType } from './resources.js';

export interface FakeKubernetesOptions {
  /** Port on 127.0.0.1 (default: any free one). */
  port?: number;
  /** Resource types served besides DEFAULT_RESOURCES (a CRD's kinds, for instance). */
  resources?: readonly ResourceType[];
  /**
   * What stands in for the controllers: 'never' (default) leaves every status as written, so a Deployment is never
   * ready and a Job never completes (helm's `--wait` and hook Jobs block until their timeout); 'immediate' marks
   * Deployments, StatefulSets, DaemonSets and ReplicaSets available and Jobs complete as soon as they are written.
   */
  readiness?: 'never' | 'immediate';
  /** The version `/version` reports (default 1.35.0). */
  kubernetesVersion?: string;
}

export interface ServedRequest {
  method: string;
  /** Path and query, as requested. */
  url: string;
  status: number;
}

/** A helm release as helm's Secret driver stores it, decoded. */
export interface StoredHelmRelease {
  name: string;
  namespace: string;
  revision: number;
  /** `deployed`, `superseded`, `failed`, `pending-install`, `pending-upgrade`, `pending-rollback`, `uninstalling`... */
  status: string;
  description: string;
  chartName: string;
  chartVersion: string;
  /** The labels given with `--labels` (the Secret's labels minus helm's own). */
  labels: Record<string, string>;
  /** The values the release was installed with (helm's `config`). */
  values: JsonObject;
  manifest: string;
}

export interface FakeKubernetes {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** A kubeconfig file (mode 0600) whose current context points at this server. */
  readonly kubeconfig: string;
  /** Every request served, in order (bounded to the last 10,000). */
  readonly requests: readonly ServedRequest[];
  /** The objects of a resource type, by plural name (`configmaps`) or `plural.group` (`deployments.apps`). */
  list(resource: string, namespace?: string): JsonObject[];
  get(resource: string, namespace: string | undefined, name: string): JsonObject | undefined;
  /** Replaces an object's status, as a controller would (a Job completes, a Deployment becomes available). */
  setStatus(resource: string, namespace: string | undefined, name: string, status: JsonObject): void;
  /** What `GET …/pods/<name>/log` answers (text/plain), as a kubelet would serve a container's output; empty until set. */
  setPodLog(namespace: string, name: string, text: string): void;
  /** The helm releases stored as Secrets (helm's default driver), every revision, oldest first. */
  helmReleases(namespace?: string): StoredHelmRelease[];
  stop(): Promise<void>;
}

const HELM_SYSTEM_LABELS = new Set(['name', 'owner', 'status', 'version', 'createdAt', 'modifiedAt']);
const MAX_EVENTS = 10_000;
const MAX_BODY_BYTES = 16 * 1024 * 1024;

interface WatchEvent {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: ResourceType;
  object: JsonObject;
}

interface Watcher {
  resource: ResourceType;
  namespace: string | undefined;
  labels: Requirement[];
  fields: Requirement[];
  send(e: WatchEvent): void;
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: JsonObject,
  ) {
    super(message);
  }
}

const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function startFakeKubernetes(options: FakeKubernetesOptions = {}): Promise<FakeKubernetes> {
  const types = [...DEFAULT_RESOURCES, ...(options.resources ?? [])];
  const objects = new Map<string, { type: ResourceType; object: JsonObject }>();
  const applied = new Map<string, Json>();
  const events: WatchEvent[] = [];
  const watchers = new Set<Watcher>();
  const requests: ServedRequest[] = [];
  const podLogs = new Map<string, string>();
  const open = new Set<ServerResponse>();
  let rv = 1;

  const keyOf = (t: ResourceType, ns: string | undefined, name: string) => `${groupVersionOf(t)}|${t.resource}|${ns ?? ''}|${name}`;
  const typeByName = (name: string): ResourceType => {
    const t = types.find((x) => x.resource === name || `${x.resource}.${x.group}` === name);
    if (!t) throw new Error(`the fake Kubernetes API does not serve ${name}`);
    return t;
  };
  const emit = (type: WatchEvent['type'], resource: ResourceType, object: JsonObject) => {
    const e: WatchEvent = { rv, type, resource, object: structuredClone(object) };
    events.push(e);
    if (events.length > MAX_EVENTS) events.shift();
    for (const w of watchers) if (w.resource === resource && watchMatches(w, object)) w.send(e);
  };
  const nsExists = (ns: string) => objects.has(keyOf(typeByName('namespaces'), undefined, ns));

  const put = (t: ResourceType, ns: string | undefined, object: JsonObject, dryRun: boolean, created: boolean): JsonObject => {
    const meta = metadataOf(object);
    const name = str(meta['name']);
    const key = keyOf(t, ns, name);
    const old = objects.get(key)?.object;
    if (old && specChanged(old, object)) meta['generation'] = Number(metadataOf(old)['generation'] ?? 1) + 1;
    if (options.readiness === 'immediate') simulateReady(t, object);
    if (dryRun) return object;
    rv++;
    meta['resourceVersion'] = String(rv);
    objects.set(key, { type: t, object });
    emit(created ? 'ADDED' : 'MODIFIED', t, object);
    return object;
  };

  const remove = (t: ResourceType, ns: string | undefined, name: string): JsonObject => {
    const key = keyOf(t, ns, name);
    const entry = objects.get(key);
    if (!entry) throw notFound(t, name);
    objects.delete(key);
    for (const k of applied.keys()) if (k.startsWith(`${key}|`)) applied.delete(k);
    rv++;
    emit('DELETED', t, entry.object);
    if (t.resource === 'namespaces') {
      // No finalizers here: a namespace goes at once, with everything in it.
      for (const v of [...objects.values()]) if (metadataOf(v.object)['namespace'] === name) remove(v.type, name, str(metadataOf(v.object)['name']));
    }
    return entry.object;
  };

  for (const ns of ['default', 'kube-system']) {
    put(
      typeByName('namespaces'),
      undefined,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, uid: randomUUID(), creationTimestamp: now() }, status: { phase: 'Active' } },
      false,
      true,
    );
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    if (method === 'GET') {
      const discovery = discover(path, types, options.kubernetesVersion ?? '1.35.0') ?? openApiV3(path, types);
      if (discovery !== undefined) return send(res, 200, discovery);
    }
    const route = routeOf(path, types);
    if (!route) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    const { type: t, namespace: ns, name, subresource } = route;
    const q = url.searchParams;
    const dryRun = q.has('dryRun');
    if (name === undefined) {
      const labels = parseQuerySelector(q.get('labelSelector'));
      const fields = parseQuerySelector(q.get('fieldSelector'));
      const inScope = () =>
        [...objects.values()]
          .filter((e) => e.type === t && (ns === undefined || metadataOf(e.object)['namespace'] === ns) && selects(e.object, labels, fields))
          .map((e) => e.object);
      switch (method) {
        case 'GET':
          if (q.get('watch') === 'true' || q.get('watch') === '1')
            return watch(req, res, { resource: t, namespace: ns, labels, fields, send: () => undefined }, q, inScope);
          return send(res, 200, listOf(t, inScope(), rv));
        case 'POST': {
          const body = await readObject(req);
          const meta = metadataOf(body);
          if (typeof meta['name'] !== 'string' || meta['name'] === '') {
            if (typeof meta['generateName'] === 'string') meta['name'] = `${meta['generateName']}${randomUUID().slice(0, 5)}`;
            else throw new ApiError(422, 'Invalid', `${t.kind} is invalid: metadata.name: Required value: name or generateName is required`);
          }
          const objName = str(meta['name']);
          if (t.namespaced) {
            if (ns === undefined) throw new ApiError(405, 'MethodNotAllowed', `create of a namespaced ${t.kind} needs a namespace in the path`);
            if (!nsExists(ns)) throw new ApiError(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
            meta['namespace'] = ns;
          }
          if (objects.has(keyOf(t, ns, objName)))
            throw new ApiError(409, 'AlreadyExists', `${t.resource} "${objName}" already exists`, { name: objName, kind: t.resource });
          stamp(t, body);
          return send(res, 201, put(t, ns, body, dryRun, true));
        }
        case 'DELETE': {
          const gone = inScope();
          if (!dryRun) for (const o of gone) remove(t, ns ?? (metadataOf(o)['namespace'] as string | undefined), str(metadataOf(o)['name']));
          return send(res, 200, listOf(t, gone, rv));
        }
        default:
          throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed on a collection`);
      }
    }
    const key = keyOf(t, ns, name);
    const existing = objects.get(key)?.object;
    if (subresource === 'log' && t.resource === 'pods' && method === 'GET') {
      if (!existing) throw notFound(t, name);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(podLogs.get(key) ?? '');
      return 200;
    }
    switch (method) {
      case 'GET':
        if (!existing) throw notFound(t, name);
        return send(res, 200, existing);
      case 'DELETE':
        if (!existing) throw notFound(t, name);
        if (!dryRun) remove(t, ns, name);
        return send(res, 200, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: { name, kind: t.resource, uid: metadataOf(existing)['uid'] ?? '' },
        });
      case 'PUT': {
        const body = await readObject(req);
        if (!existing) throw notFound(t, name);
        checkName(body, name, t);
        const given = metadataOf(body)['resourceVersion'];
        if (typeof given === 'string' && given !== '' && given !== metadataOf(existing)['resourceVersion']) {
          throw new ApiError(
            409,
            'Conflict',
            `Operation cannot be fulfilled on ${t.resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
            { name, kind: t.resource },
          );
        }
        const next = subresource === 'status' ? { ...structuredClone(existing), status: body['status'] ?? null } : keepSystemMetadata(existing, body, t, ns);
        return send(res, 200, put(t, ns, next, dryRun, false));
      }
      case 'PATCH': {
        const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
        const raw = await readBody(req);
        let patch: Json;
        try {
          patch = (contentType === 'application/apply-patch+yaml' ? loadYaml(raw) : JSON.parse(raw)) as Json;
        } catch (e) {
          throw new ApiError(
            400,
            'BadRequest',
            `the patch body is not ${contentType === 'application/apply-patch+yaml' ? 'YAML' : 'JSON'}: ${(e as Error).message}`,
          );
        }
        const manager = q.get('fieldManager') ?? '';
        let next: Json;
        try {
          switch (contentType) {
            case 'application/merge-patch+json':
              if (!existing) throw notFound(t, name);
              next = mergePatch(existing, patch);
              break;
            case 'application/strategic-merge-patch+json':
              if (!existing) throw notFound(t, name);
              next = strategicMergePatch(existing, patch);
              break;
            case 'application/json-patch+json':
              if (!existing) throw notFound(t, name);
              next = jsonPatch(existing, patch);
              break;
            case 'application/apply-patch+yaml': {
              if (!isObject(patch)) throw new PatchError('an apply patch is an object');
              checkName(patch, name, t);
              if (!existing && t.namespaced && ns !== undefined && !nsExists(ns))
                throw new ApiError(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
              next = serverSideApply(existing, patch, applied.get(`${key}|${manager}`));
              if (!dryRun) applied.set(`${key}|${manager}`, structuredClone(patch));
              break;
            }
            default:
              throw new ApiError(
                415,
                'UnsupportedMediaType',
                `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
              );
          }
        } catch (e) {
          if (e instanceof PatchError) throw new ApiError(422, 'Invalid', e.message);
          throw e;
        }
        if (!isObject(next)) throw new ApiError(422, 'Invalid', 'the patched object is not an object');
        if (subresource === 'status' && existing) next = { ...structuredClone(existing), status: next['status'] ?? null };
        if (!existing) {
          metadataOf(next)['name'] = name;
          if (t.namespaced) metadataOf(next)['namespace'] = ns ?? 'default';
          stamp(t, next);
          return send(res, 201, put(t, ns, next, dryRun, true));
        }
        return send(res, 200, put(t, ns, keepSystemMetadata(existing, next, t, ns), dryRun, false));
      }
      default:
        throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed on an object`);
    }
  };

  const watch = (req: IncomingMessage, res: ServerResponse, w: Watcher, q: URLSearchParams, current: () => JsonObject[]): number => {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    // As an API server does: the answer starts at once, not with the first event (a client waiting for the headers
    // of a quiet watch, as @kubernetes/client-node does, would otherwise wait until it times out).
    res.flushHeaders();
    open.add(res);
    const line = (type: string, object: JsonObject) => res.write(`${JSON.stringify({ type, object })}\n`);
    const since = Number(q.get('resourceVersion') ?? '0');
    if (q.get('sendInitialEvents') === 'true') {
      for (const o of current()) line('ADDED', o);
      line('BOOKMARK', {
        kind: w.resource.kind,
        apiVersion: groupVersionOf(w.resource),
        metadata: { resourceVersion: String(rv), annotations: { 'k8s.io/initial-events-end': 'true' } },
      });
    } else if (since > 0) {
      const oldest = events[0]?.rv ?? rv;
      if (since < oldest - 1) {
        line('ERROR', {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `too old resource version: ${since} (${oldest})`,
          reason: 'Expired',
          code: 410,
        });
        res.end();
        open.delete(res);
        return 200;
      }
      for (const e of events) if (e.rv > since && e.resource === w.resource && watchMatches(w, e.object)) line(e.type, e.object);
    }
    const watcher: Watcher = { ...w, send: (e) => line(e.type, e.object) };
    watchers.add(watcher);
    const timeout = setTimeout(() => res.end(), Math.min(Number(q.get('timeoutSeconds') ?? '300') || 300, 1800) * 1000);
    const done = () => {
      clearTimeout(timeout);
      watchers.delete(watcher);
      open.delete(res);
    };
    req.on('close', done);
    res.on('close', done);
    return 200;
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).then(
      (status) => log(status),
      (e: unknown) => {
        const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', e instanceof Error ? e.message : String(e));
        log(
          send(res, err.code, {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: err.message,
            reason: err.reason,
            ...(err.details ? { details: err.details } : {}),
            code: err.code,
          }),
        );
      },
    );
    const log = (status: number) => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', status });
      if (requests.length > MAX_EVENTS) requests.shift();
    };
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  const dir = await mkdtemp(join(tmpdir(), 'fasit-fake-kube-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      // Plain HTTP, so there is no certificate to verify; @kubernetes/client-node (naisd's event watch) refuses an
      // http server unless the kubeconfig says so. helm and kubectl do not mind either way.
      `- name: fake\n  cluster:\n    server: ${url}\n    insecure-skip-tls-verify: true`,
      'contexts:',
      '- name: fake\n  context:\n    cluster: fake\n    user: fake\n    namespace: default',
      'current-context: fake',
      'users:',
      '- name: fake\n  user:\n    token: fake',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );

  return {
    url,
    kubeconfig,
    requests,
    list: (resource, namespace) =>
      [...objects.values()]
        .filter((e) => e.type === typeByName(resource) && (namespace === undefined || metadataOf(e.object)['namespace'] === namespace))
        .map((e) => structuredClone(e.object)),
    get: (resource, namespace, name) => {
      const o = objects.get(keyOf(typeByName(resource), namespace, name))?.object;
      return o === undefined ? undefined : structuredClone(o);
    },
    setStatus: (resource, namespace, name, status) => {
      const t = typeByName(resource);
      const o = objects.get(keyOf(t, namespace, name))?.object;
      if (!o) throw new Error(`no ${resource} ${namespace ?? ''}/${name}`);
      put(t, namespace, { ...structuredClone(o), status }, false, false);
    },
    setPodLog: (namespace, name, text) => {
      podLogs.set(keyOf(typeByName('pods'), namespace, name), text);
    },
    helmReleases: (namespace) =>
      [...objects.values()]
        .filter(
          (e) =>
            e.type.resource === 'secrets' &&
            e.object['type'] === 'helm.sh/release.v1' &&
            (namespace === undefined || metadataOf(e.object)['namespace'] === namespace),
        )
        .map((e) => decodeHelmRelease(e.object))
        .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name) || a.revision - b.revision),
    stop: async () => {
      for (const r of open) r.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Decodes a Secret written by helm's Secret driver (base64 of gzipped JSON, inside the Secret's base64). */
export function decodeHelmRelease(secret: JsonObject): StoredHelmRelease {
  const meta = metadataOf(secret);
  const data = isObject(secret['data']) ? secret['data'] : {};
  const encoded = Buffer.from(str(data['release']), 'base64').toString('utf8');
  const bytes = Buffer.from(encoded, 'base64');
  const json = JSON.parse((bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8')) as JsonObject;
  const info = isObject(json['info']) ? json['info'] : {};
  const chart = isObject(json['chart']) && isObject(json['chart']['metadata']) ? json['chart']['metadata'] : {};
  const labels = isObject(meta['labels']) ? (meta['labels'] as Record<string, string>) : {};
  return {
    name: str(json['name']),
    namespace: str(json['namespace'] ?? meta['namespace']),
    revision: Number(json['version'] ?? 0),
    status: str(info['status']),
    description: str(info['description']),
    chartName: str(chart['name']),
    chartVersion: str(chart['version']),
    labels: Object.fromEntries(Object.entries(labels).filter(([k]) => !HELM_SYSTEM_LABELS.has(k))),
    values: isObject(json['config']) ? json['config'] : {},
    manifest: str(json['manifest']),
  };
}

function discover(path: string, types: readonly ResourceType[], version: string): JsonObject | undefined {
  const groups = [...new Set(types.filter((t) => t.group !== '').map((t) => groupVersionOf(t)))];
  if (path === '/version') {
    const [major = '1', minor = '0'] = version.split('.');
    return {
      major,
      minor,
      gitVersion: `v${version}`,
      gitCommit: 'fake',
      gitTreeState: 'clean',
      buildDate: '2026-01-01T00:00:00Z',
      goVersion: 'go1.25',
      compiler: 'gc',
      platform: 'linux/amd64',
    };
  }
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  if (path === '/apis') {
    const byGroup = new Map<string, string[]>();
    for (const gv of groups) {
      const [g = '', v = ''] = gv.split('/');
      byGroup.set(g, [...(byGroup.get(g) ?? []), v]);
    }
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...byGroup].map(([name, versions]) => ({
        name,
        versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${name}/${versions[0] ?? ''}`, version: versions[0] ?? '' },
      })),
    };
  }
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (!m) return undefined;
  const group = m[2] ?? '';
  const v = m[1] ?? m[3] ?? '';
  const served = types.filter((t) => t.group === group && t.version === v);
  if (served.length === 0) return undefined;
  const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? v : `${group}/${v}`,
    resources: served.flatMap((t) => [
      { name: t.resource, singularName: t.kind.toLowerCase(), namespaced: t.namespaced, kind: t.kind, verbs },
      { name: `${t.resource}/status`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get', 'patch', 'update'] },
    ]),
  };
}

/**
 * Just enough OpenAPI v3 for kubectl's validator (which helm uses) to see that the server validates fields
 * itself (`fieldValidation` on every PATCH), so it skips client-side schema validation: the root lists one
 * document per group-version, each with a PATCH operation per kind. No schemas: nothing is validated.
 */
function openApiV3(path: string, types: readonly ResourceType[]): JsonObject | undefined {
  const prefix = (t: ResourceType) => (t.group === '' ? `api/${t.version}` : `apis/${t.group}/${t.version}`);
  if (path === '/openapi/v3') {
    return { paths: Object.fromEntries([...new Set(types.map(prefix))].map((p) => [p, { serverRelativeURL: `/openapi/v3/${p}?hash=fake` }])) };
  }
  const served = types.filter((t) => path === `/openapi/v3/${prefix(t)}`);
  if (served.length === 0) return undefined;
  const paths: JsonObject = {};
  for (const t of served) {
    const item = `/${prefix(t)}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.resource}/{name}`;
    paths[item] = {
      patch: {
        'x-kubernetes-group-version-kind': { group: t.group, version: t.version, kind: t.kind },
        parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes (fake)', version: 'fake' }, paths, components: { schemas: {} } };
}

interface Route {
  type: ResourceType;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

function routeOf(path: string, types: readonly ResourceType[]): Route | undefined {
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.+)$/.exec(path);
  if (!m) return undefined;
  const group = m[2] ?? '';
  const version = m[1] ?? m[3] ?? '';
  let parts = (m[4] ?? '').split('/').map(decodeURIComponent);
  if (parts[0] === 'watch') parts = parts.slice(1);
  const find = (resource: string | undefined) => types.find((t) => t.group === group && t.version === version && t.resource === resource);
  let namespace: string | undefined;
  // namespaces/<ns>/<resource>/... is a namespaced resource; namespaces/<name>[/status] is the namespace itself.
  if (parts[0] === 'namespaces' && parts.length >= 3 && !(parts.length === 3 && (parts[2] === 'status' || parts[2] === 'finalize'))) {
    namespace = parts[1];
    parts = parts.slice(2);
  }
  const [resource, name, subresource, ...more] = parts;
  const type = find(resource);
  if (!type || more.length > 0 || (namespace !== undefined && !type.namespaced)) return undefined;
  if (name !== undefined && type.namespaced && namespace === undefined) return undefined;
  return { type, namespace, name, subresource };
}

function parseQuerySelector(s: string | null): Requirement[] {
  if (s === null || s === '') return [];
  try {
    return parseSelector(s);
  } catch (e) {
    if (e instanceof SelectorError) throw new ApiError(400, 'BadRequest', e.message);
    throw e;
  }
}

function selects(o: JsonObject, labels: readonly Requirement[], fields: readonly Requirement[]): boolean {
  const meta = metadataOf(o);
  const l = isObject(meta['labels']) ? (meta['labels'] as Record<string, string>) : {};
  const f: Record<string, string> = { 'metadata.name': str(meta['name']), 'metadata.namespace': str(meta['namespace']) };
  if (typeof o['type'] === 'string') f['type'] = o['type'];
  return matches(labels, l) && matches(fields, f);
}

function watchMatches(w: Watcher, o: JsonObject): boolean {
  return (w.namespace === undefined || metadataOf(o)['namespace'] === w.namespace) && selects(o, w.labels, w.fields);
}

/** A scalar as text; anything else (an object where a name should be) as ''. */
function str(v: Json | undefined): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

function metadataOf(o: JsonObject): JsonObject {
  if (!isObject(o['metadata'])) o['metadata'] = {};
  return o['metadata'];
}

function stamp(t: ResourceType, o: JsonObject): void {
  const meta = metadataOf(o);
  meta['uid'] = randomUUID();
  meta['creationTimestamp'] = now();
  meta['generation'] = 1;
  o['apiVersion'] = groupVersionOf(t);
  o['kind'] = t.kind;
  if (t.resource === 'namespaces') o['status'] = { phase: 'Active' };
}

/** A replaced or patched object keeps what the server owns: uid, creation time, generation, namespace, name. */
function keepSystemMetadata(existing: JsonObject, next: JsonObject, t: ResourceType, ns: string | undefined): JsonObject {
  const out = structuredClone(next);
  const meta = metadataOf(out);
  const old = metadataOf(existing);
  for (const k of ['uid', 'creationTimestamp', 'generation', 'name']) if (old[k] !== undefined) meta[k] = old[k];
  if (t.namespaced) meta['namespace'] = ns ?? null;
  out['apiVersion'] = groupVersionOf(t);
  out['kind'] = t.kind;
  return out;
}

function checkName(body: JsonObject, name: string, t: ResourceType): void {
  const given = metadataOf(body)['name'];
  if (given !== undefined && given !== name)
    throw new ApiError(400, 'BadRequest', `the name of the object (${str(given)}) does not match the name on the URL (${name})`, { name, kind: t.resource });
}

function specChanged(a: JsonObject, b: JsonObject): boolean {
  const strip = (o: JsonObject) => JSON.stringify({ ...o, metadata: null, status: null });
  return strip(a) !== strip(b);
}

function simulateReady(t: ResourceType, o: JsonObject): void {
  const generation = Number(metadataOf(o)['generation'] ?? 1);
  const spec = isObject(o['spec']) ? o['spec'] : {};
  const replicas = typeof spec['replicas'] === 'number' ? spec['replicas'] : 1;
  switch (t.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      o['status'] = {
        observedGeneration: generation,
        replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        updatedReplicas: replicas,
        currentReplicas: replicas,
        conditions:
          t.kind === 'Deployment'
            ? [
                { type: 'Available', status: 'True' },
                { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
              ]
            : [],
      };
      break;
    case 'DaemonSet':
      o['status'] = {
        observedGeneration: generation,
        desiredNumberScheduled: 1,
        currentNumberScheduled: 1,
        numberReady: 1,
        numberAvailable: 1,
        updatedNumberScheduled: 1,
      };
      break;
    case 'Job':
      o['status'] = { succeeded: 1, completionTime: now(), conditions: [{ type: 'Complete', status: 'True' }] };
      break;
  }
}

function notFound(t: ResourceType, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${t.resource}${t.group ? `.${t.group}` : ''} "${name}" not found`, { name, group: t.group, kind: t.resource });
}

function listOf(t: ResourceType, items: JsonObject[], resourceVersion: number): JsonObject {
  return { kind: `${t.kind}List`, apiVersion: groupVersionOf(t), metadata: { resourceVersion: String(resourceVersion) }, items };
}

function send(res: ServerResponse, status: number, body: JsonObject): number {
  if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
  return status;
}

async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBytes(req)).toString('utf8');
}

async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'RequestEntityTooLarge', 'request body too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readObject(req: IncomingMessage): Promise<JsonObject> {
  const bytes = await readBytes(req);
  if (isKubernetesProtobuf(bytes)) {
    try {
      return decodeKubernetesProtobuf(bytes);
    } catch (e) {
      if (e instanceof ProtobufError) throw new ApiError(415, 'UnsupportedMediaType', e.message);
      throw e;
    }
  }
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new ApiError(400, 'BadRequest', `the body is not JSON: ${(e as Error).message}`);
  }
  if (!isObject(body)) throw new ApiError(400, 'BadRequest', 'the body is not a JSON object');
  return body;
}
