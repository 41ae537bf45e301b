// What a benchmark run prints and writes: per scenario, its figures, each beside the limit of the parts measured in
// the same run (so that the ratio is the figure that means something on a shared or slow machine) and the issue's
// target for the full size.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';

export type Unit = 'ms' | 's' | '/s' | 'MiB' | 'count';

export interface Target {
  /** `<=`: the figure must not exceed the value; `>=`: it must reach it. */
  op: '<=' | '>=';
  value: number;
  /** The size the target is set for (the full size); a smaller run is not held to it. */
  atSize: number;
}

export interface Figure {
  name: string;
  value: number;
  unit: Unit;
  /** The same measurement of the bare parts, in the same run (a rate: the ratio is value / limit). */
  limit?: { name: string; value: number };
  target?: Target;
  /** A target on the ratio to the limit (e.g. ≥ 0.5 of the emulator's own rate). */
  ratioTarget?: number;
}

export interface ScenarioResult {
  scenario: string;
  /** The size this scenario ran at (environments, features, agents, clients…). */
  size: Record<string, number>;
  figures: Figure[];
  notes: string[];
}

export interface RunReport {
  startedAt: string;
  finishedAt: string;
  full: boolean;
  machine: { cores: number; cpu: string; memGiB: number; freeGiB: number; node: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  platform: string;
  scenarios: ScenarioResult[];
}

export function machine(): Omit<RunReport['machine'], 'loadAverageAtEnd'> {
  const c = cpus();
  return {
    cores: c.length,
    cpu: c[0]?.model.trim() ?? 'unknown',
    memGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 10) / 10),
  };
}

const fmt = (v: number, unit: Unit): string => {
  switch (unit) {
    case 'ms':
      return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`;
    case 's':
      return `${v.toFixed(2)} s`;
    case '/s':
      return `${v.toFixed(1)}/s`;
    case 'MiB':
      return `${v.toFixed(0)} MiB`;
    case 'count':
      return String(v);
  }
};

/** Whether a figure meets its target; undefined when it has none or ran below the target's size. */
export function verdict(f: Figure, size: number): string {
  const parts: string[] = [];
  if (f.target) {
    const met = f.target.op === '<=' ? f.value <= f.target.value : f.value >= f.target.value;
    const t = `${f.target.op} ${fmt(f.target.value, f.unit)}`;
    parts.push(size >= f.target.atSize ? `${met ? 'met' : 'MISSED'} (${t})` : `target ${t} at ${f.target.atSize}`);
  }
  if (f.ratioTarget !== undefined && f.limit) {
    const ratio = f.value / f.limit.value;
    parts.push(`${ratio >= f.ratioTarget ? 'met' : 'MISSED'} (ratio ≥ ${f.ratioTarget})`);
  }
  return parts.join('; ');
}

export function printScenario(r: ScenarioResult, mainSize: number): void {
  const size = Object.entries(r.size)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  console.log(`\n## ${r.scenario} (${size})\n`);
  const rows = r.figures.map((f) => [
    f.name,
    fmt(f.value, f.unit),
    f.limit ? `${fmt(f.limit.value, f.unit)} (${f.limit.name})` : '',
    f.limit ? (f.value / f.limit.value).toFixed(2) : '',
    verdict(f, mainSize),
  ]);
  const head = ['figure', 'value', 'limit, same run', 'ratio', 'target'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  for (const n of r.notes) console.log(`\n${n}`);
}

export function writeReport(path: string, report: RunReport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}

/** p-th percentile (0–100) of samples, nearest rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
