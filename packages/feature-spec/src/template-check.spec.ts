import { describe, expect, it } from '@jest/globals';
import type { FunctionMap } from '@fasit/templates';
import { checkTemplate } from './template-check.js';

const identity = { params: ['any' as const], fn: (value: unknown) => value as never };
const functions: FunctionMap = { quote: identity, toJSON: identity, eachOf: { params: ['any', 'string'], fn: () => null } };

describe('checkTemplate', () => {
  it('accepts a template that parses with the given functions', () => {
    expect(checkTemplate('{{ eachOf .Envs "name" | toJSON | quote }}', functions)).toBeUndefined();
    expect(checkTemplate('{{- if .Env.x }}{{ .Env.x }}{{ else }}"none"{{ end -}}', functions)).toBeUndefined();
  });

  it.each(['', ' ', '\n\t\n'])('calls %j an empty template', (text) => {
    expect(checkTemplate(text, functions)?.code).toBe('template.empty');
  });

  it('names an unknown function, suggests the nearest known one, and points at it', () => {
    expect(checkTemplate('"{{ .Env.name | qoute }}"', functions)).toEqual({
      code: 'template.unknown-function',
      message: 'unknown template function "qoute" (did you mean "quote"?); see docs/template-functions.md',
      line: 1,
      column: 17,
    });
    expect(checkTemplate('{{ frobnicate . }}', functions)).toEqual({
      code: 'template.unknown-function',
      message: 'unknown template function "frobnicate"; see docs/template-functions.md',
      line: 1,
      column: 4,
    });
  });

  it('reports a syntax error without Go\'s "template: name:line:" prefix, at the line inside the template', () => {
    expect(checkTemplate('a\nb {{ .x ', functions)).toEqual({
      code: 'template.syntax',
      message: 'template does not parse: unclosed action',
      line: 2,
      column: 9,
    });
  });

  it('counts columns in characters where Go counts bytes', () => {
    expect(checkTemplate('"æøå {{ nope . }}"', functions)).toMatchObject({ line: 1, column: 9 });
  });
});
