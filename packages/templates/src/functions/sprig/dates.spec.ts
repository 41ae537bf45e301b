import { describe, expect, it } from '@jest/globals';
import { GoInt, type GoValue } from '../../value.js';
import { TemplateFuncError } from '../signature.js';
import { GoTime, durationString, parseDuration } from './go/time.js';
import { NONDETERMINISTIC_FUNCTIONS, deterministicFunctions, withDeterministicScope } from '../../values/deterministic.js';
import { sprigFunctions } from './index.js';

const call = (name: string, ...args: GoValue[]): GoValue => sprigFunctions[name]!.fn(...args);
const t = (layout: string, value: string): GoTime => call('mustToDate', layout, value) as GoTime;

describe('sprig dates and durations', () => {
  it.each<[string, GoValue[], GoValue]>([
    ['duration', ['95'], '1m35s'],
    ['duration', ['3600'], '1h0m0s'],
    ['duration', ['0'], '0s'],
    ['duration', [new GoInt('int64', 90061n)], '25h1m1s'],
    ['duration', [95n], '0s'],
    ['durationRound', ['2h10m5s'], '2h'],
    ['durationRound', ['-3m'], '3m'],
    ['durationRound', ['800h'], '1mo'],
    ['durationRound', ['1s'], '0s'],
    ['date', ['2006-01-02', 86400n], '1970-01-02'],
    ['dateInZone', ['2006-01-02 15:04:05 MST', 0n, 'UTC'], '1970-01-01 00:00:00 UTC'],
    ['dateInZone', ['15:04 -07:00', 0n, 'Europe/Oslo'], '01:00 +01:00'],
    ['dateInZone', ['2006', 0n, 'Not/AZone'], '1970'],
    ['htmlDate', [0n], '1970-01-01'],
    ['htmlDateInZone', [0n, 'America/New_York'], '1969-12-31'],
  ])('%s %j', (name, args, expected) => {
    expect(call(name, ...args)).toEqual(expected);
  });

  it('formats with Go reference layouts', () => {
    const x = t('2006-01-02T15:04:05.000Z07:00', '2024-03-05T07:08:09.120+02:00');
    expect(call('date', 'Mon Jan _2 03:04:05.999 PM -0700 2006', x)).toBe('Tue Mar  5 05:08:09.12 AM +0000 2024');
    expect(call('date', 'January 2, 06 15h', x)).toBe('March 5, 24 05h');
    expect(call('unixEpoch', x)).toBe('1709615289');
    expect(x.format()).toBe('2024-03-05 07:08:09.12 +0200 +0200');
  });

  it('parses, modifies and rejects times like Go', () => {
    const d = t('2006-01-02', '2024-05-01');
    expect(call('date', '2006-01-02 15:04', call('dateModify', '-1.5h', d))).toBe('2024-04-30 22:30');
    expect(call('dateModify', 'nonsense', d)).toBe(d);
    expect(() => call('mustDateModify', 'nonsense', d)).toThrow(TemplateFuncError);
    expect(call('date', '2006', call('toDate', '2006-01-02', 'nope'))).toBe('0001');
    expect(() => call('mustToDate', '2006-01-02', '2024-02-30')).toThrow('day out of range');
    expect(() => call('mustToDate', '2006-01-02', '2024-05-01x')).toThrow('extra text');
  });

  it('reads the clock only in now/ago', () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    const now = call('now') as GoTime;
    expect(now.ns).toBeGreaterThanOrEqual(before);
    expect(call('ago', now)).toBe('0s');
  });

  it.each<[string, bigint]>([
    ['1h30m', 5_400_000_000_000n],
    ['-1.5h', -5_400_000_000_000n],
    ['300ms', 300_000_000n],
    ['1µs', 1000n],
    ['0', 0n],
  ])('parses duration %s', (s, ns) => {
    expect(parseDuration(s)).toBe(ns);
  });

  it.each<[bigint, string]>([
    [0n, '0s'],
    [1500n, '1.5µs'],
    [1_500_000n, '1.5ms'],
    [61_000_000_000n, '1m1s'],
    [-3_600_000_000_000n, '-1h0m0s'],
    [1_234_567_890n, '1.23456789s'],
  ])('formats duration %s', (ns, s) => {
    expect(durationString(ns)).toBe(s);
  });
});

describe('the date functions that read the clock', () => {
  const clockReaders = ['date', 'dateInZone', 'date_in_zone', 'htmlDate', 'htmlDateInZone', 'durationRound'];

  it('are in NONDETERMINISTIC_FUNCTIONS, so the secret-taint probe memoises them', () => {
    for (const name of clockReaders) {
      expect(NONDETERMINISTIC_FUNCTIONS).toContain(name);
      expect(sprigFunctions[name]).toBeDefined();
    }
    const det = deterministicFunctions(sprigFunctions);
    for (const name of clockReaders) expect(det[name]).not.toBe(sprigFunctions[name]);
  });

  it('give one answer per scope for a non-time (which they format as now)', () => {
    const det = deterministicFunctions(sprigFunctions);
    const layout = '2006-01-02T15:04:05.000000000';
    withDeterministicScope(() => {
      const first = det['dateInZone']!.fn(layout, 'not a time', 'UTC');
      expect(det['dateInZone']!.fn(layout, 'not a time', 'UTC')).toBe(first);
      const age = det['durationRound']!.fn(t('2006-01-02', '2020-01-01'));
      expect(det['durationRound']!.fn(t('2006-01-02', '2020-01-01'))).toBe(age);
    });
  });
});
