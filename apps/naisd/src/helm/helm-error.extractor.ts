// Turns helm's output into the short error text a failed report carries: helm's own `Error: …` line and what
// follows it (multi-line errors such as YAML parse failures), else the last meaningful stderr lines.

export const MAX_ERROR_CHARS = 4000;
const MAX_ERROR_LINES = 20;
/** helm's progress chatter, never the reason for a failure. */
const NOISE = /^(Pulled:|Digest:|Release ".*" does not exist\. Installing it now\.|WARNING: )/;

export function extractHelmError(stderrLines: readonly string[], exitCode: number | null): string {
  const lines = stderrLines.map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  let start = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i]!.startsWith('Error:')) {
      start = i;
      break;
    }
  }
  const picked = start >= 0 ? lines.slice(start, start + MAX_ERROR_LINES) : lines.filter((l) => !NOISE.test(l)).slice(-5);
  const text = picked.join('\n');
  if (text === '') return exitCode === null ? 'helm was terminated' : `helm exited with code ${exitCode} and printed no error`;
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text;
}
