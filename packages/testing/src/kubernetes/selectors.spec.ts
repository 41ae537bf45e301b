import { describe, expect, it } from '@jest/globals';
import { SelectorError, matches, parseSelector } from './selectors.js';

describe('label selectors', () => {
  const labels = { owner: 'helm', status: 'deployed', name: 'demo' };
  it.each([
    ['owner=helm', true],
    ['owner==helm,name=demo', true],
    ['owner!=helm', false],
    ['status in (deployed, failed)', true],
    ['status notin (deployed)', false],
    ['owner', true],
    ['!owner', false],
    ['!missing', true],
    ['missing=x', false],
    ['missing!=x', true],
  ])('%s → %s', (selector, expected) => {
    expect(matches(parseSelector(selector), labels)).toBe(expected);
  });

  it.each(['a in b', '=x', '!a=b', 'a=b,,'])('refuses %j naming what it could not parse', (selector) => {
    expect(() => parseSelector(selector)).toThrow(SelectorError);
    expect(() => parseSelector(selector)).toThrow(/^unable to parse requirement: /);
  });
});
