import { describe, expect, it } from '@jest/globals';
import { GoInt, GoMapOf, GoSlice, type GoValue } from '../../value.js';
import { sprigFunctions } from './index.js';

const call = (name: string, ...args: GoValue[]): GoValue => sprigFunctions[name]!.fn(...args);

describe('sprig reflection', () => {
  it.each<[GoValue, string, string]>([
    [[], '[]interface {}', 'slice'],
    [{}, 'map[string]interface {}', 'map'],
    [3n, 'int', 'int'],
    [new GoInt('int64', 3n), 'int64', 'int64'],
    [2, 'float64', 'float64'],
    ['x', 'string', 'string'],
    [true, 'bool', 'bool'],
    [null, '<nil>', 'invalid'],
    [new GoSlice('string', []), '[]string', 'slice'],
    [new GoSlice('int', []), '[]int', 'slice'],
    [new GoMapOf('string', {}, ''), 'map[string]string', 'map'],
  ])('typeOf/kindOf %j', (value, type, kind) => {
    expect(call('typeOf', value)).toBe(type);
    expect(call('kindOf', value)).toBe(kind);
    expect(call('typeIs', type, value)).toBe(true);
    expect(call('kindIs', kind, value)).toBe(true);
  });

  it('typeIsLike accepts a pointer to the type', () => {
    expect(call('typeIsLike', 'semver.Version', call('semver', '1.0.0'))).toBe(true);
    expect(call('typeIs', 'semver.Version', call('semver', '1.0.0'))).toBe(false);
  });

  it.each<[GoValue, GoValue, boolean]>([
    [{ a: 'x', b: ['y'] }, { b: ['y'], a: 'x' }, true],
    [{ a: 'x' }, { a: 'x', b: null }, false],
    [1, 1n, false],
    [[1], [1], true],
    [[1], new GoSlice('string', ['1']), false],
    [null, null, true],
  ])('deepEqual %j %j', (a, b, expected) => {
    expect(call('deepEqual', a, b)).toBe(expected);
  });
});
