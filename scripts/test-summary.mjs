// Sums the Jest result files of every workspace package into the one closing line CI reads:
// "N passed, N failed". Fails when no test ran at all.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
let suites = 0;
const rows = [];
for (const dir of ['apps', 'packages', '.']) {
  const names = dir === '.' ? ['e2e', 'infra'] : readdirSync(dir);
  for (const name of names) {
    const file = join(dir, name, '.jest-results.json');
    if (!existsSync(file)) continue;
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
    suites += r.numTotalTestSuites;
    rows.push(`  ${join(dir, name).padEnd(28)} ${String(r.numPassedTests).padStart(6)} passed ${String(r.numFailedTests).padStart(4)} failed`);
  }
}
console.log(rows.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
if (suites === 0 || passed + failed === 0) {
  console.error('no test ran');
  process.exit(1);
}
process.exit(failed > 0 ? 1 : 0);
