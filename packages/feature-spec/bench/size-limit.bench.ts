// Size-limit benchmark: how long `parseFeatureYaml` takes to refuse a file above MAX_FEATURE_YAML_BYTES (5 MiB and
// 64 MiB, refused before any parsing), against parsing a valid file just under the limit. Not part of
// `pnpm test` (the tests prove the parser is not reached; timings on a shared machine are not assertions): run
// `pnpm bench` (`pnpm bench <runs>` for another number of runs; default 20). Prints the median and the slowest run.
import { MAX_FEATURE_YAML_BYTES, parseFeatureYaml } from '../src/index.js';

const RUNS = Number(process.argv.slice(2).find((a) => a !== '--') ?? 20);
const entry = (i: number) => `  value.k${i}:\n    config: {type: string}\n`;

function justUnderLimit(): string {
  const parts = ['environmentKinds: [tenant]\nvalues:\n'];
  let bytes = parts[0]!.length; // ASCII: one byte a character
  for (let i = 0; bytes + entry(i).length <= MAX_FEATURE_YAML_BYTES; i++) {
    parts.push(entry(i));
    bytes += entry(i).length;
  }
  return parts.join('');
}

const cases: [string, string][] = [
  ['valid, just under 1 MiB (parsed and validated)', justUnderLimit()],
  ['5 MiB (refused)', `environmentKinds: [tenant]\nvalues:\n${'  k:\n'.repeat((5 * MAX_FEATURE_YAML_BYTES) / 5)}`],
  ['64 MiB (refused)', `environmentKinds: [tenant]\nvalues:\n${entry(0).repeat(Math.floor((64 * MAX_FEATURE_YAML_BYTES) / entry(0).length))}`],
];

for (const [name, text] of cases) {
  const ms: number[] = [];
  let outcome = '';
  for (let r = 0; r < RUNS; r++) {
    const started = performance.now();
    const result = parseFeatureYaml(text);
    ms.push(performance.now() - started);
    outcome = result.ok ? 'ok' : result.errors.map((e) => e.code).join(',');
  }
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)] ?? 0;
  const slowest = ms[ms.length - 1] ?? 0;
  process.stdout.write(
    `${name.padEnd(48)} ${Buffer.byteLength(text).toLocaleString('en-US').padStart(11)} bytes  median ${median.toFixed(1).padStart(7)} ms  slowest ${slowest.toFixed(1).padStart(7)} ms  (${outcome}, ${RUNS} runs)\n`,
  );
}
