import { describe, expect, it } from '@jest/globals';
import { closest } from './suggest.js';

describe('closest', () => {
  const fields = ['displayName', 'description', 'required', 'config', 'computed', 'ignoreKind'];

  it.each([
    ['conifg', 'config'],
    ['ignorekind', 'ignoreKind'],
    ['computd', 'computed'],
    ['requried', 'required'],
    ['confgi', 'config'],
  ])('suggests %s → %s', (typo, expected) => {
    expect(closest(typo, fields)).toBe(expected);
  });

  it('suggests nothing for a word that is not a typo of any', () => {
    expect(closest('replicas', fields)).toBeUndefined();
    expect(closest('x', [])).toBeUndefined();
  });
});
