import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { LogLine } from '@fasit/bus';
import { LogStreamer, MAX_LINE_CHARS } from './log.streamer.js';

const at = new Date('2026-11-24T08:00:00.000Z');

function recorder(): { batches: LogLine[][]; send: (lines: LogLine[]) => Promise<void> } {
  const batches: LogLine[][] = [];
  return { batches, send: (lines) => (batches.push(lines), Promise.resolve()) };
}

describe('LogStreamer', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('sends buffered lines every flush interval, and nothing when there is nothing new', async () => {
    jest.useFakeTimers();
    const r = recorder();
    const s = new LogStreamer(r.send, { flushIntervalMs: 2_000, now: () => at });
    s.write('one');
    s.write('two');
    expect(r.batches).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(r.batches).toEqual([
      [
        { time: at.toISOString(), msg: 'one', kind: 'helm' },
        { time: at.toISOString(), msg: 'two', kind: 'helm' },
      ],
    ]);
    await jest.advanceTimersByTimeAsync(6_000);
    expect(r.batches).toHaveLength(1);
    s.write('three', 'event');
    await s.close();
    expect(r.batches[1]).toEqual([{ time: at.toISOString(), msg: 'three', kind: 'event' }]);
  });

  it('flushes what is left on close, and ignores writes after close', async () => {
    const r = recorder();
    const s = new LogStreamer(r.send, { flushIntervalMs: 60_000 });
    s.write('last words');
    await s.close();
    s.write('too late');
    await s.close();
    expect(r.batches.map((b) => b.map((l) => l.msg))).toEqual([['last words']]);
  });

  it('sends a full batch at once, in order, and bounds long lines', async () => {
    const r = recorder();
    const s = new LogStreamer(r.send, { flushIntervalMs: 60_000, maxLinesPerBatch: 3 });
    for (let i = 1; i <= 7; i++) s.write(`line ${i}`);
    s.write('x'.repeat(MAX_LINE_CHARS + 50));
    await s.close();
    expect(r.batches.map((b) => b.map((l) => l.msg.slice(0, 6)))).toEqual([
      ['line 1', 'line 2', 'line 3'],
      ['line 4', 'line 5', 'line 6'],
      ['line 7', 'xxxxxx'],
    ]);
    expect(r.batches[2]?.[1]?.msg.length).toBe(MAX_LINE_CHARS);
  });

  it('a batch that cannot be sent is reported and dropped; later batches still go', async () => {
    const errors: unknown[] = [];
    const sent: string[][] = [];
    let fail = true;
    const s = new LogStreamer(
      (lines) => {
        if (fail) {
          fail = false;
          return Promise.reject(new Error('bus down'));
        }
        sent.push(lines.map((l) => l.msg));
        return Promise.resolve();
      },
      { flushIntervalMs: 60_000, maxLinesPerBatch: 1, onError: (e) => errors.push(e) },
    );
    s.write('lost');
    s.write('kept');
    await s.close();
    expect(sent).toEqual([['kept']]);
    expect((errors[0] as Error).message).toBe('bus down');
  });
});
