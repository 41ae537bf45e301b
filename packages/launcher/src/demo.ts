// The demo the start command seeds (idempotently): a tenant with a management and two tenant environments,
// environment values, the demo feature pushed to the local OCI registry, its secret configured, and an
// assignment of the feature to the whole tenant.
import { OciClient, OciError } from '@fasit/oci';
import { pushChart } from '@fasit/testing';

export const DEMO = {
  tenant: 'demo',
  environments: [
    { name: 'mgmt', kind: 'management', labels: { region: 'europe-north1' } },
    { name: 'dev', kind: 'tenant', labels: { env: 'dev', region: 'europe-north1' } },
    { name: 'prod', kind: 'tenant', labels: { env: 'prod', region: 'europe-west4' } },
  ],
  feature: 'demo-feature',
  repoPath: 'demo',
} as const;

export type DemoResult =
  | { chart: string; version: string; assignmentId: string }
  /** No OCI registry answered: the tenant and environments are there, the feature is not. */
  | { chart: string; version: string; assignmentId: null; problem: string };

async function call(api: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${api}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

async function ensure(api: string, method: string, path: string, body: unknown): Promise<void> {
  const r = await call(api, method, path, body);
  if (r.status >= 300 && r.status !== 409) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
}

export async function seedDemo(api: string, registry: string): Promise<DemoResult> {
  await ensure(api, 'POST', '/api/v1/tenants', { name: DEMO.tenant, description: 'the demo tenant' });
  for (const e of DEMO.environments) {
    await ensure(api, 'POST', `/api/v1/tenants/${DEMO.tenant}/environments`, { name: e.name, kind: e.kind, labels: e.labels, description: `demo ${e.kind} environment` });
    await ensure(api, 'PUT', `/api/v1/tenants/${DEMO.tenant}/environments/${e.name}/values/project_id`, { value: `demo-${e.name}-4711` });
  }
  const chart = `oci://${registry}/${DEMO.repoPath}/${DEMO.feature}`;
  const version = '0.1.0';
  // Push once: a re-push of the same version has another digest, which the catalog rightly refuses.
  try {
    const tags = await new OciClient().listTags(chart).catch((e: unknown) => {
      if (e instanceof OciError && e.code === 'NOT_FOUND') return [] as string[];
      throw e;
    });
    if (!tags.includes(version)) await pushChart('demo-feature', { registry, repoPath: DEMO.repoPath, version });
  } catch (e) {
    return { chart, version, assignmentId: null, problem: `no OCI registry answered at ${registry} (${(e as Error).message}); start one with scripts/services.sh` };
  }
  const existing = (await call(api, 'GET', `/api/v1/assignments?feature=${DEMO.feature}&active=true`)).body as { id: string }[] | null;
  let assignmentId = existing?.[0]?.id;
  if (!assignmentId) {
    const r = await call(api, 'POST', '/api/v1/assignments', { chart, version, target: { tenant: DEMO.tenant }, description: 'demo: the demo feature everywhere in the demo tenant' });
    if (r.status !== 201) throw new Error(`creating the demo assignment failed: ${r.status} ${JSON.stringify(r.body)}`);
    assignmentId = (r.body as { id: string }).id;
  }
  await ensure(api, 'PUT', `/api/v1/features/${DEMO.feature}/config/auth.token`, { value: 'demo-token' });
  await ensure(api, 'PUT', `/api/v1/tenants/${DEMO.tenant}/environments/prod/features/${DEMO.feature}/config/replicas`, { value: 3 });
  return { chart, version, assignmentId };
}
