// Docs that run: the fenced shell blocks of a Markdown document (```bash or ```sh), in order, in one bash (so a
// variable set in one block is there in the next), each command group checked for its exit code and, where the
// document shows what it prints, for that output. A document that drifts from the platform fails.
//
// The convention, in the documents themselves:
// - `# → <text>` right after commands shows what they print (their standard output, all of it, trailing blank
//   lines aside). Comment lines right after it that start with `#` continue the text (joined without the line
//   break and the indentation, so one long JSON line can be shown over several). In the text, `…` stands for any
//   run of characters (also none, also across lines); everything else must match exactly.
// - Commands before the first `# →` of a block, or after the last, are checked for their exit code only.
// - `<!-- docs-runner: skip (why) -->` right before a block leaves that block out (a command that runs until
//   Ctrl-C, a tool the test machine lacks); the reason is required.
// Blocks run with `set -eo pipefail`: a failing command stops the document there.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';

export interface DocStep {
  /** 1-based line in the document where the step's code starts. */
  line: number;
  code: string;
  /** What the step prints, as the document shows it (`…` = anything); null: only the exit code is checked. */
  expected: string | null;
}

export interface DocBlock {
  line: number;
  steps: DocStep[];
}

export interface SkippedBlock {
  line: number;
  reason: string;
}

export interface ParsedDoc {
  blocks: DocBlock[];
  skipped: SkippedBlock[];
}

const SHELL = new Set(['bash', 'sh']);
const SKIP = /^<!--\s*docs-runner:\s*skip\s*\(([^)]+)\)\s*-->\s*$/;
const EXPECT = /^\s*#\s*→\s?(.*)$/;
const CONTINUATION = /^\s*#(.*)$/;

export function parseDoc(markdown: string): ParsedDoc {
  const tokens = new MarkdownIt('commonmark').parse(markdown, {});
  const blocks: DocBlock[] = [];
  const skipped: SkippedBlock[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'fence' || !SHELL.has(t.info.trim().split(/\s+/)[0] ?? '')) continue;
    const line = (t.map?.[0] ?? 0) + 1;
    const before = tokens[i - 1];
    const skip = before?.type === 'html_block' ? SKIP.exec(before.content.trim()) : null;
    if (skip) {
      skipped.push({ line, reason: skip[1]!.trim() });
      continue;
    }
    if (before?.type === 'html_block' && before.content.includes('docs-runner')) {
      throw new Error(`line ${line}: a docs-runner marker must read <!-- docs-runner: skip (why) -->, got ${before.content.trim()}`);
    }
    blocks.push({ line, steps: splitSteps(t.content, line + 1) });
  }
  return { blocks, skipped };
}

/** Splits a block's code into steps at its `# →` expectations. `firstLine` is the line of the code's first line. */
export function splitSteps(code: string, firstLine: number): DocStep[] {
  const lines = code.replace(/\n$/, '').split('\n');
  const steps: DocStep[] = [];
  let start = 0;
  let i = 0;
  while (i < lines.length) {
    const m = EXPECT.exec(lines[i]!);
    if (!m) {
      i++;
      continue;
    }
    const parts = [m[1]!.trim()];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const c = CONTINUATION.exec(lines[j]!);
      if (!c || EXPECT.test(lines[j]!)) break;
      parts.push(c[1]!.trim());
    }
    const stepCode = lines.slice(start, i).join('\n');
    if (stepCode.trim() === '') throw new Error(`line ${firstLine + i}: "# →" shows an output, but no command comes before it`);
    steps.push({ line: firstLine + start, code: stepCode, expected: parts.join('') });
    start = j;
    i = j;
  }
  const rest = lines.slice(start).join('\n');
  if (rest.trim() !== '') steps.push({ line: firstLine + start, code: rest, expected: null });
  return steps;
}

/** `expected` with `…` as a wildcard, matched against the whole of `actual` (trailing whitespace aside). */
export function outputMatches(expected: string, actual: string): boolean {
  const pattern = expected
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*?');
  return new RegExp(`^${pattern}$`).test(actual.replace(/\s+$/, ''));
}

export interface StepResult extends DocStep {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Why the step failed; null when it passed. */
  problem: string | null;
}

export interface RunOptions {
  cwd: string;
  env: Record<string, string>;
  /** A step that runs longer is stopped and fails (default 180 s). */
  stepTimeoutMs?: number;
}

/**
 * Runs the blocks of one document in one bash, in order; stops at the first step that fails. Returns every step
 * that ran, with its problem (null when it passed); the document passed when none has one.
 */
export async function runDoc(doc: ParsedDoc, options: RunOptions): Promise<StepResult[]> {
  const steps = doc.blocks.flatMap((b) => b.steps);
  const dir = mkdtempSync(join(tmpdir(), 'docs-runner-'));
  try {
    const script = ['set -eo pipefail'];
    steps.forEach((step, n) => {
      writeFileSync(join(dir, `${n}.sh`), `${step.code}\n`);
      script.push(`date +%s%3N > '${dir}/${n}.started'`);
      script.push(`{ source '${dir}/${n}.sh'; } > '${dir}/${n}.out' 2> '${dir}/${n}.err'`);
      script.push(`echo 0 > '${dir}/${n}.code'`);
    });
    const child = spawn('bash', ['--noprofile', '--norc', '-c', script.join('\n')], { cwd: options.cwd, env: options.env, stdio: 'ignore', detached: true });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const limit = options.stepTimeoutMs ?? 180_000;
    let timedOut: number | null = null;
    for (;;) {
      const done = await Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 250))]);
      if (done) break;
      const current = steps.findIndex((_, n) => !existsSync(join(dir, `${n}.code`)));
      const startedAt = current >= 0 ? Number(readText(join(dir, `${current}.started`)) || NaN) : NaN;
      if (!Number.isNaN(startedAt) && Date.now() - startedAt > limit) {
        timedOut = current;
        process.kill(-child.pid!, 'SIGKILL');
        await exited;
        break;
      }
    }
    const shellCode = await exited;
    const results: StepResult[] = [];
    for (const [n, step] of steps.entries()) {
      if (!existsSync(join(dir, `${n}.started`))) break;
      const stdout = readText(join(dir, `${n}.out`));
      const stderr = readText(join(dir, `${n}.err`));
      const finished = existsSync(join(dir, `${n}.code`));
      const exitCode = finished ? 0 : timedOut === n ? null : shellCode;
      let problem: string | null = null;
      if (timedOut === n) problem = `did not finish within ${limit / 1000} s`;
      else if (!finished) problem = `exited with ${exitCode}`;
      else if (step.expected !== null && !outputMatches(step.expected, stdout)) problem = 'printed something else than the document shows';
      results.push({ ...step, exitCode, stdout, stderr, problem });
      if (problem) break;
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A failed step as a readable report: where, the code, what was expected and what came. */
export function describeFailure(file: string, r: StepResult): string {
  return [
    `${file}:${r.line}: ${r.problem}`,
    r.code
      .split('\n')
      .map((l) => `  $ ${l}`)
      .join('\n'),
    ...(r.expected !== null ? [`  expected: ${r.expected}`] : []),
    `  stdout:   ${r.stdout.trim().slice(0, 2000)}`,
    `  stderr:   ${r.stderr.trim().slice(0, 2000)}`,
  ].join('\n');
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
