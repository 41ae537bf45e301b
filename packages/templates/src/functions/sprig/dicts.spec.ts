import { describe, expect, it } from '@jest/globals';
import { GoSlice, type GoMap, type GoValue } from '../../value.js';
import { TemplateFuncError } from '../signature.js';
import { sprigFunctions } from './index.js';

const call = (name: string, ...args: GoValue[]): GoValue => sprigFunctions[name]!.fn(...args);

describe('sprig dict functions', () => {
  it.each<[string, GoValue[], GoValue]>([
    ['dict', ['a'], { a: '' }],
    ['dict', ['a', 1n, 'b'], { a: 1n, b: '' }],
    ['dict', [1n, 2n, true, 3n], { '1': 2n, true: 3n }],
    ['get', [{ a: 1 }, 'a'], 1],
    ['get', [{ a: 1 }, 'b'], ''],
    ['get', [{ a: null }, 'a'], null],
    ['get', [{}, 'constructor'], ''],
    ['hasKey', [{ owner: null }, 'owner'], true],
    ['hasKey', [{}, 'toString'], false],
    ['hasKey', [null, 'a'], false],
    ['pluck', ['a', { a: 1n }, { b: 2n }, { a: 3n }], [1n, 3n]],
    ['keys', [{ b: 1, a: 2 }, { c: 3 }], new GoSlice('string', ['a', 'b', 'c'])],
    ['values', [{ b: 1, a: 2 }], [2, 1]],
    ['pick', [{ a: 1, b: 2, c: 3 }, 'a', 'c', 'x'], { a: 1, c: 3 }],
    ['omit', [{ a: 1, b: 2, c: 3 }, 'a', 'c'], { b: 2 }],
    ['dig', ['image', 'tag', 'latest', { image: { tag: '1.4.2' } }], '1.4.2'],
    ['dig', ['image', 'nope', 'latest', { image: { tag: '1.4.2' } }], 'latest'],
    ['dig', ['a', 'x', { a: null }], null],
    [
      'merge',
      [
        { a: 1, b: { x: 1 } },
        { a: 2, b: { y: 2 }, c: 3 },
      ],
      { a: 1, b: { x: 1, y: 2 }, c: 3 },
    ],
    [
      'merge',
      [
        { a: '', b: 0, c: false, d: null },
        { a: 'x', b: 1, c: true, d: 'y' },
      ],
      { a: 'x', b: 1, c: true, d: 'y' },
    ],
    ['merge', [{ a: 'keep' }, { a: { nested: 1 } }], { a: 'keep' }],
    ['merge', [null, { a: 1 }], { a: 1 }],
    [
      'mergeOverwrite',
      [
        { a: 1, n: { x: 1, y: 2 } },
        { a: 2, n: { y: 3 } },
      ],
      { a: 2, n: { x: 1, y: 3 } },
    ],
    [
      'mergeOverwrite',
      [
        { a: 'x', b: 1, c: true },
        { a: '', b: 0, c: false },
      ],
      { a: '', b: 0, c: false },
    ],
    ['mergeOverwrite', [{ a: 1 }, { a: null }], { a: null }],
    ['mergeOverwrite', [{ l: [1, 2] }, { l: [] }], { l: [] }],
    ['mergeOverwrite', [{ a: 'x' }, { a: { b: 1 } }], { a: 'x' }],
  ])('%s %j', (name, args, expected) => {
    expect(call(name, ...args)).toEqual(expected);
  });

  it('mutates the map it is given, like Go', () => {
    const m: GoMap = { a: 1 };
    expect(call('set', m, 'b', 2)).toBe(m);
    expect(m).toEqual({ a: 1, b: 2 });
    call('unset', m, 'a');
    expect(m).toEqual({ b: 2 });
    const dst: GoMap = { x: { y: 1 } };
    call('merge', dst, { x: { z: 2 } });
    expect(dst).toEqual({ x: { y: 1, z: 2 } });
  });

  it('treats any key as data, never as an object property', () => {
    const m: GoMap = {};
    call('set', m, '__proto__', 'x');
    expect(Object.keys(m)).toEqual(['__proto__']);
    expect(call('get', m, '__proto__')).toBe('x');
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
  });

  it('deepCopy copies maps and lists recursively', () => {
    const src: GoMap = { a: [{ b: 1 }] };
    const c = call('deepCopy', src) as GoMap;
    expect(c).toEqual(src);
    expect(c.a).not.toBe(src.a);
  });

  it.each<[string, GoValue[], string]>([
    ['dig', ['name', 'x', 'none', { name: 'dev' }], 'interface conversion: interface {} is string, not map[string]interface {}'],
    ['dig', ['a', { a: 1 }], 'dig needs at least three arguments'],
    ['set', [null, 'a', 1n], 'assignment to entry in nil map'],
  ])('%s fails: %j', (name, args, message) => {
    expect(() => call(name, ...args)).toThrow(TemplateFuncError);
    expect(() => call(name, ...args)).toThrow(message);
  });
});
