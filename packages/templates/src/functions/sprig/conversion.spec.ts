import { describe, expect, it } from '@jest/globals';
import { GoInt, type GoValue } from '../../value.js';
import { TemplateFuncError } from '../signature.js';
import { sprigFunctions } from './index.js';

const call = (name: string, ...args: GoValue[]): GoValue => sprigFunctions[name]!.fn(...args);
const i64 = (n: number | bigint): GoInt => new GoInt('int64', BigInt(n));

describe('sprig conversion and math', () => {
  it.each<[string, GoValue[], GoValue]>([
    // spf13/cast: JSON numbers are float64 and truncate; strings parse with Go literal prefixes
    ['int', [2], 2n],
    ['int', [0.5], 0n],
    ['int', [-3.99], -3n],
    ['int', ['42'], 42n],
    ['int', ['08'], 0n],
    ['int', ['010'], 8n],
    ['int', ['0x1F'], 31n],
    ['int', ['0b101'], 5n],
    ['int', ['1_000'], 1000n],
    ['int', ['3.7'], 0n],
    ['int', ['3.0'], 3n],
    ['int', ['abc'], 0n],
    ['int', [' 3'], 0n],
    ['int', [true], 1n],
    ['int', [null], 0n],
    ['int', [['a']], 0n],
    ['int64', [123456789012], i64(123456789012)],
    ['float64', ['1.5'], 1.5],
    ['float64', [3n], 3],
    ['float64', ['x'], 0],
    ['float64', ['0x1_8p1'], 48],
    ['float64', ['0x1.8p1'], 3],
    // a long hex mantissa that fails at the end (the former pattern split digit runs two ways: quadratic)
    ['float64', [`0x${'1'.repeat(200_000)}!`], 0],
    ['atoi', ['42'], 42n],
    ['atoi', ['08'], 8n],
    ['atoi', ['1.5'], 0n],
    ['atoi', [' 3'], 0n],
    ['atoi', ['-7'], -7n],
    ['toDecimal', ['0777'], i64(511)],
    ['toDecimal', ['8'], i64(0)],
    ['toDecimal', [17n], i64(15)],
    ['add', [1.9, 1.9], i64(2)],
    ['add', [0.5, 1n], i64(1)],
    ['add', ['3', 1n], i64(4)],
    ['add', ['a', 1n], i64(1)],
    ['add', ['010', 0n], i64(8)],
    ['add', ['0x10', 0n], i64(16)],
    ['add', [], i64(0)],
    ['add', [9223372036854775807n, 1n], i64(-9223372036854775808n)],
    ['add1', [0.5], i64(1)],
    ['sub', [5n, 7n], i64(-2)],
    ['mul', [0.5, 1000n], i64(0)],
    ['mul', [2n, 3n, 4n], i64(24)],
    ['div', [7n, 2n], i64(3)],
    ['div', [-7n, 2n], i64(-3)],
    ['mod', [-7n, 3n], i64(-1)],
    ['max', [1n, 5n, 3n], i64(5)],
    ['max', [0.5, 0n], i64(0)],
    ['biggest', [2n, 9n], i64(9)],
    ['min', [4n, 2.9], i64(2)],
    ['min', [3n, -1n], i64(-1)],
    ['maxf', [1.5, 2.5, 0.1], 2.5],
    ['minf', [1.5, 2.5, 0.1], 0.1],
    ['maxf', [0.5, 0.25], 0.5],
    ['floor', [1.7], 1],
    ['floor', [-1.2], -2],
    ['floor', ['3.9'], 3],
    ['ceil', [-1.7], -1],
    ['ceil', [0.5], 1],
    ['round', [2.5, 0n], 3],
    ['round', [3.14159, 2n], 3.14],
    ['round', [1234.5678, -2n], 1200],
    ['round', [2.3, 0n, 0.3], 2],
    ['round', [2.2, 0n, 0.3], 2],
    ['addf', [0.1, 0.2], 0.3],
    ['subf', [1n, 0.9], 0.1],
    ['subf', [10n, 1n, 2n, 3.5], 3.5],
    ['mulf', [0.5, 1000n], 500],
    ['divf', [1n, 3n], 0.3333333333333333],
    ['divf', [10n, 4n], 2.5],
    ['divf', [512, 1024n], 0.5],
    ['divf', [2n, 3n], 0.6666666666666667],
    ['add1f', [1.5], 2.5],
  ])('%s %j', (name, args, expected) => {
    expect(call(name, ...args)).toEqual(expected);
  });

  it('fails on integer division by zero, as Go panics', () => {
    expect(() => call('div', 1n, 0n)).toThrow(TemplateFuncError);
    expect(() => call('mod', 1n, 0)).toThrow('integer divide by zero');
  });
});
