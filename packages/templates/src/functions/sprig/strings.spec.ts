import { describe, expect, it } from '@jest/globals';
import { GoMapOf, GoSlice, type GoValue } from '../../value.js';
import { TemplateFuncError } from '../signature.js';
import { sprigFunctions } from './index.js';

const call = (name: string, ...args: GoValue[]): GoValue => {
  const f = sprigFunctions[name];
  if (!f) throw new Error(`no function ${name}`);
  return f.fn(...args);
};

describe('sprig string functions', () => {
  it.each<[string, GoValue[], GoValue]>([
    ['trim', ['\n\t  padded  \n'], 'padded'],
    ['trimAll', ['-', '--a-b--'], 'a-b'],
    ['trimAll', ['xy', 'xyaxyx'], 'a'],
    ['trimall', ['/', '/path/'], 'path'],
    ['trimPrefix', ['v', 'vv1'], 'v1'],
    ['trimSuffix', ['.example.com', 'dev.acme.example.com'], 'dev.acme'],
    ['upper', ['straße élan'], 'STRAßE ÉLAN'],
    ['lower', ['İSTANBUL ÀÉ'], 'istanbul àé'],
    ['title', ['hello wORLD-foo_bar'], 'Hello WORLD-Foo_bar'],
    ['untitle', ['Production Cluster'], 'production cluster'],
    ['snakecase', ['HTTPServerName'], 'http_server_name'],
    ['snakecase', ['fooBar'], 'foo_bar'],
    ['snakecase', ['Env Name 2'], 'env_name_2'],
    ['snakecase', ['already_snake'], 'already_snake'],
    ['kebabcase', ['FooBar'], 'foo-bar'],
    ['kebabcase', ['HTTPServer'], 'http-server'],
    ['kebabcase', ['My Env Name'], 'my-env-name'],
    ['kebabcase', ['foo_bar'], 'foo-bar'],
    ['camelcase', ['fooBar'], 'Foobar'],
    ['camelcase', ['onprem_osl'], 'OnpremOsl'],
    ['camelcase', ['_complex__case_'], '_Complex_Case_'],
    ['swapcase', ['acme'], 'ACME'],
    ['swapcase', ['Hello World'], 'hELLO wORLD'],
    ['repeat', [3n, 'ab'], 'ababab'],
    ['substr', [0n, 3n, 'kubernetes'], 'kub'],
    ['substr', [4n, 10n, 'kubernetes'], 'rnetes'],
    ['substr', [2n, -1n, 'hello'], 'llo'],
    ['substr', [-1n, 2n, 'hello'], 'he'],
    ['nospace', ['my env name'], 'myenvname'],
    ['trunc', [5n, 'hello world'], 'hello'],
    ['trunc', [-5n, 'hello world'], 'world'],
    ['trunc', [50n, 'hello'], 'hello'],
    ['trunc', [-50n, 'hello'], 'hello'],
    ['abbrev', [5n, 'hello world'], 'he...'],
    ['abbrev', [3n, 'hello'], 'hello'],
    ['abbrev', [6n, 'hello'], 'hello'],
    ['abbrevboth', [5n, 10n, '1234 5678 9123'], '...5678...'],
    ['initials', ['John Ronald Reuel'], 'JRR'],
    ['initials', ['hello world'], 'hw'],
    ['initials', [''], ''],
    ['wrap', [20n, 'The quick brown fox jumps over the lazy dog'], 'The quick brown fox\njumps over the lazy\ndog'],
    ['wrap', [5n, 'averyverylongword and more'], 'averyverylongword\nand\nmore'],
    ['wrapWith', [5n, '\t', 'Hello World'], 'Hello\tWorld'],
    ['wrapWith', [3n, '\n', 'abcdefg'], 'abc\ndef\ng'],
    ['contains', ['prod', 'dev-prod'], true],
    ['hasPrefix', ['europe-north1', 'europe-north1-a'], true],
    ['hasSuffix', ['-b', 'europe-north1-a'], false],
    ['quote', ['tab\there "q" back\\slash'], '"tab\\there \\"q\\" back\\\\slash"'],
    ['quote', [null], ''],
    ['quote', ['a', null, 1.5, 2n], '"a" "1.5" "2"'],
    ['squote', ["it's", 3.5, null], "'it's' '3.5'"],
    ['cat', ['a', null, 'b'], 'a b'],
    ['cat', [null, 'x', 1e6], 'x 1e+06'],
    ['indent', [3n, ''], '   '],
    ['indent', [2n, 'a\nb'], '  a\n  b'],
    ['nindent', [0n, 'x'], '\nx'],
    ['replace', ['-', '_', 'a-b-c'], 'a_b_c'],
    ['replace', ['', '-', 'ab'], '-a-b-'],
    ['plural', ['environment', 'environments', 4n], 'environments'],
    ['plural', ['environment', 'environments', 1n], 'environment'],
    ['toString', [2], '2'],
    ['toString', [123456789012], '1.23456789012e+11'],
    ['toString', [1.5], '1.5'],
    ['toString', [3n], '3'],
    ['toString', [['europe-north1-a', 'europe-north1-b']], '[europe-north1-a europe-north1-b]'],
    ['toString', [{ a: 1, b: null }], 'map[a:1 b:<nil>]'],
    ['toString', [null], '<nil>'],
    ['join', ['-', [1n, 2.5, 2]], '1-2.5-2'],
    ['join', [',', ['a', null, 'b']], 'a,b'],
    ['join', [', ', 'abc'], 'abc'],
    ['join', [',', null], ''],
  ])('%s %j', (name, args, expected) => {
    expect(call(name, ...args)).toEqual(expected);
  });

  it('returns typed slices and maps where Go does', () => {
    expect(call('toStrings', [1n, null, 'a', 2.5])).toEqual(new GoSlice('string', ['1', 'a', '2.5']));
    expect(call('splitList', ',', 'a,b,,c')).toEqual(new GoSlice('string', ['a', 'b', '', 'c']));
    expect(call('splitList', ',', '')).toEqual(new GoSlice('string', ['']));
    const parts = call('splitn', '.', 2n, 'a.b.c');
    expect(parts).toBeInstanceOf(GoMapOf);
    expect((parts as GoMapOf).entries).toEqual({ _0: 'a', _1: 'b.c' });
    expect((call('split', '/', 'a/b') as GoMapOf).goType).toBe('map[string]string');
    expect(call('sortAlpha', ['b', 'C', 'a', '_'])).toEqual(new GoSlice('string', ['C', '_', 'a', 'b']));
    expect(call('sortAlpha', 'abc')).toEqual(new GoSlice('string', ['abc']));
  });

  it('fails where Go panics', () => {
    expect(() => call('substr', 3n, 1n, 'hello')).toThrow('slice bounds out of range [3:1]');
    expect(() => call('repeat', -1n, 'x')).toThrow(TemplateFuncError);
    expect(() => call('upper', 2)).toThrow(TemplateFuncError);
  });
});
