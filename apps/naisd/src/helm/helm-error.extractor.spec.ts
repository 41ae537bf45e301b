import { describe, expect, it } from '@jest/globals';
import { MAX_ERROR_CHARS, extractHelmError } from './helm-error.extractor.js';
import { helmOutcome } from './helm-outcome.js';

describe('extractHelmError', () => {
  it('keeps helm’s own Error line and drops the progress chatter before it', () => {
    const stderr = [
      'Pulled: 127.0.0.1:55000/charts/broken-templates:0.1.0',
      'Digest: sha256:aa8aea9710325579bf99ac9b72659ffce354142fc27b6bb2c81480f938d1373c',
      'Error: execution error at (broken-templates/templates/fail.yaml:1:4): broken-templates: this chart fails to render on purpose',
    ];
    expect(extractHelmError(stderr, 1)).toBe(
      'Error: execution error at (broken-templates/templates/fail.yaml:1:4): broken-templates: this chart fails to render on purpose',
    );
  });

  it('keeps the lines that follow a multi-line error', () => {
    const stderr = [
      'WARNING: something',
      'Error: UPGRADE FAILED: YAML parse error on demo/templates/x.yaml:',
      '  line 3: mapping values are not allowed here',
      '',
    ];
    expect(extractHelmError(stderr, 1)).toBe(
      'Error: UPGRADE FAILED: YAML parse error on demo/templates/x.yaml:\n  line 3: mapping values are not allowed here',
    );
  });

  it('uses the last Error line when helm printed several', () => {
    expect(extractHelmError(['Error: first', 'retrying', 'Error: second'], 1)).toBe('Error: second');
  });

  it('without an Error line: the last meaningful lines, or the exit code', () => {
    expect(extractHelmError(['Pulled: x', 'panic: runtime error', 'goroutine 1'], 2)).toBe('panic: runtime error\ngoroutine 1');
    expect(extractHelmError(['Pulled: x', 'Digest: sha256:1'], 3)).toBe('helm exited with code 3 and printed no error');
    expect(extractHelmError([], null)).toBe('helm was terminated');
  });

  it('bounds the text', () => {
    const text = extractHelmError([`Error: ${'x'.repeat(10_000)}`], 1);
    expect(text.length).toBe(MAX_ERROR_CHARS);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('helmOutcome', () => {
  const ok = { exitCode: 0, timedOut: false, spawnError: null, stderrLines: [] };
  it('exit 0 is success', () => {
    expect(helmOutcome(ok, 1000)).toEqual({ ok: true });
  });
  it('a non-zero exit carries helm’s error', () => {
    expect(helmOutcome({ ...ok, exitCode: 1, stderrLines: ['Error: boom'] }, 1000)).toEqual({ ok: false, error: 'Error: boom' });
  });
  it('a killed helm says it was killed and when', () => {
    const o = helmOutcome({ ...ok, exitCode: null, timedOut: true, stderrLines: ['Error: context deadline exceeded'] }, 330_000);
    expect(o).toEqual({ ok: false, error: 'helm did not finish within 330s and was killed by naisd; last output:\nError: context deadline exceeded' });
  });
  it('a missing binary is a failure, not a crash', () => {
    expect(helmOutcome({ ...ok, exitCode: null, spawnError: 'helmx: spawn helmx ENOENT' }, 1000)).toEqual({
      ok: false,
      error: 'could not run helm: helmx: spawn helmx ENOENT',
    });
  });
});
