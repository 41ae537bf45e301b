// The API under concurrent clients: the status of the assignment over every environment of the tenant, and the
// tenant's environment list, each asked by `clients` clients at once, `requests` times in all; then the status as
// the console polls it, with the ETag it got (`If-None-Match`: a 304 while nothing changed). Runs after the fan-out
// (the assignment exists and is deployed everywhere). Then the same two reads once more with catalog-api restarted
// with FASIT_API_CACHE_BYTES=0 (every answer built from the rows and serialized again): the cache's gain measured in
// the same run, under the same load.
import { pool } from '../../src/fleet/simulated-fleet.js';
import { metricValue } from '../../src/metrics-text.js';
import type { BenchContext } from '../bench-context.js';
import { percentile, type ScenarioResult } from '../report.js';

const FULL = 10_000;

export async function apiScenario(ctx: BenchContext, clients: number, requests: number): Promise<ScenarioResult> {
  if (!ctx.assignmentId) throw new Error('the api scenario runs after the fan-out (it reads the assignment it made)');
  let retried = 0;
  /**
   * `requests` GETs of `path`, `clients` at a time. `poll`: as the console polls, each GET names the last ETag seen
   * (`If-None-Match`), a 304 while nothing changed, a 200 with the new ETag when something did (the fleet's last
   * reports may still arrive), counted.
   */
  // catalog-api's own CPU time (user + system, from its /metrics): what one answer costs the service, which the
  // machine's load does not change as it changes latency.
  const cpuSeconds = async () => metricValue(await ctx.platform.metrics('catalog-api'), 'fasit_process_process_cpu_seconds_total');
  const measure = async (path: string, poll?: { etag: string; changed: number }) => {
    const ms: number[] = [];
    const cpu0 = await cpuSeconds();
    const t0 = performance.now();
    await pool(
      Array.from({ length: requests }, (_, i) => i),
      clients,
      async () => {
        const t = performance.now();
        const get = () => fetch(`${ctx.api.baseUrl}${path}`, poll ? { headers: { 'if-none-match': poll.etag } } : {});
        // A keep-alive connection the server closed as idle just as it was reused (seen at load averages in the
        // hundreds): the GET is sent again, as a browser would, and counted.
        const res = await get().catch(() => {
          retried++;
          return get();
        });
        await res.arrayBuffer();
        if (poll && res.status === 200) {
          poll.changed++;
          poll.etag = res.headers.get('etag') ?? poll.etag;
        } else if (res.status !== (poll ? 304 : 200)) throw new Error(`GET ${path} → ${res.status}`);
        ms.push(performance.now() - t);
      },
    );
    const rate = requests / ((performance.now() - t0) / 1000);
    return { ms, rate, cpuMs: (((await cpuSeconds()) - cpu0) * 1000) / requests };
  };
  const statusPath = `/api/v1/assignments/${ctx.assignmentId}/status`;
  const status = await measure(statusPath);
  const list = await measure(`/api/v1/tenants/${ctx.tenant}/environments`);
  const etag = (await fetch(`${ctx.api.baseUrl}${statusPath}`)).headers.get('etag');
  if (!etag) throw new Error(`GET ${statusPath} answered without an ETag`);
  const poll = { etag, changed: 0 };
  const polled = await measure(statusPath, poll);
  const cache = await ctx.platform.metrics('catalog-api');
  const counted = (answer: string, result: string) => metricValue(cache, 'fasit_api_cache_requests_total', { answer, result });
  const kept = `polled: ${poll.changed} of ${requests} answered 200 (the status had changed), the rest 304; answers kept per version: status ${counted('assignment-status', 'hit')} hits, ${counted('assignment-status', 'not-modified')} not modified, ${counted('assignment-status', 'miss')} built; list ${counted('environment-list', 'hit')} hits, ${counted('environment-list', 'miss')} built`;
  await ctx.platform.restart('catalog-api', { FASIT_API_CACHE_BYTES: '0' });
  // Warmed as the first process was by the fan-out (modules its first requests load are not counted).
  for (const path of [statusPath, `/api/v1/tenants/${ctx.tenant}/environments`]) await (await fetch(`${ctx.api.baseUrl}${path}`)).arrayBuffer();
  const statusUncached = await measure(statusPath);
  const listUncached = await measure(`/api/v1/tenants/${ctx.tenant}/environments`);
  await ctx.platform.restart('catalog-api', {});
  return {
    scenario: 'api',
    size: { environments: ctx.environments.length, clients, requests },
    figures: [
      { name: 'assignment status over every environment, p50', value: percentile(status.ms, 50), unit: 'ms' },
      { name: 'assignment status over every environment, p99', value: percentile(status.ms, 99), unit: 'ms', target: { op: '<=', value: 50, atSize: FULL } },
      { name: 'assignment status, requests per second', value: status.rate, unit: '/s' },
      { name: "assignment status, catalog-api's CPU per request", value: status.cpuMs, unit: 'ms' },
      { name: "tenant's environment list (all of them), p50", value: percentile(list.ms, 50), unit: 'ms' },
      { name: "tenant's environment list (all of them), p99", value: percentile(list.ms, 99), unit: 'ms', target: { op: '<=', value: 50, atSize: 2_000 } },
      { name: 'environment list, requests per second', value: list.rate, unit: '/s' },
      { name: "environment list, catalog-api's CPU per request", value: list.cpuMs, unit: 'ms' },
      { name: 'assignment status polled with its ETag (304 unless it changed), p50', value: percentile(polled.ms, 50), unit: 'ms' },
      { name: 'assignment status polled with its ETag, p99', value: percentile(polled.ms, 99), unit: 'ms' },
      { name: 'polled status, requests per second', value: polled.rate, unit: '/s' },
      { name: "polled status, catalog-api's CPU per request", value: polled.cpuMs, unit: 'ms' },
      { name: 'assignment status, nothing kept or shared (FASIT_API_CACHE_BYTES=0), p50', value: percentile(statusUncached.ms, 50), unit: 'ms' },
      { name: 'assignment status, nothing kept, p99', value: percentile(statusUncached.ms, 99), unit: 'ms' },
      { name: 'assignment status, nothing kept, requests per second', value: statusUncached.rate, unit: '/s' },
      { name: "assignment status, nothing kept, catalog-api's CPU per request", value: statusUncached.cpuMs, unit: 'ms' },
      { name: 'environment list, nothing kept, p50', value: percentile(listUncached.ms, 50), unit: 'ms' },
      { name: 'environment list, nothing kept, p99', value: percentile(listUncached.ms, 99), unit: 'ms' },
      { name: 'environment list, nothing kept, requests per second', value: listUncached.rate, unit: '/s' },
      { name: "environment list, nothing kept, catalog-api's CPU per request", value: listUncached.cpuMs, unit: 'ms' },
    ],
    notes: [kept, ...(retried > 0 ? [`${retried} requests sent again after the server closed their idle connection`] : [])],
  };
}
