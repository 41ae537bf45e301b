import { describe, expect, it } from '@jest/globals';
import { TemplateFuncError, type FunctionMap, type GoFunction } from '../functions/signature.js';
import { GoInt, GoMapOf, GoSlice, GoTyped, formatValue } from '../value.js';
import { fromJson, parseTemplate, TemplateExecError, TemplateParseError } from './index.js';

class Version extends GoTyped {
  readonly goType = '*semver.Version';
  constructor(readonly major: bigint) {
    super();
  }
  format(): string {
    return `${this.major}.0.0`;
  }
  override method(name: string): GoFunction | undefined {
    if (name === 'Major') return { params: [], fn: () => new GoInt('uint64', this.major) };
    if (name === 'GreaterThan') {
      return { params: ['any'], fn: (o) => o instanceof Version && this.major > o.major };
    }
    return undefined;
  }
}

const fns: FunctionMap = {
  semver: { params: ['int'], fn: (m) => new Version(m as bigint) },
  boom: {
    params: [],
    fn: () => {
      throw new TemplateFuncError('it broke');
    },
  },
  crash: {
    params: [],
    fn: () => {
      throw new TypeError('x is undefined');
    },
  },
  split: { params: [], fn: () => new GoMapOf('string', { _0: 'a', _1: 'b' }, '') },
  keys: { params: [], fn: () => new GoSlice('string', ['b', 'a']) },
  add: {
    params: [],
    variadic: 'any',
    fn: (...xs) =>
      new GoInt(
        'int64',
        xs.reduce<bigint>((s, x) => s + BigInt(x as bigint), 0n),
      ),
  },
  until: {
    params: ['int'],
    fn: (n) =>
      new GoSlice(
        'int',
        Array.from({ length: Number(n) }, (_, i) => BigInt(i)),
      ),
  },
  upper: { params: ['string'], fn: (s) => (s as string).toUpperCase() },
};

function render(text: string, data: unknown = {}, opts: Parameters<ReturnType<typeof parseTemplate>['execute']>[1] = {}): string {
  return parseTemplate(text, { functions: fns }).execute(fromJson(data), opts);
}

describe('parseTemplate', () => {
  it('reports Go parse errors with line and column', () => {
    const text = 'line one\nline two {{ .a | nosuch }}';
    let err: unknown;
    try {
      parseTemplate(text, { functions: fns, name: 'values.yaml' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TemplateParseError);
    const pe = err as TemplateParseError;
    expect(pe.message).toBe('template: values.yaml:2: function "nosuch" not defined');
    expect(pe.line).toBe(2);
    expect(pe.column).toBe(18);
  });

  it('caches per function set and text', () => {
    const a = parseTemplate('{{ 1 }}', { functions: fns });
    expect(parseTemplate('{{ 1 }}', { functions: fns })).toBe(a);
    const other: FunctionMap = { ...fns };
    expect(parseTemplate('{{ 1 }}', { functions: other })).not.toBe(a);
    // a function known to one set is unknown to another
    expect(() => parseTemplate('{{ upper "x" }}', { functions: {} })).toThrow('function "upper" not defined');
    expect(parseTemplate('{{ upper "x" }}', { functions: fns }).execute(null)).toBe('X');
  });
});

describe('Template.execute', () => {
  it('calls methods of Go-typed values', () => {
    expect(render('{{ (semver 2).Major }} {{ (semver 3).GreaterThan (semver 2) }} {{ semver 1 }}')).toBe('2 true 1.0.0');
    expect(() => render('{{ (semver 2).Minor }}')).toThrow("can't evaluate field Minor in type *semver.Version");
  });

  it('wraps function failures as Go does, and never lets a JS error escape unwrapped', () => {
    expect(() => render('{{ boom }}')).toThrow(new TemplateExecError('template: template:1:3: executing "template" at <boom>: error calling boom: it broke'));
    expect(() => render('x{{ crash }}')).toThrow('error calling crash: x is undefined');
  });

  it('treats sized ints and typed maps and slices like Go', () => {
    expect(render('{{ add 1 2 }} {{ printf "%T %d" (add 1 2) (add 1 2) }} {{ eq (add 1 2) 3 }}')).toBe('3 int64 3 true');
    expect(() => render('{{ until (add 1 2) }}')).toThrow('wrong type for value; expected int; got int64');
    expect(render('{{ (split)._1 }} {{ index (split) "_0" }} [{{ index (split) "zz" }}] {{ len (split) }} {{ split }}')).toBe('b a [] 2 map[_0:a _1:b]');
    expect(render('{{ range $i, $k := keys }}{{ $i }}{{ $k }}{{ end }} {{ printf "%T %#v" keys keys }}')).toBe('0b1a []string []string{"b", "a"}');
    expect(render('{{ range until 3 }}{{ . }}{{ end }}')).toBe('012');
  });

  it('distinguishes missing keys from null values under missingkey=error', () => {
    const data = { Env: { owner: null } };
    expect(render('[{{ .Env.owner }}]', data, { missingkey: 'error' })).toBe('[<no value>]');
    expect(() => render('{{ .Env.nope }}', data, { missingkey: 'error' })).toThrow('map has no entry for key "nope"');
    expect(render('{{ .Env.nope }}', data)).toBe('<no value>');
  });

  it('stops a template that writes too much, naming the limit', () => {
    let err: unknown;
    try {
      render('{{ range until 100000 }}xxxxxxxxxx{{ end }}', {}, { maxOutputBytes: 1000 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TemplateExecError);
    expect((err as TemplateExecError).limit).toBe('maxOutputBytes');
    expect((err as Error).message).toContain('maxOutputBytes');
  });

  it('stops a value that grows past the output limit before it is printed', () => {
    let err: unknown;
    try {
      render('{{ $s := "x" }}{{ range until 40 }}{{ $s = printf "%s%s" $s $s }}{{ end }}{{ len $s }}', {}, { maxOutputBytes: 1 << 20 });
    } catch (e) {
      err = e;
    }
    expect((err as TemplateExecError).limit).toBe('maxOutputBytes');
    expect((err as Error).message).toContain('at <printf "%s%s" $s $s>: value exceeds the output limit');
  });

  it('stops a template that runs too long, naming the limit', () => {
    // A billion iterations: only the deadline stops it (no clock assertion: the error says which limit acted).
    let err: unknown;
    try {
      render('{{ range until 1000 }}{{ range until 1000 }}{{ range until 1000 }}{{ end }}{{ end }}{{ end }}', {}, { timeoutMs: 50 });
    } catch (e) {
      err = e;
    }
    expect((err as TemplateExecError).limit).toBe('timeoutMs');
    expect((err as Error).message).toBe('template: execution took longer than the limit of 50 ms (timeoutMs)');
  });

  it('reports unbounded template recursion like Go', () => {
    expect(() => render('{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}')).toThrow(
      'template: template:1:28: executing "r" at <{{template "r" .}}>: exceeded maximum template depth (100000)',
    );
  });

  it('discards partial output on error', () => {
    const t = parseTemplate('written{{ boom }}', { functions: fns });
    expect(() => t.execute(null)).toThrow(TemplateExecError);
  });
});

describe('references', () => {
  it('lists field paths from the root, following range, with, variables and template calls', () => {
    const t = parseTemplate(
      [
        '{{ define "sa" }}{{ .name }}@{{ $.project_id }}{{ end }}',
        '{{ $self := .Env.name }}{{ range $i, $e := .Envs }}{{ if ne $e.name $self }}{{ .region | upper }}{{ end }}{{ end }}',
        '{{ with .Management }}{{ .registry }}{{ end }}{{ template "sa" .Env }}{{ (index .Envs 1).zones }}{{ $.Configs.image.tag }}',
      ].join(''),
      { functions: fns },
    );
    const refs = t.references();
    // every path whose value is read: `.Env` as a whole is passed to "sa", `.Configs` is only walked through
    expect(refs.fields).toEqual([
      '.Configs.image.tag',
      '.Env',
      '.Env.name',
      '.Env.project_id',
      '.Envs',
      '.Envs[].name',
      '.Envs[].region',
      '.Envs[].zones',
      '.Management',
      '.Management.registry',
    ]);
    expect(refs.functions).toEqual(['index', 'ne', 'upper']);
    expect(refs.templates).toEqual(['sa']);
    expect(refs.variables).toEqual(['e', 'i', 'self']);
  });
});

describe('fromJson', () => {
  it('decodes like encoding/json into interface{}', () => {
    const v = fromJson({ n: 3, l: [1.5, null, true], o: { a: 'x' }, skip: undefined });
    expect(formatValue(v)).toBe('map[l:[1.5 <nil> true] n:3 o:map[a:x]]');
    expect(fromJson(JSON.parse('{"__proto__": 1}'))).toHaveProperty('__proto__', 1);
  });
});
