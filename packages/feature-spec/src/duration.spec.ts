import { describe, expect, it } from '@jest/globals';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['90s', 90_000],
    ['20m0s', 1_200_000],
    ['1800s', 1_800_000],
    ['2h', 7_200_000],
    ['1h2m3s', 3_723_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '10', '5 minutes', '30s5m', '1.5h', '10ms', '-1m', '1d'])('refuses %j', (text) => {
    expect(() => parseDuration(text)).toThrow(expect.objectContaining({ code: 'invalid-duration' }));
  });
});
