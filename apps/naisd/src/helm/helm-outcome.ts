// What a finished helm process means for the report: success, or a failure with the text an operator needs.
import { extractHelmError } from './helm-error.extractor.js';
import { helmDuration } from './helm-command.builder.js';
import type { RunResult } from './process.runner.js';

export type HelmOutcome = { ok: true } | { ok: false; error: string };

export function helmOutcome(result: Pick<RunResult, 'exitCode' | 'timedOut' | 'spawnError' | 'stderrLines'>, killAfterMs: number): HelmOutcome {
  if (result.spawnError !== null) return { ok: false, error: `could not run helm: ${result.spawnError}` };
  if (result.timedOut) {
    const last = result.stderrLines.length > 0 ? `; last output:\n${extractHelmError(result.stderrLines, null)}` : '';
    return { ok: false, error: `helm did not finish within ${helmDuration(killAfterMs)} and was killed by naisd${last}` };
  }
  if (result.exitCode === 0) return { ok: true };
  return { ok: false, error: extractHelmError(result.stderrLines, result.exitCode) };
}
