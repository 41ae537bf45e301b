// One change for one environment → its new instruction at its agent: a config value of the feature set for a single
// environment over the REST API, one sample at a time on environments drawn across the fleet, timed from the
// request to the agent's delivery. Runs after the fan-out (the feature is deployed everywhere). Its limit: the path
// has four Pub/Sub hops (catalog → matcher → reconciler → dispatcher → agent), each measured on the bare emulator in
// the same run; four of them are the floor under the figure, whatever the services do in between.
import type { BenchContext } from '../bench-context.js';
import { waitFor } from '../bench-context.js';
import { emulatorHopLatency } from '../limits.js';
import { percentile, type ScenarioResult } from '../report.js';

const FULL = 10_000;
const HOPS = 4;

export async function latencyScenario(ctx: BenchContext, samples: number): Promise<ScenarioResult> {
  const { api, fleet, environments: names, timeoutMs } = ctx;
  const ms: number[] = [];
  for (let s = 0; s < samples; s++) {
    // Spread over the fleet, each environment at most once per pass.
    const env = names[Math.floor(((s + 0.5) * names.length) / samples) % names.length]!;
    const before = fleet.deploys(env).length;
    const t0 = performance.now();
    await api.ok('PUT', `/api/v1/tenants/${ctx.tenant}/environments/${env}/features/${ctx.feature.name}/config/image.tag`, { value: `latency-${s}` });
    await waitFor(`${env} to receive its new instruction`, timeoutMs, () => fleet.deploys(env).length > before, 2);
    ms.push(performance.now() - t0);
  }
  // An instruction's size: the hops before the last carry smaller events, so this is the dearest of the four.
  const hop = await emulatorHopLatency({ emulatorHost: ctx.platform.emulatorHost, samples, bytes: 800, timeoutMs });
  return {
    scenario: 'latency',
    size: { environments: names.length, samples },
    figures: [
      {
        name: 'one change → instruction at its agent, p50',
        value: percentile(ms, 50),
        unit: 'ms',
        limit: { name: `${HOPS} hops of the bare emulator, each its p50`, value: HOPS * hop.p50 },
        target: { op: '<=', value: 100, atSize: FULL },
      },
      {
        name: 'one change → instruction at its agent, p99',
        value: percentile(ms, 99),
        unit: 'ms',
        limit: { name: `${HOPS} hops of the bare emulator, each its p99`, value: HOPS * hop.p99 },
        target: { op: '<=', value: 500, atSize: FULL },
      },
      { name: 'one change → instruction at its agent, max', value: Math.max(...ms), unit: 'ms' },
    ],
    notes: [
      `One hop of the bare emulator (${hop.samples} messages of 800 bytes, one at a time): p50 ${hop.p50.toFixed(1)} ms, p99 ${hop.p99.toFixed(1)} ms. The ratio is the figure over ${HOPS} of them: how many times the emulator's own floor the platform takes.`,
    ],
  };
}
