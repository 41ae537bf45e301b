// The fake Kubernetes API driven by the real helm 4 binary, with helm's default release storage (Secrets in the
// fake API). The fake API VALIDATES NOTHING A REAL CLUSTER WOULD (no schemas, no admission, no controllers):
// these tests show that helm's own operations work against it, not that a chart would install on a cluster.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { type FakeKubernetes, chartFixturePath, packageChart, runHelm, startFakeKubernetes } from '../src/index.js';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: 1
  selector: { matchLabels: { app: {{ .Release.Name }} } }
  template:
    metadata: { labels: { app: {{ .Release.Name }} } }
    spec:
      containers:
        - name: app
          image: registry.example.org/app:{{ .Values.image.tag }}
`;

function helmOn(kube: FakeKubernetes) {
  return (args: string[]) => runHelm([...args, '--kubeconfig', kube.kubeconfig], { env: process.env });
}

describe('fake Kubernetes API (validates nothing a real cluster would): helm 4 against it', () => {
  let kube: FakeKubernetes;
  let helm: (args: string[]) => Promise<string>;
  const chart = chartFixturePath('demo-feature');

  beforeAll(async () => {
    kube = await startFakeKubernetes();
    helm = helmOn(kube);
  });
  afterAll(() => kube.stop());

  it('installs, upgrades, lists, shows history, rolls back and uninstalls a release stored as Secrets', async () => {
    const install = ['upgrade', '--install', 'demo', chart, '-n', 'apps', '--create-namespace', '--disable-openapi-validation'];
    await helm([...install, '--set', 'auth.token=one', '--set', 'replicas=2', '--labels', 'fasit.dev/diid=d-1']);
    expect(kube.get('configmaps', 'apps', 'demo-demo')?.['data']).toMatchObject({ replicas: '2' });

    await helm([...install, '--set', 'auth.token=two', '--set', 'replicas=5']);
    expect(kube.get('configmaps', 'apps', 'demo-demo')?.['data']).toMatchObject({ replicas: '5' });
    expect(kube.get('secrets', 'apps', 'demo-demo')?.['data']).toMatchObject({ token: Buffer.from('two').toString('base64') });

    const history = JSON.parse(await helm(['history', 'demo', '-n', 'apps', '--output', 'json'])) as { revision: number; status: string }[];
    expect(history.map((h) => [h.revision, h.status])).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);

    await helm(['rollback', 'demo', '1', '-n', 'apps']);
    expect(kube.get('configmaps', 'apps', 'demo-demo')?.['data']).toMatchObject({ replicas: '2' });
    const listed = JSON.parse(await helm(['list', '--all-namespaces', '--output', 'json'])) as {
      name: string;
      namespace: string;
      revision: string;
      status: string;
    }[];
    expect(listed).toEqual([expect.objectContaining({ name: 'demo', namespace: 'apps', revision: '3', status: 'deployed' })]);

    expect(kube.helmReleases('apps').map((r) => [r.revision, r.status, r.values['replicas'], r.labels['fasit.dev/diid']])).toEqual([
      [1, 'superseded', 2, 'd-1'],
      [2, 'superseded', 5, 'd-1'], // helm merges an upgrade's labels into the previous release's
      [3, 'deployed', 2, 'd-1'],
    ]);

    await helm(['uninstall', 'demo', '-n', 'apps']);
    expect(kube.get('configmaps', 'apps', 'demo-demo')).toBeUndefined();
    expect(kube.helmReleases('apps')).toEqual([]);
    expect(JSON.parse(await helm(['list', '--all-namespaces', '--output', 'json']))).toEqual([]);
  });

  it('a failed upgrade is recorded as failed and the last deployed revision stays', async () => {
    await helm(['upgrade', '--install', 'keep', chart, '-n', 'apps', '--create-namespace', '--set', 'auth.token=a']);
    const broken = await packageChart('demo-feature', { name: 'demo-feature', files: { 'templates/fail.yaml': '{{ fail "no luck" }}' } });
    try {
      await expect(helm(['upgrade', 'keep', broken.archivePath, '-n', 'apps', '--set', 'auth.token=a'])).rejects.toThrow(/no luck/);
    } finally {
      await broken.cleanup();
    }
    expect(
      kube
        .helmReleases('apps')
        .filter((r) => r.name === 'keep')
        .map((r) => r.status),
    ).toEqual(['deployed']);
  });
});

describe('fake Kubernetes API (validates nothing a real cluster would): controllers stand-in', () => {
  it("with readiness 'never' helm's --wait times out on a Deployment; with 'immediate' it succeeds", async () => {
    const chart = await packageChart('demo-feature', { name: 'waits', files: { 'templates/deployment.yaml': DEPLOYMENT } });
    const never = await startFakeKubernetes();
    const immediate = await startFakeKubernetes({ readiness: 'immediate' });
    try {
      const args = [
        'upgrade',
        '--install',
        'waits',
        chart.archivePath,
        '-n',
        'default',
        '--wait=watcher',
        '--timeout',
        '2s',
        '--set',
        'auth.token=x',
        '--set',
        'image.tag=1',
      ];
      await expect(helmOn(never)(args)).rejects.toThrow(/context deadline exceeded|timed out|timeout/i);
      expect(never.helmReleases().map((r) => r.status)).toEqual(['failed']);
      await helmOn(immediate)(args);
      expect(immediate.helmReleases().map((r) => r.status)).toEqual(['deployed']);
      expect(immediate.get('deployments.apps', 'default', 'waits')?.['status']).toMatchObject({ availableReplicas: 1 });
    } finally {
      await Promise.all([never.stop(), immediate.stop(), chart.cleanup()]);
    }
  });

  it('a helm killed mid-upgrade leaves the release pending-upgrade, and a later upgrade is refused', async () => {
    const kube = await startFakeKubernetes();
    const chart = await packageChart('demo-feature', { name: 'killed', files: { 'templates/deployment.yaml': DEPLOYMENT } });
    try {
      const base = ['upgrade', '--install', 'killed', chart.archivePath, '-n', 'default', '--set', 'auth.token=x', '--kubeconfig', kube.kubeconfig];
      await runHelm([...base, '--set', 'image.tag=1']);
      const child = spawn('helm', [...base, '--set', 'image.tag=2', '--wait=watcher', '--timeout', '5m'], { stdio: 'ignore' });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await until(() => kube.helmReleases().some((r) => r.status === 'pending-upgrade'));
      child.kill('SIGKILL');
      await exited;
      expect(kube.helmReleases().map((r) => [r.revision, r.status])).toEqual([
        [1, 'deployed'],
        [2, 'pending-upgrade'],
      ]);
      await expect(runHelm([...base, '--set', 'image.tag=3'])).rejects.toThrow(/another operation \(install\/upgrade\/rollback\) is in progress/);
    } finally {
      await Promise.all([kube.stop(), chart.cleanup()]);
    }
  });
});

describe('fake Kubernetes API (validates nothing a real cluster would): hostile requests', () => {
  let kube: FakeKubernetes;
  beforeAll(async () => {
    kube = await startFakeKubernetes();
  });
  afterAll(() => kube.stop());

  const call = async (method: string, path: string, body?: string, contentType = 'application/json') => {
    const res = await fetch(`${kube.url}${path}`, { method, ...(body === undefined ? {} : { body, headers: { 'content-type': contentType } }) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it.each([
    ['a body that is not JSON', 'POST', '/api/v1/namespaces/default/configmaps', '{nope', 400, /the body is not JSON/],
    ['a body that is not an object', 'POST', '/api/v1/namespaces/default/configmaps', '[1]', 400, /the body is not a JSON object/],
    ['an object without a name', 'POST', '/api/v1/namespaces/default/configmaps', '{"metadata":{}}', 422, /metadata.name: Required value/],
    ['a namespace that does not exist', 'POST', '/api/v1/namespaces/nowhere/configmaps', '{"metadata":{"name":"a"}}', 404, /namespaces "nowhere" not found/],
    ['a name that differs from the URL', 'PUT', '/api/v1/namespaces/default/configmaps/x', '{"metadata":{"name":"y"}}', 404, /configmaps "x" not found/],
    ['an unknown resource', 'GET', '/apis/example.org/v1/widgets', undefined, 404, /could not find the requested resource/],
    ['a bad label selector', 'GET', '/api/v1/configmaps?labelSelector=a%20in%20b', undefined, 400, /unable to parse requirement/],
  ])('refuses %s with the status a client can read, changing nothing', async (_what, method, path, body, status, message) => {
    const before = kube.list('configmaps').length;
    const res = await call(method, path, body);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', code: status });
    expect(String(res.body['message'])).toMatch(message);
    expect(kube.list('configmaps')).toHaveLength(before);
  });

  it('refuses a JSON patch with an unknown operation (422) and a patch of an unknown media type (415)', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: 'p' }, data: { a: '1' } }));
    const bad = await call('PATCH', '/api/v1/namespaces/default/configmaps/p', '[{"op":"explode","path":"/data"}]', 'application/json-patch+json');
    expect([bad.status, bad.body['message']]).toEqual([422, 'unknown operation explode']);
    const unknown = await call('PATCH', '/api/v1/namespaces/default/configmaps/p', '{}', 'text/plain');
    expect(unknown.status).toBe(415);
    expect(kube.get('configmaps', 'default', 'p')?.['data']).toEqual({ a: '1' });
  });

  it('a watch answers at once, before any event, then streams what happens (as an API server does)', async () => {
    const ac = new AbortController();
    const started = Date.now();
    const res = await fetch(`${kube.url}/api/v1/namespaces/default/events?watch=true&resourceVersion=1`, {
      signal: ac.signal,
      headers: { authorization: 'Bearer fake' },
    });
    expect(res.status).toBe(200);
    // headers in well under a second, though nothing has happened yet
    expect(Date.now() - started).toBeLessThan(5000);
    const reader = res.body!.getReader();
    await call(
      'POST',
      '/api/v1/namespaces/default/events',
      JSON.stringify({ metadata: { name: 'e.1' }, type: 'Warning', reason: 'X', involvedObject: { kind: 'Pod', name: 'p' } }),
    );
    let text = '';
    while (!text.includes('\n')) text += new TextDecoder().decode((await reader.read()).value as Uint8Array | undefined);
    expect(JSON.parse(text.split('\n')[0]!)).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'e.1' }, type: 'Warning' } });
    ac.abort();
  });

  it("serves a pod's log as text where the test set it (a kubelet's stand-in), and 404 for a pod that does not exist", async () => {
    await call(
      'POST',
      '/api/v1/namespaces/default/pods',
      JSON.stringify({ metadata: { name: 'job-pod' }, spec: { containers: [{ name: 'helm', image: 'x' }] } }),
    );
    const empty = await fetch(`${kube.url}/api/v1/namespaces/default/pods/job-pod/log?container=helm`);
    expect([empty.status, await empty.text()]).toEqual([200, '']);
    kube.setPodLog('default', 'job-pod', 'Release "naisd" has been upgraded.\n');
    const log = await fetch(`${kube.url}/api/v1/namespaces/default/pods/job-pod/log?container=helm&limitBytes=1024`);
    expect([log.status, log.headers.get('content-type'), await log.text()]).toEqual([200, 'text/plain', 'Release "naisd" has been upgraded.\n']);
    const missing = await call('GET', '/api/v1/namespaces/default/pods/no-such-pod/log');
    expect([missing.status, missing.body['reason']]).toEqual([404, 'NotFound']);
  });

  it('answers a stale resourceVersion on replace with 409 Conflict', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: 'c' }, data: { a: '1' } }));
    const res = await call(
      'PUT',
      '/api/v1/namespaces/default/configmaps/c',
      JSON.stringify({ metadata: { name: 'c', resourceVersion: '1' }, data: { a: '2' } }),
    );
    expect(res.status).toBe(409);
    expect(kube.get('configmaps', 'default', 'c')?.['data']).toEqual({ a: '1' });
  });
});

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
