// Lexer and parser behaviour; expected messages are Go 1.19's.
import { describe, expect, it } from '@jest/globals';
import { ItemType, lex } from './lexer.js';
import { parseTrees } from './parser.js';

const builtinsOnly = (n: string): boolean => ['print', 'printf', 'len', 'eq'].includes(n);

function parseError(text: string): string {
  try {
    parseTrees('t', text, builtinsOnly);
  } catch (e) {
    return (e as Error).message;
  }
  return 'parsed';
}

describe('lexer', () => {
  it('trims space around {{- and -}} and drops comments', () => {
    const { items } = lex('a \n {{- .x -}} \n b{{/* c */}}c');
    expect(items.map((i) => [ItemType[i.typ], i.val])).toEqual([
      ['Text', 'a'],
      ['LeftDelim', '{{'],
      ['Field', '.x'],
      ['RightDelim', '}}'],
      ['Text', 'b'],
      ['Text', 'c'],
      ['EOF', ''],
    ]);
  });

  it('reads a minus without a following space as part of a number', () => {
    const { items } = lex('{{-3}}');
    expect(items.map((i) => i.val)).toEqual(['{{', '-3', '}}', '']);
  });
});

describe('parser errors', () => {
  it.each([
    ['{{ "abc }}', 'template: t:1: unterminated quoted string'],
    ['{{ nosuch 1 }}', 'template: t:1: function "nosuch" not defined'],
    ['{{ }}', 'template: t:1: missing value for command'],
    ['{{ (len 1 }}', 'template: t:1: unclosed left paren'],
    ['a\n{{ if 1 }}', 'template: t:2: unexpected EOF'],
    ['{{ break }}', 'template: t:1: {{break}} outside {{range}}'],
    ['{{ .a | 3 }}', 'template: t:1: non executable command in pipeline stage 2'],
    ['{{ $x }}', 'template: t:1: undefined variable "$x"'],
    ['{{ 1.2.3 }}', 'template: t:1: unexpected ".3" in operand'],
    ['{{ 1__0 }}', 'template: t:1: illegal number syntax: "1__0"'],
    ["{{ 'ab' }}", "template: t:1: malformed character constant: 'ab'"],
    ['{{ print\u00a01 }}', 'template: t:1: bad character U+00A0'],
    ['{{ end }}', 'template: t:1: unexpected {{end}}'],
    ['{{ if 1 }}{{ else }}{{ else }}{{ end }}', 'template: t:1: expected end; found {{else}}'],
    ['{{ range $a, $b, $c := . }}{{ end }}', 'template: t:1: too many declarations in range'],
    ['{{ define "b" }}x{{ end }}{{ block "b" . }}y{{ end }}', 'template: t:1: template: multiple definition of template "b"'],
    ['{{/* open }}', 'template: t:1: unclosed comment'],
    ['x\n{{ print 1\n2 )}}', 'template: t:3: unexpected ")" in command'],
    ['x\n{{ print (1\n2 }}', 'template: t:3: unclosed left paren in action started at t:2'],
  ])('%j', (text, message) => {
    expect(parseError(text)).toBe(message);
  });

  it('accepts every constant form Go accepts', () => {
    expect(parseError("{{ 0x1F }}{{ 0o17 }}{{ 017 }}{{ 0b101 }}{{ 1_000 }}{{ 1e3 }}{{ .5 }}{{ 0x1p-2 }}{{ 'a' }}{{ '\\n' }}{{ 1i }}")).toBe('parsed');
  });
});
