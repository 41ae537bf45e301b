// Sums the Jest result files of every workspace package into the one closing line CI reads:
// "N passed, N failed". Fails when no test ran at all. Above it, every failed test with the start of its message,
// so a CI log that shows only its tail still says what failed and why.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

let passed = 0;
let failed = 0;
let suites = 0;
const rows = [];
const failures = [];
for (const dir of ['apps', 'packages', '.']) {
  const names = dir === '.' ? ['e2e', 'infra'] : readdirSync(dir);
  for (const name of names) {
    const file = join(dir, name, '.jest-results.json');
    if (!existsSync(file)) continue;
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
    suites += r.numTotalTestSuites;
    for (const suite of r.testResults ?? []) {
      const where = relative(process.cwd(), suite.name);
      if (suite.status === 'failed' && (suite.assertionResults ?? []).every((t) => t.status !== 'failed')) {
        failures.push(`${where}: the suite failed to run\n${clip(suite.message)}`);
      }
      for (const t of suite.assertionResults ?? []) {
        if (t.status === 'failed') failures.push(`${where}: ${t.fullName}\n${clip((t.failureMessages ?? []).join('\n'))}`);
      }
    }
    rows.push(`  ${join(dir, name).padEnd(28)} ${String(r.numPassedTests).padStart(6)} passed ${String(r.numFailedTests).padStart(4)} failed`);
  }
}
if (failures.length > 0) console.log(`failed tests:\n${failures.map((f) => `- ${f}`).join('\n')}\n`);
console.log(rows.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
if (suites === 0 || passed + failed === 0) {
  console.error('no test ran');
  process.exit(1);
}
process.exit(failed > 0 ? 1 : 0);

function clip(message) {
  const lines = stripVTControlCharacters(String(message ?? ''))
    .split('\n')
    .filter((l) => l.trim() !== '');
  return lines
    .slice(0, 60)
    .map((l) => `    ${l.slice(0, 300)}`)
    .join('\n');
}
