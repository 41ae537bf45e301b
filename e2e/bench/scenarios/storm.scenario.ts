// A status storm: every agent of the fleet reports its inventory at once (as after a control-plane outage), and the
// dispatcher ingests them (verifies each signature, records the inventory, announces it). Timed from the first
// report published to the dispatcher's count of handled reports reaching N. Beside it, the emulator's own rate for
// one topic with N messages of the same size, and PostgreSQL's insert rate for N rows, in the same run.
import type { BenchContext } from '../bench-context.js';
import { waitFor } from '../bench-context.js';
import { metricValue } from '../../src/metrics-text.js';
import { emulatorOneTopicLimit, postgresInsertLimit } from '../limits.js';
import type { ScenarioResult } from '../report.js';

const FULL = 10_000;
const REPORTS = { topic: 'naisd.status.reported.v1' };

export async function stormScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { platform, fleet, environments: names, timeoutMs } = ctx;
  const N = names.length;
  const handled = async () => metricValue(await platform.metrics('dispatcher'), 'fasit_events_consumed_total', REPORTS);
  // Let what is still in flight from earlier scenarios settle: the count must stand still before the storm.
  let before = await handled();
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000));
    const now = await handled();
    if (now === before) break;
    before = now;
  }
  const [sent, sentBytes] = [fleet.reportsSent, fleet.reportBytes];
  const t0 = performance.now();
  // Every agent at once, as after a control-plane outage (each agent is its own process; the fleet publishes them
  // all without waiting for one publish before the next).
  await fleet.inventories(N);
  const publishedMs = performance.now() - t0;
  await waitFor('the dispatcher to handle every report of the storm', timeoutMs, async () => (await handled()) - before >= N, 50);
  const allMs = performance.now() - t0;
  const dead = metricValue(await platform.metrics('dispatcher'), 'fasit_events_consumed_total', { ...REPORTS, result: 'dead-lettered' });

  const bytes = Math.round((fleet.reportBytes - sentBytes) / (fleet.reportsSent - sent));
  // Pulled as the dispatcher pulls reports: 256 in flight (its BATCHED_IN_FLIGHT, decisions 0026 and 0029).
  const emulator = await emulatorOneTopicLimit({ emulatorHost: platform.emulatorHost, messages: N, bytes, timeoutMs, inFlight: 256 });
  const postgres = await postgresInsertLimit({ databaseUrl: platform.databaseUrl, rows: N });
  const rate = N / (allMs / 1000);
  return {
    scenario: 'storm',
    size: { agents: N },
    figures: [
      {
        name: 'reports ingested per second',
        value: rate,
        unit: '/s',
        limit: { name: 'emulator end to end, one topic, same size, 256 in flight', value: emulator.endToEndRate },
        ratioTarget: 0.7,
        target: { op: '>=', value: 5_000, atSize: FULL },
      },
      {
        name: 'reports published per second by the fleet',
        value: N / (publishedMs / 1000),
        unit: '/s',
        limit: { name: 'emulator publish, one topic, same size', value: emulator.publishRate },
      },
      {
        name: 'reports ingested per second, against PostgreSQL',
        value: rate,
        unit: '/s',
        limit: { name: 'PostgreSQL, one transaction per row, 8 connections', value: postgres.perRowRate },
      },
      { name: 'PostgreSQL bulk insert (one statement)', value: postgres.bulkRate, unit: '/s' },
      { name: 'reports dead-lettered', value: dead, unit: 'count' },
    ],
    notes: [`each report: one signed inventory of one release, ${bytes} bytes of JSON on average; the limits used ${bytes}-byte messages and ${N} rows.`],
  };
}
