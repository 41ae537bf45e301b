import { describe, expect, it } from '@jest/globals';
import { parseGoInt, parseYamlV2, parseYamlV2Slow } from './parse-output.js';

describe('parseGoInt (strconv.ParseInt(s, 0, 64))', () => {
  it.each([
    ['0', 0n],
    ['42', 42n],
    ['+7', 7n],
    ['-0x1f', -31n],
    ['0X1F', 31n],
    ['0o17', 15n],
    ['017', 15n],
    ['0b101', 5n],
    ['9223372036854775807', 9223372036854775807n],
    ['18446744073709551615', 18446744073709551615n],
    ['18446744073709551616', undefined],
    ['08', undefined],
    ['1.0', undefined],
    ['', undefined],
    ['-', undefined],
    ['0x', undefined],
    ['12a', undefined],
  ])('%s', (text, want) => {
    expect(parseGoInt(text)).toBe(want);
  });
});

describe('parseYamlV2', () => {
  it.each([
    ['08', 8],
    ['.5', 0.5],
    ['-.5', -0.5],
    ['.inf', Number.POSITIVE_INFINITY],
    ['-.Inf', Number.NEGATIVE_INFINITY],
    ['NULL', null],
    ['y', true],
    ['N', false],
    ['_1', '_1'],
    ['1.2.3', '1.2.3'],
    ['v1.2.3', 'v1.2.3'],
    ['!!str 3', '3'],
    ['!!int "3"', 3],
    ['"a\\tb"', 'a\tb'],
    ["'it''s'", "it's"],
    ['first\n---\nsecond', 'first'],
    ['- a\n- b: 1', ['a', { b: 1 }]],
    ['__proto__: x', JSON.parse('{"__proto__": "x"}') as unknown],
  ])('%j', (text, want) => {
    expect(parseYamlV2(text)).toEqual(want);
  });

  it('expands aliases into independent copies', () => {
    const v = parseYamlV2('a: &a {x: [1]}\nb: *a') as { a: { x: number[] }; b: { x: number[] } };
    expect(v).toEqual({ a: { x: [1] }, b: { x: [1] } });
    expect(v.b).not.toBe(v.a);
    expect(v.b.x).not.toBe(v.a.x);
  });

  it.each([
    ['a: &a [1, *a]', 'yaml: anchor value contains itself'],
    ['&a {x: *a}', 'yaml: anchor value contains itself'],
  ])('refuses a node that contains itself: %j', (text, message) => {
    expect(() => parseYamlV2(text)).toThrow(message);
  });

  it('refuses a document whose aliases expand out of proportion ("billion laughs")', () => {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 12; i++) text += `a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]\n`;
    // 9^12 nodes if expanded: the aliasing check refuses it before (the error says so; no clock assertion)
    expect(() => parseYamlV2(text)).toThrow('yaml: document contains excessive aliasing');
    // a few levels of the same are fine
    expect(() => parseYamlV2(text.split('\n').slice(0, 3).join('\n'))).not.toThrow();
  });

  it('reports a syntax error with its line', () => {
    expect(() => parseYamlV2('a: 1\nb: [\n')).toThrow(/^yaml: line \d+: /);
    expect(() => parseYamlV2('a: b: c')).toThrow(/^yaml: /);
  });

  it('takes the fast paths only where they agree with the full parser', () => {
    // every combination of up to three characters from an alphabet of the characters the fast paths look at
    const alphabet = ['0', '1', '9', 'x', 'o', 'b', 'e', 'E', 'y', 'n', '_', '.', '-', '+', '/', '@', '"', ' ', '\n', '~', ':', '#', 'N', 'a'];
    const texts: string[] = [''];
    for (const a of alphabet) {
      texts.push(a);
      for (const b of alphabet) {
        texts.push(a + b);
        for (const c of alphabet) texts.push(a + b + c);
      }
    }
    texts.push('true', 'False', 'yes', 'off', 'null', '0x1F', '1_000', '1e3', '-1.5e-3', '2024-01-02', '"quoted text"', '" x "', 'a.b@c/d', '.nan');
    const mismatches: string[] = [];
    for (const text of texts) {
      let slow: unknown;
      try {
        slow = parseYamlV2Slow(text);
      } catch {
        slow = 'ERROR';
      }
      let fast: unknown;
      try {
        fast = parseYamlV2(text);
      } catch {
        fast = 'ERROR';
      }
      if (!Object.is(fast, slow) && JSON.stringify(fast) !== JSON.stringify(slow))
        mismatches.push(`${JSON.stringify(text)}: fast ${JSON.stringify(fast)} slow ${JSON.stringify(slow)}`);
    }
    expect(texts.length).toBeGreaterThan(14_000);
    expect(mismatches).toEqual([]);
  });
});
