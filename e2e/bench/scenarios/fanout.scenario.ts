// One assignment to every environment of the tenant → each agent has its deploy instruction; the agents answer →
// the assignment's status is DEPLOYED; then one global config change → every agent has its new instruction (the
// incremental path). Beside it, the emulator's own rate for the same topology (one topic and subscription per
// environment) and message size, measured in the same run.
import type { BenchContext } from '../bench-context.js';
import { waitFor } from '../bench-context.js';
import { emulatorPerTopicLimit, emulatorShardedLimit } from '../limits.js';
import type { ScenarioResult } from '../report.js';

const FULL = 10_000;
/** Shard topics of the layout decision 0024 chooses (measured beside today's one topic per environment). */
const SHARDS = 16;

export async function fanoutScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { api, fleet, environments: names, timeoutMs } = ctx;
  const N = names.length;
  const t0 = Date.now();
  const assignment = await api.ok<{ id: string }>('POST', '/api/v1/assignments', {
    chart: ctx.feature.ref,
    version: ctx.feature.version,
    target: { tenant: ctx.tenant },
    description: 'fan-out benchmark',
  });
  ctx.assignmentId = assignment.id;
  await waitFor('every agent to receive its deploy instruction', timeoutMs, () => names.every((n) => fleet.deploys(n).length >= 1));
  const firstAt = (n: string) => fleet.deploys(n)[0]!.at;
  const allMs = Math.max(...names.map(firstAt)) - t0;
  const firstMs = Math.min(...names.map(firstAt)) - t0;
  await waitFor('every environment of the assignment to be settled', timeoutMs, () => settled(ctx, assignment.id), 100);
  const deployedMs = Date.now() - t0;

  // The incremental path: one global config value → a new instruction for every environment.
  const t1 = Date.now();
  await api.ok('PUT', `/api/v1/features/${ctx.feature.name}/config/image.tag`, { value: `bench-${ctx.platform.run}` });
  const distinct = (n: string) => new Set(fleet.deploys(n).map((d) => d.instruction.diid)).size;
  await waitFor('every agent to receive the new instruction', timeoutMs, () => names.every((n) => distinct(n) >= 2));
  const configMs = Math.max(...names.map((n) => fleet.deploys(n).find((d) => d.instruction.diid !== fleet.deploys(n)[0]!.instruction.diid)!.at)) - t1;
  await waitFor('every environment of the assignment to be settled again', timeoutMs, () => settled(ctx, assignment.id), 100);

  // Deliveries beyond one per diid: Pub/Sub's at-least-once (naisd acknowledges them without running helm).
  const redelivered = names.reduce((sum, n) => sum + fleet.deploys(n).length - distinct(n), 0);
  const extraDecisions = names.filter((n) => distinct(n) > 2).length;
  const bytes = Math.round(names.reduce((sum, n) => sum + JSON.stringify(fleet.deploys(n)[0]!.instruction).length, 0) / N);

  const limit = await emulatorPerTopicLimit({ emulatorHost: ctx.platform.emulatorHost, topics: N, bytes, timeoutMs });
  const sharded = await emulatorShardedLimit({ emulatorHost: ctx.platform.emulatorHost, messages: N, shards: SHARDS, bytes, timeoutMs });
  const rate = N / (allMs / 1000);
  return {
    scenario: 'fanout',
    size: { environments: N },
    figures: [
      { name: 'assignment → first instruction at its agent', value: firstMs, unit: 'ms' },
      { name: 'assignment → every instruction delivered', value: allMs, unit: 'ms', target: { op: '<=', value: 10_000, atSize: FULL } },
      {
        name: 'instructions delivered per second',
        value: rate,
        unit: '/s',
        // The topology the platform and the fleet run on: 16 shard topics, one subscription each (decision 0024).
        limit: { name: `emulator end to end, same topology (${SHARDS} shard topics) and size`, value: sharded.endToEndRate },
        ratioTarget: 0.5,
      },
      { name: 'instructions published per second (emulator alone)', value: limit.publishRate, unit: '/s' },
      {
        name: `emulator end to end on ${SHARDS} shard topics (decision 0024's layout)`,
        value: sharded.endToEndRate,
        unit: '/s',
        limit: { name: 'emulator end to end, one topic per environment', value: limit.endToEndRate },
      },
      {
        name: ctx.failureRate > 0 ? 'assignment → settled, agents answered (failures drawn)' : 'assignment → DEPLOYED (agents answered)',
        value: deployedMs,
        unit: 'ms',
        target: { op: '<=', value: 20_000, atSize: FULL },
      },
      { name: 'config change → every new instruction delivered', value: configMs, unit: 'ms' },
      { name: 'redeliveries of an instruction already received', value: redelivered, unit: 'count' },
      { name: 'environments with more than the 2 expected decisions', value: extraDecisions, unit: 'count' },
      { name: 'instructions refused by an agent (bad signature)', value: fleet.refused.length, unit: 'count' },
    ],
    notes: [
      `instruction size: ${bytes} bytes of verified claims on average; the limits sent ${limit.messages} messages of that size, one per topic (one topic per environment, v2) and over ${SHARDS} shard topics (v3, what the platform runs).`,
    ],
  };
}

/** Every environment of the assignment DEPLOYED, or FAILED where the fleet drew a failure (none PENDING). */
async function settled(ctx: BenchContext, id: string): Promise<boolean> {
  const s = await ctx.api.ok<{ state: string; environments: { state: string }[] }>('GET', `/api/v1/assignments/${id}/status`);
  if (ctx.failureRate === 0) return s.state === 'DEPLOYED';
  return s.environments.length === ctx.environments.length && s.environments.every((e) => e.state === 'DEPLOYED' || e.state === 'FAILED');
}
