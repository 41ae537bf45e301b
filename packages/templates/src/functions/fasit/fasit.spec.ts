import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { REALWORLD_FEATURES_DIR } from '@fasit/testing';
import yaml from 'js-yaml';
import { fromJson, parseTemplate } from '../../engine/index.js';
import { GoSlice, type GoValue } from '../../value.js';
import { TemplateFuncError } from '../signature.js';
import { functionSets } from '../index.js';
import { fasitFunctions } from './fasit.js';
import { toYamlV2 } from './yaml.js';

const call = (name: string, ...args: GoValue[]): GoValue => {
  const f = fasitFunctions[name];
  if (!f) throw new Error(`no function ${name}`);
  return f.fn(...args);
};

const envs: GoValue = [
  { name: 'dev', kind: 'tenant', project_id: 'acme-dev', replicas: 2 },
  { name: 'prod', kind: 'tenant', project_id: 'acme-prod', replicas: 6 },
  { name: 'onprem', kind: 'onprem', project_id: null },
  { name: 'mgmt', kind: 'management' },
];

describe('fasit functions', () => {
  it.each<[string, GoValue[], GoValue]>([
    ['mapOf', ['name', 'project_id', envs], { dev: 'acme-dev', prod: 'acme-prod', onprem: null }],
    ['mapOf', ['name', 'missing', envs], {}],
    ['mapJoin', ['=', { b: 'x', a: 'y' }], new GoSlice('string', ['a=y', 'b=x'])],
    ['mapJoin', ['=', { n: 1, z: null }], new GoSlice('string', ['n=%!s(float64=1)', 'z=<nil>'])],
    [
      'environmentsAsMap',
      ['project_id,kind', envs],
      {
        dev: { project_id: 'acme-dev', kind: 'tenant' },
        prod: { project_id: 'acme-prod', kind: 'tenant' },
        onprem: { project_id: null, kind: 'onprem' },
        mgmt: { kind: 'management' },
      },
    ],
    ['prefixedValues', [{ db_b: 'b', db_a: 'a', other: 'x', db_n: 10 }, 'db_'], [10, 'a', 'b']],
    ['prefixedValues', ['not a map', 'pre'], ['pre']],
    ['subdomain', [{ Kind: 'tenant', Tenant: { Name: 'nav' }, Env: { name: 'dev' } }, 'console'], 'console.dev.nav.cloud.nais.io'],
    ['subdomain', [{ Kind: 'management', Tenant: { Name: 'nav' }, Env: { name: 'mgmt' } }, 'console'], 'console.nav.cloud.nais.io'],
    ['eachOf', [envs, 'project_id'], ['acme-dev', 'acme-prod', null]],
    ['eachOf', [[], 'name'], []],
    ['toJSON', [{ b: [1, null], a: 'x<y' }], '{"a":"x\\u003cy","b":[1,null]}'],
    ['fromJSON', ['{"a":{"b":1}}'], { a: { b: 1 } }],
    ['join', [',', ['a', 1, null, 2n]], 'a,1,<nil>,2'],
    ['join', ['-', new GoSlice('string', ['x', 'y'])], 'x-y'],
    [
      'filter',
      ['kind', 'tenant', envs],
      [
        { name: 'dev', kind: 'tenant', project_id: 'acme-dev', replicas: 2 },
        { name: 'prod', kind: 'tenant', project_id: 'acme-prod', replicas: 6 },
      ],
    ],
    ['filter', ['replicas', 2n, envs], []],
    ['filter', ['replicas', 2, envs], [{ name: 'dev', kind: 'tenant', project_id: 'acme-dev', replicas: 2 }]],
    [
      'filter',
      ['project_id', null, envs],
      [
        { name: 'onprem', kind: 'onprem', project_id: null },
        { name: 'mgmt', kind: 'management' },
      ],
    ],
    [
      'exclude',
      ['kind', 'tenant', envs],
      [
        { name: 'onprem', kind: 'onprem', project_id: null },
        { name: 'mgmt', kind: 'management' },
      ],
    ],
    ['replace', ['prod-gcp', '-gcp', ''], 'prod'],
    ['replace', ['a.b.c', '.', '-'], 'a-b-c'],
    ['b64enc', ['hello'], 'aGVsbG8='],
    ['b64enc', [null], ''],
    ['quote', ['say "hi"\n'], '"say \\"hi\\"\\n"'],
    ['quote', [null], ''],
    ['quote', [6379], '"6379"'],
  ])('%s %j', (name, args, expected) => {
    expect(call(name, ...args)).toEqual(expected);
  });

  it.each<[string, GoValue[], string]>([
    ['environmentsAsMap', ['project_id', [{ project_id: 'x' }]], 'environment 0 has no "name"'],
    ['environmentsAsMap', ['project_id', [{ name: '' }]], 'environment 0 has an empty "name"'],
    ['environmentsAsMap', ['project_id', [{ name: 3 }]], 'a "name" of type float64'],
    ['fromJSON', ['[1,2]'], 'cannot unmarshal array'],
    ['fromJSON', ['{bad'], ''],
    ['join', [',', 'abc'], 'join: expected slice or array, got string'],
    ['b64enc', [3], 'expected string to b64enc'],
    ['mapJoin', ['=', ['a']], 'mapJoin: expected map'],
    ['eachOf', [['a'], 'name'], 'expected a map'],
    ['filter', ['labels', {}, [{ labels: {} }]], 'comparing uncomparable type'],
    ['subdomain', ['x', 'console'], 'root context'],
  ])('%s fails: %j', (name, args, message) => {
    expect(() => call(name, ...args)).toThrow(TemplateFuncError);
    expect(() => call(name, ...args)).toThrow(message);
  });

  it('renders YAML like yaml.v2', () => {
    expect(toYamlV2({ b: [1, 'two', { x: true }], a: { n: null, s: 'true', e: '', t: 'a: b' }, list: [], m: {} })).toBe(
      'a:\n  e: ""\n  "n": null\n  s: "true"\n  t: \'a: b\'\nb:\n- 1\n- two\n- x: true\nlist: []\nm: {}\n',
    );
    expect(toYamlV2('multi\nline')).toBe('|-\n  multi\n  line\n');
    expect(toYamlV2(1e6)).toBe('1e+06\n');
    expect(toYamlV2({ k10: 1, k9: 2, K: 3 })).toBe('K: 3\nk9: 2\nk10: 1\n');
  });

  it('is part of the fasit set and wins over Sprig there', () => {
    for (const name of Object.keys(fasitFunctions)) expect(functionSets.fasit[name]).toBe(fasitFunctions[name]);
    expect(functionSets.sprig.replace).not.toBe(fasitFunctions.replace);
    expect(functionSets.sprig.mapOf).toBeUndefined();
  });

  it('renders pipelines the way real Feature.yaml templates use them', () => {
    const ctx = fromJson({
      Kind: 'tenant',
      Tenant: { Name: 'nav' },
      Env: { name: 'dev', project_id: 'p-dev' },
      Envs: [
        { name: 'dev', kind: 'tenant', project_id: 'p-dev', teams_folder_id: 'f1' },
        { name: 'prod', kind: 'tenant', project_id: 'p-prod', teams_folder_id: 'f2' },
        { name: 'ci', kind: 'legacy', project_id: 'p-ci' },
      ],
    });
    const render = (t: string): string => parseTemplate(t, { functions: functionSets.fasit }).execute(ctx);
    expect(render('{{ mapOf "name" "project_id" .Envs | mapJoin "=" | join "," }}')).toBe('ci=p-ci,dev=p-dev,prod=p-prod');
    expect(render('{{ filter "kind" "tenant" .Envs | environmentsAsMap "teams_folder_id,project_id" | toJSON | quote }}')).toBe(
      '"{\\"dev\\":{\\"project_id\\":\\"p-dev\\",\\"teams_folder_id\\":\\"f1\\"},\\"prod\\":{\\"project_id\\":\\"p-prod\\",\\"teams_folder_id\\":\\"f2\\"}}"',
    );
    expect(render('{{ eachOf .Envs "name" | sortAlpha | join "," }}')).toBe('ci,dev,prod');
    expect(render('{{ printf "https://%s" (subdomain . "console") | quote }}')).toBe('"https://console.dev.nav.cloud.nais.io"');
    expect(render('{{ replace .Env.name "d" "D" }}')).toBe('Dev');
    expect(render('{{ append (eachOf .Envs "project_id") .Env.project_id | join "," }}')).toBe('p-dev,p-prod,p-ci,p-dev');
  });
});

describe('real Feature.yaml templates', () => {
  const dir = REALWORLD_FEATURES_DIR;
  const builtins = new Set([
    'and',
    'or',
    'not',
    'eq',
    'ne',
    'lt',
    'le',
    'gt',
    'ge',
    'len',
    'index',
    'slice',
    'print',
    'printf',
    'println',
    'html',
    'js',
    'urlquery',
    'call',
  ]);
  const keywords = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue', 'nil', 'true', 'false']);
  const templates: [string, string][] = [];
  for (const feature of readdirSync(dir)) {
    const doc = yaml.load(readFileSync(`${dir}${feature}/Feature.yaml`, 'utf8')) as { values?: Record<string, { computed?: { template?: string } }> };
    for (const [key, value] of Object.entries(doc.values ?? {})) {
      const t = value.computed?.template;
      if (typeof t === 'string' && t.trim() !== '') templates.push([`${feature}: ${key}`, t]);
    }
  }

  it('has the corpus', () => {
    expect(templates.length).toBeGreaterThan(300);
  });

  it('only calls functions the Fasit set defines (or builtins)', () => {
    const used = new Set<string>();
    for (const [, t] of templates) {
      for (const action of t.matchAll(/\{\{-?([\s\S]*?)-?\}\}/g)) {
        const code = action[1]!.replace(/"(?:\\.|[^"\\])*"|`[^`]*`|'(?:\\.|[^'\\])'/g, '""');
        for (const m of code.matchAll(/(?<![.$\w])([A-Za-z_]\w*)/g)) used.add(m[1]!);
      }
    }
    const missing = [...used].filter((n) => !keywords.has(n) && !builtins.has(n) && functionSets.fasit[n] === undefined);
    expect(missing).toEqual([]);
    for (const n of [
      'quote',
      'subdomain',
      'join',
      'filter',
      'eachOf',
      'toJSON',
      'mapJoin',
      'mapOf',
      'environmentsAsMap',
      'replace',
      'sortAlpha',
      'now',
      'date',
    ]) {
      expect(used).toContain(n);
    }
  });

  it.each(templates)('%s parses with the Fasit set', (_name, t) => {
    expect(() => parseTemplate(t, { functions: functionSets.fasit })).not.toThrow();
  });
});
