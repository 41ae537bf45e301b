import { describe, expect, it } from '@jest/globals';
import { compareVersions } from './versions.js';

describe('compareVersions (SemVer 2 precedence)', () => {
  it.each([
    ['0.1.0', '0.2.0', -1],
    ['1.10.0', '1.9.0', 1],
    ['2.0.0', '2.0.0', 0],
    ['1.0.0-alpha', '1.0.0', -1],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta', -1],
    ['1.0.0-beta.11', '1.0.0-beta.2', 1],
    ['1.0.0-rc.1', '1.0.0-rc.1.1', -1],
    ['1.0.0+build.5', '1.0.0', 0],
    ['v1.2.3', '1.2.4', -1],
    ['latest', '1.0.0', 0],
  ])('%s vs %s → %i', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });
});
