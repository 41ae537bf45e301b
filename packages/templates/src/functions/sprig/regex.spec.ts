import { describe, expect, it } from '@jest/globals';
import { GoSlice, type GoValue } from '../../value.js';
import { TemplateFuncError } from '../signature.js';
import { compileGoRegexp } from './go/regexp.js';
import { sprigFunctions } from './index.js';

const call = (name: string, ...args: GoValue[]): GoValue => sprigFunctions[name]!.fn(...args);
const strs = (...s: string[]): GoSlice => new GoSlice('string', s);

describe('sprig regex functions', () => {
  it.each<[string, GoValue[], GoValue]>([
    ['regexMatch', ['^[0-9]+\\.[0-9]+\\.[0-9]+$', '1.27.4'], true],
    ['regexMatch', ['^[0-9]+$', '1.27.4'], false],
    ['regexMatch', ['(', 'x'], false],
    ['mustRegexMatch', ['(?i)^ACME', 'acme-dev'], true],
    ['regexFind', ['[0-9]+', 'ab12cd34'], '12'],
    ['regexFind', ['z', 'abc'], ''],
    ['regexFindAll', ['[0-9]+', 'a1b22c333', -1n], strs('1', '22', '333')],
    ['regexFindAll', ['[a-z]+', 'abc 123 def', 1n], strs('abc')],
    ['regexFindAll', ['x', 'abc', -1n], strs()],
    // Go drops an empty match right after a match (JavaScript's matchAll would not)
    ['regexFindAll', ['a*', 'baaac', -1n], strs('', 'aaa', '')],
    ['regexReplaceAll', ['(a)', 'xa', '$1W'], 'x'],
    ['regexReplaceAll', ['(a)', 'xa', '${1}W'], 'xaW'],
    ['regexReplaceAll', ['a(x*)b', '-ab-axxb-', '${1}W'], '-W-xxW-'],
    ['regexReplaceAll', ['(?P<first>\\w+) (?P<last>\\w+)', 'Ada Lovelace', '${last}, $first'], 'Lovelace, Ada'],
    ['regexReplaceAll', ['a*', 'baaac', '-'], '-b-c-'],
    ['regexReplaceAll', ['x', 'axb', '$$'], 'a$b'],
    ['regexReplaceAllLiteral', ['(a)', 'xa', '$1'], 'x$1'],
    ['regexSplit', ['[-.]', 'dev.acme-example.com', -1n], strs('dev', 'acme', 'example', 'com')],
    ['regexSplit', ['z+', 'pizza', -1n], strs('pi', 'a')],
    ['regexSplit', ['z+', 'pizza', 1n], strs('pizza')],
    ['regexSplit', ['', 'abc', -1n], strs('a', 'b', 'c')],
    ['regexSplit', ['x', '', -1n], strs('')],
    ['regexQuoteMeta', ['1.2.3+x'], '1\\.2\\.3\\+x'],
    // RE2 syntax translated to JavaScript
    ['regexMatch', ['^\\s+$', '\u00a0'], false],
    ['regexMatch', ['[[:alpha:]]+[[:digit:]]', 'abc1'], true],
    ['regexMatch', ['[[:^digit:]]', '123'], false],
    ['regexMatch', ['\\Aab\\z', 'ab'], true],
    ['regexMatch', ['\\Q1.2\\E', '1x2'], false],
    ['regexMatch', ['a.c', 'a\rc'], true],
    ['regexMatch', ['a.c', 'a\nc'], false],
    ['regexMatch', ['(?s)a.c', 'a\nc'], true],
    ['regexMatch', ['(?m)^b$', 'a\nb\nc'], true],
    ['regexMatch', ['^b$', 'a\nb\nc'], false],
    ['regexMatch', ['a{2}', 'aa'], true],
    ['regexMatch', ['a{', 'a{'], true],
    ['regexMatch', ['\\pL\\p{Greek}', 'xλ'], true],
    ['regexMatch', ['[]a]', ']'], true],
    ['regexFind', ['(?U)a+', 'aaa'], 'a'],
    ['regexFind', ['a(?i)B', 'ab'], 'ab'],
  ])('%s %j', (name, args, expected) => {
    expect(call(name, ...args)).toEqual(expected);
  });

  // Go's RE2 is linear-time; on JavaScript's backtracking RegExp each of these ran for minutes to hours (one exec
  // cannot be interrupted). re2js (RE2) answers them like Go: no match.
  describe('catastrophic-backtracking patterns answer like RE2', () => {
    const a = (n: number, tail = ''): string => 'a'.repeat(n) + tail;
    const hostile: [string, string][] = [
      ['^(a+)+$', a(40, 'b')],
      ['^(a|a)*$', a(50, 'b')],
      ['(a*)*b', a(50)],
      ['^(a|aa)+$', a(50, 'b')],
      ['^((a+)+)+$', a(50, 'b')],
      ['(x+x+)+y', 'x'.repeat(50)],
      ['^(\\w+\\s?)*$', `${a(50)}!`],
      ['(?i)^(A+)+$', a(50, 'b')],
      ['^(a{1,30}){1,30}$', a(50, 'b')],
      ['^([a-z0-9-]+\\.?)+[a-z]$', `${'a.'.repeat(20)}-`],
    ];
    it.each(hostile)('%s', (re, s) => {
      expect(call('regexMatch', re, s)).toBe(false);
      expect(call('mustRegexMatch', re, s)).toBe(false);
      expect(call('regexFind', re, s)).toBe('');
      expect(call('mustRegexFind', re, s)).toBe('');
      expect(call('regexFindAll', re, s, -1n)).toEqual(strs());
      expect(call('regexReplaceAll', re, s, 'X')).toBe(s);
      expect(call('regexReplaceAllLiteral', re, s, 'X')).toBe(s);
      expect(call('regexSplit', re, s, -1n)).toEqual(strs(s));
    });

    it('matches what does match, over a long input', () => {
      expect(call('regexMatch', '^(a+)+$', a(100_000))).toBe(true);
      expect(call('regexFind', '(a|a)*$', a(50, 'b'))).toBe('');
      expect(call('regexReplaceAll', '^(a+)+', a(40, 'b'), '<$1>')).toBe(`<${a(40)}>b`);
    });

    it('semver constraints (Masterminds patterns, also run by the Go engine)', () => {
      // validConstraintRegex on a backtracking RegExp: ~6 s at 14 repeats, doubling with each
      expect(() => call('semverCompare', `1${',   1'.repeat(40)}!`, '1.0.0')).toThrow('improper constraint');
      expect(call('semverCompare', `1${',   >=1'.repeat(40)}`, '1.0.0')).toBe(true);
    });
  });

  it.each<[string, GoValue[], GoValue]>([
    // (?flags) holds to the end of the group, across its alternatives: x(?i)A|b is xA|b, both folded
    ['regexFindAll', ['x(?i)A|b', 'B xa', -1n], strs('B', 'xa')],
    // RE2 keeps a group's capture from an earlier iteration (JavaScript resets it each iteration)
    ['regexReplaceAll', ['((a)|b)*', 'ab', '${1}${2}'], 'ba'],
    // a nullable x* runs as (x+)? (golang.org/issue/46123)
    ['regexFindAll', ['(|a)*', 'aa', -1n], strs('', '', '')],
  ])('Go semantics: %s %j', (name, args, expected) => {
    expect(call(name, ...args)).toEqual(expected);
  });

  // messages and results checked against Go 1.19's regexp
  it.each<[string, string]>([
    ['(', 'error parsing regexp: missing closing ): `(`'],
    ['a**', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['x{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
    ['[z-a]', 'error parsing regexp: invalid character class range: `z-a`'],
    ['\\8', 'error parsing regexp: invalid escape sequence: `\\8`'],
    // named groups as `(?<name>` came with Go 1.22; Go 1.19 (what the original ran) refuses them
    ['(?<name>x)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?<`'],
    ['a(?<n>x)(', 'error parsing regexp: invalid or unsupported Perl syntax: `(?<`'],
    ['a**(?<n>x)', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['(?P<a-b>x)', 'error parsing regexp: invalid named capture: `(?P<a-b>`'],
    ['(?i-)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`'],
  ])('refuses %s with Go 1.19 message', (re, message) => {
    expect(() => compileGoRegexp(re)).toThrow(new Error(message));
    expect(() => call('mustRegexFind', re, 'x')).toThrow(new TemplateFuncError(message));
  });

  it.each<[string, GoValue[], GoValue]>([
    // the `(?<` only looks like a named group where it opens one
    ['regexFind', ['\\Q(?<\\E', 'a(?<b'], '(?<'],
    ['regexFind', ['[(?<]+', 'a(?<b'], '(?<'],
    ['regexFind', ['\\(?<', 'a<b'], '<'],
    ['regexFind', ['a(?)b', 'ab'], 'ab'],
    // Go 1.19 accepts a repeated group name; $name expands the first group of that name that took part
    ['regexReplaceAll', ['(?P<x>a)|(?P<x>b)', 'ab', '[$x]'], '[a][b]'],
    ['regexReplaceAll', ['(?P<x>a)(?P<y>c)?|(?P<x>b)', 'acb', '[${x}${y}]'], '[ac][b]'],
  ])('Go 1.19 syntax: %s %j', (name, args, expected) => {
    expect(call(name, ...args)).toEqual(expected);
  });

  it.each(['(', 'a**', '(?=x)', '(?<name>x)', '\\1', 'x{1001}', '[z-a]', '\\8', '(a{100}){100}', '[\\b]', '[\\A]'])('rejects %s like RE2', (re) => {
    expect(() => compileGoRegexp(re)).toThrow('error parsing regexp');
    expect(() => call('regexFind', re, 'x')).toThrow(TemplateFuncError);
    expect(() => call('mustRegexFind', re, 'x')).toThrow(TemplateFuncError);
  });
});
