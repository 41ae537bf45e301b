import { describe, expect, it } from '@jest/globals';
import { validateConfigValue } from './config-value.js';
import type { ConfigType } from './model.js';

describe('validateConfigValue', () => {
  it.each<[ConfigType, unknown]>([
    ['string', 'v1.2.3'],
    ['string', ''],
    ['int', 3],
    ['int', -40],
    ['int', 0],
    ['bool', true],
    ['bool', false],
    ['string_array', []],
    ['string_array', ['a', 'b']],
  ])('%s accepts %j', (type, value) => {
    expect(validateConfigValue(type, value)).toEqual({ ok: true });
  });

  it.each<[ConfigType, unknown, string]>([
    ['string', 3, 'must be a string for config type string (got 3)'],
    ['string', null, 'must be a string for config type string (got nothing)'],
    ['int', 1.5, 'must be an integer for config type int (got 1.5)'],
    ['int', '3', 'must be an integer for config type int (got "3")'],
    ['int', 2 ** 60, `must be an integer for config type int (got ${2 ** 60})`],
    ['bool', 'true', 'must be true or false for config type bool (got "true")'],
    ['string_array', 'a', 'must be a list of strings for config type string_array (got "a")'],
    ['string_array', ['a', 1], 'must be a list of strings for config type string_array (got a list)'],
    ['string_array', { a: 'b' }, 'must be a list of strings for config type string_array (got a mapping)'],
  ])('%s refuses %j', (type, value, message) => {
    expect(validateConfigValue(type, value)).toEqual({ ok: false, message });
  });
});
