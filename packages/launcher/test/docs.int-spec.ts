// Docs that run: the shell blocks of README.md and docs/api.md, executed in order (runDoc of @fasit/testing) against
// a platform the start command started (compiled, its own database, Pub/Sub project, ports and run directory; the
// local OCI registry; the real helm as a client-side dry run, no Kubernetes API server). Every command must exit 0
// and print what the document shows after `# →`. A document that drifts from the platform fails here.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { childProcessEnv } from '@fasit/config';
import { describeFailure, parseDoc, runDoc } from '@fasit/testing';
import { buildOnce, interrupt, REPO, spawnStart, startEnvironment, waitRunning, type StartedCommand, type StartEnvironment } from './start-command.js';

let s: StartEnvironment;
let platform: StartedCommand;

beforeAll(async () => {
  buildOnce();
  s = await startEnvironment();
  platform = spawnStart(s.env);
  await waitRunning(platform);
}, 900_000);

afterAll(async () => {
  if (platform) await interrupt(platform);
  await s?.cleanup();
}, 120_000);

/** The reader's shell: this machine's environment, with the started platform's API port and run directory. */
function readerEnv(): Record<string, string> {
  const env = childProcessEnv({ FASIT_HTTP_PORT: String(s.apiPort), FASIT_RUN_DIR: s.runDir, NODE_OPTIONS: undefined });
  return env;
}

describe.each(['README.md', 'docs/api.md'])('%s, run as written against a started platform', (file) => {
  it('runs every shell block with the outputs it shows', async () => {
    const doc = parseDoc(readFileSync(join(REPO, file), 'utf8'));
    expect(doc.blocks.length).toBeGreaterThan(0);
    const results = await runDoc(doc, { cwd: REPO, env: readerEnv() });
    const failed = results.filter((r) => r.problem !== null);
    expect(failed.map((r) => describeFailure(file, r))).toEqual([]);
    expect(results).toHaveLength(doc.blocks.flatMap((b) => b.steps).length);
    process.stdout.write(
      `${file}: ${results.length} steps ran and matched; skipped blocks: ${doc.skipped.map((b) => `line ${b.line} (${b.reason})`).join(', ') || 'none'}\n`,
    );
  }, 600_000);
});
