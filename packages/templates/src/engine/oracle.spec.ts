// Engine-only cases whose expected results were produced by real Go 1.19 text/template (testdata/oracle):
// builtins, printf, comparisons, parse and exec errors (messages compared exactly), and how arguments are
// converted for functions with typed Go parameters.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { TemplateFuncError, type FunctionMap } from '../functions/signature.js';
import { GoInt, GoMapOf, GoSlice, type GoValue } from '../value.js';
import { fromJson, parseTemplate, sprint, sprintf, TemplateExecError, TemplateParseError } from './index.js';

interface OracleCase {
  template: string;
  data?: unknown;
  missingkey?: 'error' | 'zero';
  output?: string;
  error?: string;
  errorKind?: 'parse' | 'exec';
}

function load(file: string): { data: unknown; cases: OracleCase[] } {
  return JSON.parse(readFileSync(new URL(`./testdata/${file}`, import.meta.url), 'utf8')) as {
    data: unknown;
    cases: OracleCase[];
  };
}

const slice = (elem: string, xs: GoValue[]): GoSlice => new GoSlice(elem, xs);

/** The same probes as testdata/oracle/main.go's `fakes`, declared with this package's Go signatures. */
const probes: FunctionMap = {
  fs: { params: ['string'], fn: (s) => sprint(['s:', s ?? null]) },
  fi: { params: ['int'], fn: (i) => sprint(['i:', i ?? null]) },
  ff: { params: ['float64'], fn: (f) => sprint(['f:', f ?? null]) },
  fb: { params: ['bool'], fn: (b) => sprint(['b:', b ?? null]) },
  fl: {
    params: ['list'],
    fn: (l) => {
      const items = Array.isArray(l) ? l : [];
      return sprintf('l:%v:%d', [items, BigInt(items.length)]);
    },
  },
  fm: { params: ['map'], fn: (m) => sprintf('m:%v', [m ?? {}]) },
  fsl: { params: ['stringList'], fn: (l) => sprintf('sl:%v', [l ?? slice('string', [])]) },
  fa: { params: ['any'], fn: (a) => sprintf('a:%T:%v', [a ?? null, a ?? null]) },
  fvi: { params: [], variadic: 'int', fn: (...xs) => sprint(['vi:', slice('int', xs)]) },
  fvs: { params: ['string'], variadic: 'string', fn: (p, ...xs) => sprint(['vs:', p ?? null, slice('string', xs)]) },
  fva: { params: [], variadic: 'any', fn: (...xs) => sprintf('va:%d:%v', [BigInt(xs.length), xs]) },
  fmix: {
    params: ['int', 'string'],
    variadic: 'float64',
    fn: (i, s, ...rest) => sprint(['mix:', i ?? null, s ?? null, slice('float64', rest)]),
  },
  fnil: { params: [], fn: () => null },
  ferr: {
    params: ['string'],
    fn: (s) => {
      throw new TemplateFuncError(`bad ${sprint([s ?? null])}`);
    },
  },
  flist: { params: [], fn: () => [1n, 'a'] },
  fint64: { params: [], fn: () => new GoInt('int64', 5n) },
  fstrs: { params: [], fn: () => slice('string', ['x', 'y']) },
  fmapss: { params: [], fn: () => new GoMapOf('string', { b: '2', a: '1' }, '') },
  fints: { params: [], fn: () => slice('int', [1n, 2n]) },
};

function check(c: OracleCase, data: unknown, functions: FunctionMap): void {
  const run = (): string =>
    parseTemplate(c.template, { functions, name: 't' }).execute(fromJson('data' in c ? c.data : data), {
      missingkey: c.missingkey ?? 'default',
    });
  if (c.error === undefined) {
    expect(run()).toBe(c.output);
    return;
  }
  let err: unknown;
  try {
    run();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(c.errorKind === 'parse' ? TemplateParseError : TemplateExecError);
  expect((err as Error).message).toBe(c.error);
}

describe('engine against Go 1.19 (builtins only)', () => {
  const { data, cases } = load('go-oracle.json');
  it.each(cases.map((c, i) => [i, c.template, c] as const))('#%d %s', (_i, _t, c) => check(c, data, {}));
});

describe('engine against Go 1.19 (typed function parameters)', () => {
  const { data, cases } = load('go-oracle-typed-args.json');
  it.each(cases.map((c, i) => [i, c.template, c] as const))('#%d %s', (_i, _t, c) => check(c, data, probes));
});
