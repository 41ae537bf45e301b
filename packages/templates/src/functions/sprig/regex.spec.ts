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

  it.each(['(', 'a**', '(?=x)', '(?<name>x)', '\\1', 'x{1001}', '[z-a]', '\\8'])('rejects %s like RE2', (re) => {
    expect(() => compileGoRegexp(re)).toThrow('error parsing regexp');
    expect(() => call('regexFind', re, 'x')).toThrow(TemplateFuncError);
    expect(() => call('mustRegexFind', re, 'x')).toThrow(TemplateFuncError);
  });
});
