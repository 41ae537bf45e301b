import { describe, expect, it } from '@jest/globals';
import { outputMatches, parseDoc, runDoc, splitSteps } from './docs-runner.js';

const DOC = [
  '# Title',
  '',
  '```bash',
  'A=1',
  'echo "a=$A"',
  '#   → a=1',
  'echo \'{"id":"x1","b":2}\'',
  '# → {"id":"…",',
  '#    "b":2}',
  'true',
  '```',
  '',
  '<!-- docs-runner: skip (runs until Ctrl-C) -->',
  '```bash',
  'bash scripts/start',
  '```',
  '',
  '```console',
  '$ not run',
  '```',
  '',
  '- a list',
  '',
  '  ```sh',
  '  echo "$A again"',
  '  ```',
  '',
].join('\n');

describe('parseDoc', () => {
  it('takes the bash and sh blocks in order (also indented ones), splits them at "# →", and leaves out skipped blocks with their reason', () => {
    expect(parseDoc(DOC)).toEqual({
      blocks: [
        {
          line: 3,
          steps: [
            { line: 4, code: 'A=1\necho "a=$A"', expected: 'a=1' },
            { line: 7, code: 'echo \'{"id":"x1","b":2}\'', expected: '{"id":"…","b":2}' },
            { line: 10, code: 'true', expected: null },
          ],
        },
        { line: 24, steps: [{ line: 25, code: 'echo "$A again"', expected: null }] },
      ],
      skipped: [{ line: 14, reason: 'runs until Ctrl-C' }],
    });
  });

  it('refuses a marker without a reason, and an output shown before any command', () => {
    expect(() => parseDoc('<!-- docs-runner: skip -->\n```bash\nx\n```\n')).toThrow(
      'line 2: a docs-runner marker must read <!-- docs-runner: skip (why) -->, got <!-- docs-runner: skip -->',
    );
    expect(() => splitSteps('# → 1\n', 5)).toThrow('line 5: "# →" shows an output, but no command comes before it');
  });
});

describe('outputMatches', () => {
  it.each([
    ['a=1', 'a=1\n', true],
    ['a=1', 'a=12', false],
    ['{"id":"…","b":2}', '{"id":"x1","b":2}', true],
    ['{"id":"…","b":2}', '{"id":"x1","b":3}', false],
    ['…"state":"DEPLOYED"…', '{"id":"1",\n"state":"DEPLOYED","x":1}', true],
    ['(a.b)*', '(a.b)*', true],
    ['(a.b)*', 'aab', false],
  ])('%j against %j → %s', (expected, actual, ok) => {
    expect(outputMatches(expected, actual)).toBe(ok);
  });
});

describe('runDoc', () => {
  it('runs the blocks in one bash (variables carry over) and passes when every output matches', async () => {
    const results = await runDoc(parseDoc(DOC), { cwd: '/', env: { PATH: '/usr/bin:/bin' } });
    expect(results.map((r) => [r.line, r.problem, r.stdout])).toEqual([
      [4, null, 'a=1\n'],
      [7, null, '{"id":"x1","b":2}\n'],
      [10, null, ''],
      [25, null, '1 again\n'],
    ]);
  });

  it('stops at a step whose output differs, at a failing command (with its exit code and stderr), and at a step that runs too long', async () => {
    const differs = await runDoc(parseDoc('```bash\necho 2\n# → 1\necho never\n```\n'), { cwd: '/', env: { PATH: '/usr/bin:/bin' } });
    expect(differs.map((r) => [r.line, r.problem, r.stdout])).toEqual([[2, 'printed something else than the document shows', '2\n']]);
    const fails = await runDoc(parseDoc('```bash\necho start\nls /nonexistent-dir\necho never\n```\n'), { cwd: '/', env: { PATH: '/usr/bin:/bin' } });
    expect(fails.map((r) => [r.problem, r.exitCode, r.stdout, r.stderr.includes('/nonexistent-dir')])).toEqual([['exited with 2', 2, 'start\n', true]]);
    const hangs = await runDoc(parseDoc('```bash\nsleep 30\n```\n'), { cwd: '/', env: { PATH: '/usr/bin:/bin' }, stepTimeoutMs: 1000 });
    expect(hangs.map((r) => [r.problem, r.exitCode])).toEqual([['did not finish within 1 s', null]]);
  });
});
