import { describe, expect, it } from '@jest/globals';
import { GoInt, GoSlice, type GoValue } from '../../value.js';
import { TemplateFuncError } from '../signature.js';
import { sprigFunctions } from './index.js';

const call = (name: string, ...args: GoValue[]): GoValue => sprigFunctions[name]!.fn(...args);

describe('sprig defaults and JSON', () => {
  it.each<[string, GoValue[], GoValue]>([
    ['default', ['latest', '1.4.2'], '1.4.2'],
    ['default', [3n, 0], 3n],
    ['default', ['x', null], 'x'],
    ['default', ['x'], 'x'],
    ['default', ['x', { a: 1 }], { a: 1 }],
    ['default', ['x', new GoInt('int64', 0n)], 'x'],
    ['empty', [null], true],
    ['empty', [[]], true],
    ['empty', [{}], true],
    ['empty', [false], true],
    ['empty', [0.5], false],
    ['empty', [new GoSlice('string', [])], true],
    ['coalesce', [0n, '', [], false, 'x'], 'x'],
    ['coalesce', [null, null], null],
    ['all', ['a', 1], true],
    ['all', ['a', 0], false],
    ['all', [], true],
    ['any', [null, false], false],
    ['any', [], false],
    ['ternary', ['m', 't', true], 'm'],
    ['ternary', ['m', 't', false], 't'],
    ['toJson', [{ zeta: 1, alpha: [1, 2.5], mid: { b: null, a: true } }], '{"alpha":[1,2.5],"mid":{"a":true,"b":null},"zeta":1}'],
    ['toJson', [[123456789012, 0.5, 1e21, 1e-7, 0.1, -0]], '[123456789012,0.5,1e+21,1e-7,0.1,-0]'],
    ['toJson', [{ a: 1n, b: new GoInt('int64', -2n), c: new GoSlice('string', ['x']) }], '{"a":1,"b":-2,"c":["x"]}'],
    ['toJson', ['a<b>&c\u2028'], '"a\\u003cb\\u003e\\u0026c\\u2028"'],
    ['toJson', ['\b\f\n\u0001'], '"\\u0008\\u000c\\n\\u0001"'],
    ['toJson', [NaN], ''],
    ['toPrettyJson', [{ q: 'a<b', l: [], m: {} }], '{\n  "l": [],\n  "m": {},\n  "q": "a\\u003cb"\n}'],
    ['toPrettyJson', [[1, [2]]], '[\n  1,\n  [\n    2\n  ]\n]'],
    ['toRawJson', [{ q: 'a<b>&c' }], '{"q":"a<b>&c"}'],
    ['fromJson', ['[1,2.5,"x"]'], [1, 2.5, 'x']],
    ['fromJson', ['{"a":{"b":[1,2]}}'], { a: { b: [1, 2] } }],
    ['fromJson', ['not json'], null],
    ['fromJson', ['null'], null],
  ])('%s %j', (name, args, expected) => {
    expect(call(name, ...args)).toEqual(expected);
  });

  it.each<[string, GoValue[], string]>([
    ['mustFromJson', ['not json'], ''],
    ['mustToJson', [Infinity], 'unsupported value'],
    ['fail', ['custom failure'], 'custom failure'],
  ])('%s fails: %j', (name, args, message) => {
    expect(() => call(name, ...args)).toThrow(TemplateFuncError);
    expect(() => call(name, ...args)).toThrow(message);
  });
});
