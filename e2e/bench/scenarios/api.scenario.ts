// The API under concurrent clients: the status of the assignment over every environment of the tenant, and the
// tenant's environment list, each asked by `clients` clients at once, `requests` times in all; then the status as
// the console polls it, with the ETag it got (`If-None-Match`: a 304 while nothing changed). Runs after the fan-out
// (the assignment exists and is deployed everywhere).
import { pool } from '../../src/fleet/simulated-fleet.js';
import type { BenchContext } from '../bench-context.js';
import { percentile, type ScenarioResult } from '../report.js';

const FULL = 10_000;

export async function apiScenario(ctx: BenchContext, clients: number, requests: number): Promise<ScenarioResult> {
  if (!ctx.assignmentId) throw new Error('the api scenario runs after the fan-out (it reads the assignment it made)');
  const measure = async (path: string, etag?: string) => {
    const ms: number[] = [];
    const expected = etag ? 304 : 200;
    const t0 = performance.now();
    await pool(
      Array.from({ length: requests }, (_, i) => i),
      clients,
      async () => {
        const t = performance.now();
        const res = await fetch(`${ctx.api.baseUrl}${path}`, etag ? { headers: { 'if-none-match': etag } } : {});
        await res.arrayBuffer();
        if (res.status !== expected) throw new Error(`GET ${path} → ${res.status}, expected ${expected}`);
        ms.push(performance.now() - t);
      },
    );
    return { ms, rate: requests / ((performance.now() - t0) / 1000) };
  };
  const statusPath = `/api/v1/assignments/${ctx.assignmentId}/status`;
  const status = await measure(statusPath);
  const list = await measure(`/api/v1/tenants/${ctx.tenant}/environments`);
  const etag = (await fetch(`${ctx.api.baseUrl}${statusPath}`)).headers.get('etag');
  if (!etag) throw new Error(`GET ${statusPath} answered without an ETag`);
  const polled = await measure(statusPath, etag);
  return {
    scenario: 'api',
    size: { environments: ctx.environments.length, clients, requests },
    figures: [
      { name: 'assignment status over every environment, p50', value: percentile(status.ms, 50), unit: 'ms' },
      { name: 'assignment status over every environment, p99', value: percentile(status.ms, 99), unit: 'ms', target: { op: '<=', value: 50, atSize: FULL } },
      { name: 'assignment status, requests per second', value: status.rate, unit: '/s' },
      { name: "tenant's environment list (all of them), p50", value: percentile(list.ms, 50), unit: 'ms' },
      { name: "tenant's environment list (all of them), p99", value: percentile(list.ms, 99), unit: 'ms', target: { op: '<=', value: 50, atSize: 2_000 } },
      { name: 'environment list, requests per second', value: list.rate, unit: '/s' },
      { name: 'assignment status polled with its ETag (304), p50', value: percentile(polled.ms, 50), unit: 'ms' },
      { name: 'assignment status polled with its ETag (304), p99', value: percentile(polled.ms, 99), unit: 'ms' },
      { name: 'polled status, requests per second', value: polled.rate, unit: '/s' },
    ],
    notes: [],
  };
}
