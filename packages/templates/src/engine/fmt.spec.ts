// Go fmt and strconv edge cases; every expected string was printed by Go 1.19.
import { describe, expect, it } from '@jest/globals';
import { fromJson } from './from-json.js';
import { formatGoValue, sprint, sprintf, sprintln } from './fmt.js';
import { formatFloat, quote, quoteToASCII, unquote } from './strconv.js';

describe('strconv.FormatFloat', () => {
  it('prints the shortest representation with Go exponent rules for %v', () => {
    const cases: [number, string][] = [
      [3, '3'],
      [0.5, '0.5'],
      [1e6, '1e+06'],
      [123456, '123456'],
      [123456789012, '1.23456789012e+11'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [1e21, '1e+21'],
      [0.1 + 0.2, '0.30000000000000004'],
      [-0, '-0'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
    ];
    for (const [x, s] of cases) expect(formatGoValue(x)).toBe(s);
  });

  it('rounds fixed precisions half to even on the exact binary value', () => {
    expect(sprintf('%.0f|%.0f|%.0f|%.1f|%.2f|%.3e', [0.5, 1.5, 2.5, 0.25, 1.005, 123456.5])).toBe('0|2|2|0.2|1.00|1.235e+05');
    expect(formatFloat(2.675, 'f', 2)).toBe('2.67');
    expect(formatFloat(1e-7, 'f', -1)).toBe('0.0000001');
    expect(formatFloat(1, 'x', -1)).toBe('0x1p+00');
    expect(formatFloat(1.5, 'b', -1)).toBe('6755399441055744p-52');
  });
});

describe('fmt.Sprintf', () => {
  it('handles %g forms, the # flag and hex', () => {
    expect(sprintf('%g|%g|%g|%v|%.3g|%#g|%#.3x|%x', [0.0001, 0.00001, 1e20, -0, 100, 1, 255n, 1])).toBe('0.0001|1e-05|1e+20|-0|100|1.00000|0x0ff|0x1p+00');
  });

  it('pads by runes, truncates by runes, and zero-pads after the sign', () => {
    const data = fromJson([{ a: [1, 'b', null] }]);
    expect(sprintf('%5.1q|%-6s|%06d|%+.2e|%x|% x', ['héllo', 'ab', -42n, 12345.678, 'hi', 'hi'])).toBe('  "h"|ab    |-00042|+1.23e+04|6869|68 69');
    expect(sprintf('%#v|%T', [Array.isArray(data) ? (data[0] ?? null) : null, data])).toBe(
      'map[string]interface {}{"a":[]interface {}{1, "b", interface {}(nil)}}|[]interface {}',
    );
  });

  it('reports bad verbs, missing and extra operands, and argument indexes like Go', () => {
    expect(sprintf('%d %s %!', [1.5, 2n])).toBe('%!d(float64=1.5) %!s(int=2) %!!(MISSING)');
    expect(sprintf('%[2]v %[1]v %v', [1n, 2n])).toBe('2 1 2');
    expect(sprintf('%*d|%-*d', [4n, 7n, 4n, 7n])).toBe('   7|7   ');
    expect(sprintf('%v', [])).toBe('%!v(MISSING)');
    expect(sprintf('x', [1n, null])).toBe('x%!(EXTRA int=1, <nil>)');
  });
});

describe('fmt.Sprint / Sprintln', () => {
  it('puts spaces only between operands that are not strings', () => {
    expect(sprint(['a', 1n, 2n, 'b', 3.5, true])).toBe('a1 2b3.5 true');
    expect(sprintln(['a', 1n])).toBe('a 1\n');
    expect(formatGoValue(fromJson({ b: 1, a: [true, null], '😀': {}, é: 'x' }))).toBe('map[a:[true <nil>] b:1 é:x 😀:map[]]');
  });
});

describe('strconv quoting', () => {
  it('quotes and unquotes like Go', () => {
    expect(quote('tab\t"q" é\u0000\u2028😀')).toBe('"tab\\t\\"q\\" é\\x00\\u2028😀"');
    expect(quoteToASCII('é😀')).toBe('"\\u00e9\\U0001f600"');
    expect(unquote('"\\x41\\101\\u00e9\\U0001F600\\a\\t\\\\\\""')).toBe('AAé😀\u0007\t\\"');
    expect(unquote('`a\\nb`')).toBe('a\\nb');
    expect(() => unquote('"\\q"')).toThrow('invalid syntax');
  });
});
