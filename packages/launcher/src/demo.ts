// The demo the start command seeds (idempotently), through the API like any client: a tenant with a management
// and two tenant environments, environment values, the demo feature pushed to the local OCI registry, its
// secret configured for the demo tenant's environments, and an assignment of the feature to the whole tenant.
import { isDeepStrictEqual } from 'node:util';
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
  version: '0.1.0',
} as const;

export type DemoResult =
  | { chart: string; version: string; assignmentId: string }
  /** No OCI registry answered: the tenant and environments are there, the feature is not. */
  | { chart: string; version: string; assignmentId: null; problem: string };

/** A small client of the catalog API: JSON in and out, with the bearer token when there is one. */
export class ApiCaller {
  constructor(
    readonly api: string,
    private readonly token?: string,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token !== undefined) headers['authorization'] = `Bearer ${this.token}`;
    const res = await fetch(`${this.api}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  }

  /** A create or upsert that may already have happened (409 is fine); anything else but success throws. */
  async ensure(method: string, path: string, body: unknown): Promise<void> {
    const r = await this.call(method, path, body);
    if (r.status >= 300 && r.status !== 409) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
  }
}

export async function seedDemo(caller: ApiCaller, registry: string): Promise<DemoResult> {
  await caller.ensure('POST', '/api/v1/tenants', { name: DEMO.tenant, description: 'the demo tenant' });
  for (const e of DEMO.environments) {
    await caller.ensure('POST', `/api/v1/tenants/${DEMO.tenant}/environments`, {
      name: e.name,
      kind: e.kind,
      labels: e.labels,
      description: `demo ${e.kind} environment`,
    });
    await caller.ensure('PUT', `/api/v1/tenants/${DEMO.tenant}/environments/${e.name}/values/project_id`, { value: `demo-${e.name}-4711` });
  }
  const chart = `oci://${registry}/${DEMO.repoPath}/${DEMO.feature}`;
  const version = DEMO.version;
  // Push once: a re-push of the same version has another digest, which the catalog rightly refuses.
  try {
    const tags = await new OciClient().listTags(chart).catch((e: unknown) => {
      if (e instanceof OciError && e.code === 'NOT_FOUND') return [] as string[];
      throw e;
    });
    if (!tags.includes(version)) await pushChart('demo-feature', { registry, repoPath: DEMO.repoPath, version });
  } catch (e) {
    return {
      chart,
      version,
      assignmentId: null,
      problem: `no OCI registry answered at ${registry} (${(e as Error).message}); start one with scripts/services.sh`,
    };
  }
  await caller.ensure('POST', '/api/v1/features', { chart, version });
  // The demo's secret is configured per environment of the demo tenant, not globally: a tenant created by hand
  // starts without it (docs/api.md walks through configuring it).
  for (const e of DEMO.environments) {
    await caller.ensure('PUT', `/api/v1/tenants/${DEMO.tenant}/environments/${e.name}/features/${DEMO.feature}/config/auth.token`, {
      value: `demo-token-${e.name}`,
    });
  }
  await caller.ensure('PUT', `/api/v1/tenants/${DEMO.tenant}/environments/prod/features/${DEMO.feature}/config/replicas`, { value: 3 });
  // The demo's own assignment is the active one with the target {tenant: demo}; others (the README's walkthrough
  // assigns 0.2.0 to {tenant: demo, env: prod}) are not the demo's.
  const target = { tenant: DEMO.tenant };
  const listed = await caller.call('GET', `/api/v1/assignments?feature=${DEMO.feature}&active=true&limit=1000`);
  if (listed.status !== 200) throw new Error(`listing the demo assignments failed: ${listed.status} ${JSON.stringify(listed.body)}`);
  const existing = (listed.body as { id: string; version: string; target: unknown }[]).find((a) => isDeepStrictEqual(a.target, target));
  if (existing) return { chart, version: existing.version, assignmentId: existing.id };
  const r = await caller.call('POST', '/api/v1/assignments', { chart, version, target, description: 'demo: the demo feature everywhere in the demo tenant' });
  if (r.status !== 201) throw new Error(`creating the demo assignment failed: ${r.status} ${JSON.stringify(r.body)}`);
  return { chart, version, assignmentId: (r.body as { id: string }).id };
}
