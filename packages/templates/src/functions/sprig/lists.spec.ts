import { describe, expect, it } from '@jest/globals';
import { GoSlice, type GoValue } from '../../value.js';
import { TemplateFuncError } from '../signature.js';
import { sprigFunctions } from './index.js';

const call = (name: string, ...args: GoValue[]): GoValue => sprigFunctions[name]!.fn(...args);
const ints = (...n: number[]): GoSlice => new GoSlice('int', n.map(BigInt));
const zones = new GoSlice('string', ['a', 'b']);

describe('sprig list functions', () => {
  it.each<[string, GoValue[], GoValue]>([
    ['list', [1n, 'a', null], [1n, 'a', null]],
    ['first', [[1n, 2n]], 1n],
    ['first', [[]], null],
    ['last', [zones], 'b'],
    ['rest', [zones], ['b']],
    ['rest', [[]], []],
    ['initial', [[1n, 2n, 3n]], [1n, 2n]],
    ['append', [zones, 'c'], ['a', 'b', 'c']],
    ['push', [[], 1n], [1n]],
    ['prepend', [zones, 'z'], ['z', 'a', 'b']],
    ['concat', [zones, [1n, 2n], []], ['a', 'b', 1n, 2n]],
    ['concat', [], []],
    ['reverse', [[1n, 2n, 3n]], [3n, 2n, 1n]],
    ['uniq', [['a', 'b', 'a', null, null]], ['a', 'b', null]],
    ['uniq', [[1n, 1, 1n]], [1n, 1]],
    ['without', [[1n, 2n, 3n, 2n], 2n], [1n, 3n]],
    ['without', [zones, 'a'], ['b']],
    ['has', [2n, [1, 2]], false],
    ['has', [2, [1, 2]], true],
    ['has', [2n, [1n, 2n]], true],
    ['has', ['x', null], false],
    ['compact', [[null, 'a', '', 0, false, [], {}, 'b']], ['a', 'b']],
    ['slice', [zones, 1n, 2n], new GoSlice('string', ['b'])],
    ['slice', [[1n, 2n, 3n, 4n], 2n], [3n, 4n]],
    ['slice', [[1n, 2n]], [1n, 2n]],
    ['slice', [[]], null],
    ['chunk', [2n, [1n, 2n, 3n, 4n, 5n]], new GoSlice('[]interface {}', [[1n, 2n], [3n, 4n], [5n]])],
    ['until', [3n], ints(0, 1, 2)],
    ['until', [0n], ints()],
    ['until', [-2n], ints(0, -1)],
    ['untilStep', [0n, 6n, 2n], ints(0, 2, 4)],
    ['untilStep', [6n, 0n, -2n], ints(6, 4, 2)],
    ['untilStep', [0n, 6n, -1n], ints()],
    ['seq', [3n], '1 2 3'],
    ['seq', [2n, 5n], '2 3 4 5'],
    ['seq', [5n, 1n], '5 4 3 2 1'],
    ['seq', [0n, 2n, 10n], '0 2 4 6 8 10'],
    ['seq', [], ''],
    ['seq', [0n], '1 0'],
    ['seq', [10n, 2n, 0n], ''],
  ])('%s %j', (name, args, expected) => {
    expect(call(name, ...args)).toEqual(expected);
  });

  it('never mutates its input', () => {
    const l: GoValue[] = ['x'];
    call('append', l, 'y');
    call('reverse', l);
    expect(l).toEqual(['x']);
  });

  it.each<[string, GoValue[], string]>([
    ['first', ['abc'], 'Cannot find first on type string'],
    ['mustLast', [{}], 'Cannot find last on type map'],
    ['append', [null, 1n], 'nil pointer'],
    ['slice', ['abcdef', 1n, 3n], 'list should be type of slice or array but string'],
    ['slice', [[1n], 0n, 5n], 'slice index out of range'],
    ['concat', [[1n], 'x'], 'Cannot concat type string as list'],
  ])('%s fails: %j', (name, args, message) => {
    expect(() => call(name, ...args)).toThrow(TemplateFuncError);
    expect(() => call(name, ...args)).toThrow(message);
  });
});
