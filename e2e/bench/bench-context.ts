// What every scenario works on: one started platform, one tenant with N environments registered over the REST API,
// and a simulated fleet (one agent per environment, over the real bus) that is healthy before anything is measured.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { chartFixturePath, pushChart, type PushedChart } from '@fasit/testing';
import { ApiClient } from '../src/api-client.js';
import { pool, SimulatedFleet } from '../src/fleet/simulated-fleet.js';
import type { BenchPlatform } from './bench-platform.js';

export interface BenchContext {
  platform: BenchPlatform;
  api: ApiClient;
  fleet: SimulatedFleet;
  tenant: string;
  environments: string[];
  timeoutMs: number;
  /** Share of deploys the fleet answers `failed`. */
  failureRate: number;
  /** The benchmark's feature, stored and configured (the fan-out scenario assigns it). */
  feature: PushedChart;
  /** The assignment of `feature` to the whole tenant, once the fan-out scenario made it. */
  assignmentId?: string;
  /** Pushes another feature chart under `name` and stores it (the sweep scenario's extra features). */
  pushFeature(name: string): Promise<PushedChart>;
}

/**
 * The demo chart's Feature.yaml without its `allClusters` value: that one renders the names of every environment
 * of the tenant into each environment's values, so its cost per pair grows with the tenant (N² for a fan-out). The
 * benchmark measures the platform's own growth; `--envs-template` keeps the value to measure that cost as well.
 */
export function benchFeatureYaml(keepEnvsTemplate: boolean): string {
  const yaml = readFileSync(`${chartFixturePath('demo-feature')}/Feature.yaml`, 'utf8');
  if (keepEnvsTemplate) return yaml;
  const without = yaml.replace(/\n {2}allClusters:\n(?: {4}.*\n)+/, '\n');
  if (without === yaml) throw new Error('demo-feature Feature.yaml: its allClusters value was not found (the fixture changed)');
  return without;
}

export async function waitFor(what: string, timeoutMs: number, done: () => boolean | Promise<boolean>, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const envName = (i: number) => `env-${String(i).padStart(5, '0')}`;

export interface PrepareOptions {
  environments: number;
  timeoutMs: number;
  keepEnvsTemplate: boolean;
  answerLatencyMs: number;
  failureRate: number;
}

/** Tenant, environments, the fleet subscribed and healthy, the feature stored and configured. Not measured. */
export async function prepare(platform: BenchPlatform, o: PrepareOptions, log: (msg: string) => void): Promise<BenchContext> {
  const api = new ApiClient(platform.apiUrl, () => platform.diagnostics());
  const tenant = `bench-${platform.run}`;
  const environments = Array.from({ length: o.environments }, (_, i) => envName(i));
  const files = { 'Feature.yaml': benchFeatureYaml(o.keepEnvsTemplate) };
  const pushFeature = async (name: string) => {
    const chart = await pushChart('demo-feature', { repoPath: `bench-${platform.run}`, name, files });
    await api.ok('POST', '/api/v1/features', { chart: chart.ref, version: chart.version });
    await api.ok('PUT', `/api/v1/features/${name}/config/auth.token`, { value: 'bench-token' });
    return chart;
  };
  let t = Date.now();
  await api.ok('POST', '/api/v1/tenants', { name: tenant, description: 'benchmark' });
  await pool(environments, 64, async (name) => {
    await api.ok('POST', `/api/v1/tenants/${tenant}/environments`, { name, kind: 'tenant', labels: { bench: 'fleet' } });
  });
  log(`setup: ${o.environments} environments over REST in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  t = Date.now();
  const fleet = new SimulatedFleet({
    bus: platform.bus,
    tenant,
    environments,
    agentKeySecret: platform.agentKeySecret,
    answerLatencyMs: o.answerLatencyMs,
    failureRate: o.failureRate,
  });
  await fleet.start();
  log(`setup: the fleet's 16 shard subscriptions in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  t = Date.now();
  await fleet.heartbeats();
  const db = new pg.Client({ connectionString: platform.databaseUrl });
  await db.connect();
  try {
    await waitFor(
      'every agent healthy',
      o.timeoutMs,
      async () => {
        const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM dispatcher_api.agent_health');
        return Number(rows[0]!.n) >= o.environments;
      },
      250,
    );
  } finally {
    await db.end();
  }
  log(`setup: heartbeats → all healthy in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const feature = await pushFeature('bench-feature');
  return { platform, api, fleet, tenant, environments, timeoutMs: o.timeoutMs, failureRate: o.failureRate, feature, pushFeature };
}
