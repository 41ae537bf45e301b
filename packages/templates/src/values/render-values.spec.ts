import { describe, expect, it } from '@jest/globals';
import {
  canonicalJson,
  maskValues,
  renderContext,
  renderValues,
  SECRET_SENTINEL,
  shareEnvironments,
  type RenderEnvironment,
  type RenderFeatureSpec,
  type RenderInput,
  type RenderResult,
  type StoredValue,
} from './render-values.js';

const plain = (value: unknown): StoredValue => ({ value, secret: false });
const secret = (value: unknown): StoredValue => ({ value, secret: true });

function env(name: string, kind: string, values: Record<string, StoredValue> = {}, labels: Record<string, string> = {}): RenderEnvironment {
  return { id: `id-${name}`, name, kind, tenant: 'acme', labels, values };
}

const mgmt = env('mgmt', 'management', { project_id: plain('acme-mgmt'), token: secret('mgmt-token') });
const dev = env('dev', 'tenant', { project_id: plain('acme-dev'), replicas: plain(2), db_password: secret('hunter2') }, { team: 'a' });
const prod = env('prod', 'tenant', { project_id: plain('acme-prod'), db_password: secret('correct horse') });

function input(spec: RenderFeatureSpec['values'], over: Partial<Omit<RenderInput, 'feature'>> & { environment?: RenderEnvironment } = {}): RenderInput {
  return {
    feature: { name: 'f', spec: { values: spec } },
    environment: over.environment ?? dev,
    tenantEnvironments: over.tenantEnvironments ?? [prod, mgmt, dev],
    config: over.config ?? { global: {}, environment: {} },
    ...(over.fasit !== undefined ? { fasit: over.fasit } : {}),
    ...(over.chartValues !== undefined ? { chartValues: over.chartValues } : {}),
    ...(over.options !== undefined ? { options: over.options } : {}),
  };
}

function ok(result: RenderResult): Extract<RenderResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got ${result.action}: ${result.message}`);
  return result;
}

const computed = (template: string, extra: object = {}) => ({ computed: { template }, ...extra });

describe('renderValues: precedence', () => {
  const spec = { 'image.tag': { config: { type: 'string' }, computed: { template: '"from-template"' } } };
  it.each([
    ['env config over global over computed', { global: { 'image.tag': plain('g') }, environment: { 'image.tag': plain('e') } }, 'e', 'env-config'],
    ['global config over computed', { global: { 'image.tag': plain('g') }, environment: {} }, 'g', 'global-config'],
    ['computed when no config is stored', { global: {}, environment: {} }, 'from-template', 'computed'],
  ])('%s', (_name, config, want, source) => {
    const r = ok(renderValues(input(spec, { config })));
    expect(r.values['image']).toEqual({ tag: want });
    expect(r.provenance['image.tag']?.source).toBe(source);
  });

  it('a config key without a stored value is the chart default (nothing is sent), with the default for display', () => {
    const r = ok(renderValues(input({ replicas: { config: { type: 'int' } } }, { chartValues: { replicas: 3 } })));
    expect(r.values).toEqual({ fasit: { tenant: { name: 'acme' }, env: { name: 'dev', kind: 'tenant' } } });
    expect(r.provenance['replicas']).toEqual({ source: 'chart-default', secret: false, chartDefault: 3 });
  });

  it('records the template of a computed value and what it reads', () => {
    const r = ok(renderValues(input({ project: computed('{{ .Env.project_id }}') })));
    expect(r.provenance['project']).toEqual({
      source: 'computed',
      template: '{{ .Env.project_id }}',
      secret: false,
      references: ['.Env.project_id'],
    });
  });

  it('keeps stored config values as raw JSON (ints stay ints, objects nest)', () => {
    const r = ok(
      renderValues(
        input(
          { replicas: { config: { type: 'int' } }, 'a.b': { config: { type: 'string_array' } } },
          { config: { global: { replicas: plain(3), 'a.b': plain(['x', 'y']) }, environment: {} } },
        ),
      ),
    );
    expect(r.values['replicas']).toBe(3);
    expect(r.values['a']).toEqual({ b: ['x', 'y'] });
  });
});

describe('renderValues: config-key filter and ignoreKind', () => {
  it.each([
    ['a feature without config keys lets no stored row through', { c: computed('"x"') }, { c: 'x' }],
    ['a stored row for a key the feature does not declare is dropped', { k: { config: { type: 'string' } } }, { k: 'declared' }],
  ])('%s', (_name, spec, want) => {
    const config = { global: { k: plain('declared'), stray: plain('nope'), 'x.y': plain(1) }, environment: { other: plain('no') } };
    const r = ok(renderValues(input(spec, { config })));
    const { fasit: _fasit, ...rest } = r.values;
    expect(rest).toEqual(want);
  });

  it('ignoreKind drops config, computed and required for that kind, and the key from provenance', () => {
    const spec = {
      a: { config: { type: 'string' }, required: true, ignoreKind: ['tenant'] },
      b: { ...computed('"b"'), ignoreKind: ['tenant', 'onprem'] },
      c: { ...computed('"c"'), ignoreKind: ['management'] },
    };
    const config = { global: { a: plain('stored') }, environment: {} };
    const inDev = ok(renderValues(input(spec, { config })));
    expect(Object.keys(inDev.values).sort()).toEqual(['c', 'fasit']);
    expect(Object.keys(inDev.provenance)).toEqual(['c']);
    const inMgmt = ok(renderValues(input(spec, { config, environment: mgmt })));
    expect(inMgmt.values).toMatchObject({ a: 'stored', b: 'b' });
    expect(inMgmt.values['c']).toBeUndefined();
  });

  it('the configs a template sees are only the in-scope rows', () => {
    const spec = { a: { config: { type: 'string' } }, b: { config: { type: 'string' }, ignoreKind: ['tenant'] }, all: computed('{{ .Configs }}') };
    const config = { global: { a: plain('A'), b: plain('B'), c: plain('C') }, environment: {} };
    expect(ok(renderValues(input(spec, { config }))).values['all']).toBe('map[a:A]');
  });
});

describe('renderValues: nesting', () => {
  it.each([
    [{ a: { config: { type: 'string' } }, 'a.b': { config: { type: 'string' } } }, 'key a.b is not nestable'],
    [{ 'x.y': { config: { type: 'string' } }, 'x.y.z': { config: { type: 'string' } } }, 'key x.y.z is not nestable'],
  ])('a key that is both a leaf and a prefix is a render error (%#)', (spec, message) => {
    const config = { global: { a: plain('1'), 'a.b': plain('2'), 'x.y': plain('3'), 'x.y.z': plain('4') }, environment: {} };
    const r = renderValues(input(spec, { config }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.action).toBe('render-error');
      expect(r.message).toContain(message);
    }
  });

  it('splits escaped dots', () => {
    const r = ok(renderValues(input({ 'labels.team\\.name': computed('"platform"'), 'x\\.y': computed('1') })));
    expect(r.values['labels']).toEqual({ 'team.name': 'platform' });
    expect(r.values['x.y']).toBe(1);
    expect(r.provenance['labels.team\\.name']?.source).toBe('computed');
  });

  it('a computed value nests into an object a config value provides, and never replaces what is there', () => {
    const spec = { a: { config: { type: 'string' } }, 'a.c': computed('"computed"'), 'a.b': computed('"shadowed"') };
    const config = { global: { a: plain({ b: 'from-config' }) }, environment: {} };
    const r = ok(renderValues(input(spec, { config })));
    expect(r.values['a']).toEqual({ b: 'from-config', c: 'computed' });
  });
});

describe('renderValues: required', () => {
  const spec = {
    'z.token': { config: { type: 'string' }, required: true },
    alpha: { config: { type: 'string' }, required: true },
    nulled: { ...computed('{{ "" }}'), required: true },
    fine: { ...computed('"ok"'), required: true },
    stored: { config: { type: 'string' }, required: true },
  };
  it('lists every missing key, sorted', () => {
    const r = renderValues(input(spec, { config: { global: { stored: plain(null) }, environment: {} } }));
    expect(r).toEqual({ ok: false, action: 'missing-config', message: 'missing required chart config: alpha, nulled, z.token' });
  });
  it('passes when every required key has a stored row or a non-null value', () => {
    const config = { global: { 'z.token': secret('t'), alpha: plain('a') }, environment: { nulled: plain('x'), stored: plain(null) } };
    const withComputedConfig = { ...spec, nulled: { ...spec.nulled, config: { type: 'string' } } };
    expect(renderValues(input(withComputedConfig, { config })).ok).toBe(true);
  });
});

describe('renderValues: the fasit block', () => {
  it('is injected and overwrites a config of that name', () => {
    const r = ok(
      renderValues(input({ fasit: { config: { type: 'string' } } }, { config: { global: { fasit: plain('mine') }, environment: {} }, environment: prod })),
    );
    expect(r.values['fasit']).toEqual({ tenant: { name: 'acme' }, env: { name: 'prod', kind: 'tenant' } });
  });
});

describe('renderValues: template context', () => {
  it.each([
    ['.Kind', '{{ .Kind }}', 'tenant'],
    ['.Tenant.Name', '{{ .Tenant.Name }}', 'acme'],
    ['.Env values, name, kind, labels', '{{ .Env.project_id }} {{ .Env.name }} {{ .Env.kind }} {{ .Env.labels.team }}', 'acme-dev dev tenant a'],
    ['.Env JSON numbers are float64', '{{ printf "%T" .Env.replicas }}', 'float64'],
    ['.Envs: non-management, by name, this one included', '{{ range .Envs }}{{ .name }},{{ end }}', 'dev,prod,'],
    ['.Management', '{{ .Management.project_id }}', 'acme-mgmt'],
    ['secret values are visible to templates', '{{ .Env.db_password }}', 'hunter2'],
    ['.Fasit', '{{ .Fasit.IAPAudience }}', 'aud'],
    ['.Configs', '{{ .Configs.image.tag }}', 'v1'],
  ])('%s', (_name, template, want) => {
    const spec = { out: computed(template), 'image.tag': { config: { type: 'string' } } };
    const config = { global: { 'image.tag': plain('v1') }, environment: {} };
    const r = ok(renderValues(input(spec, { config, fasit: { IAPAudience: 'aud' } })));
    expect(r.values['out']).toBe(want);
  });

  it('.Management is an empty map when the tenant has none; the environment is in .Envs even if not listed', () => {
    const spec = { m: computed('{{ .Management.project_id }}|{{ len .Management }}'), n: computed('{{ len .Envs }}') };
    const r = ok(renderValues(input(spec, { tenantEnvironments: [] })));
    expect(r.values).toMatchObject({ m: '<no value>|0', n: 1 });
  });

  it('.Management is the last management environment by name; environments of other tenants are ignored', () => {
    const other = { ...env('zzz', 'management', { project_id: plain('other') }), tenant: 'other' };
    const m2 = env('mgmt2', 'management', { project_id: plain('second') });
    const r = ok(renderValues(input({ m: computed('{{ .Management.project_id }}') }, { tenantEnvironments: [m2, mgmt, dev, other] })));
    expect(r.values['m']).toBe('second');
  });

  it('renderContext gives the data the templates see', () => {
    const config = { global: { 'image.tag': plain('v1'), stray: plain('x') }, environment: {} };
    const ctx = renderContext(input({ 'image.tag': { config: { type: 'string' } } }, { config }));
    expect(Object.keys(ctx).sort()).toEqual(['Configs', 'Env', 'Envs', 'Fasit', 'Kind', 'Management', 'Tenant']);
    expect(ctx['Configs']).toEqual({ image: { tag: 'v1' } });
    expect((ctx['Envs'] as { name: string }[]).map((e) => e.name)).toEqual(['dev', 'prod']);
    expect(ctx['Env']).toMatchObject({ name: 'dev', kind: 'tenant', labels: { team: 'a' }, db_password: 'hunter2', replicas: 2 });
  });

  it('computed values cannot see each other', () => {
    const r = ok(renderValues(input({ a: computed('"x"'), b: computed('{{ .Configs.a }}') })));
    expect(r.values['b']).toBe('<no value>');
  });
});

describe('renderValues: template output is parsed as YAML (yaml.v2 rules)', () => {
  it.each([
    ['"x"', 'x'],
    ['x', 'x'],
    ['3', 3],
    ['-0x1F', -31],
    ['0755', 493],
    ['1_000', 1000],
    ['1.5', 1.5],
    ['1e3', 1000],
    ['true', true],
    ['yes', true],
    ['Off', false],
    ["'yes'", 'yes'],
    ['~', null],
    ['', null],
    ['  # only a comment', null],
    ['2024-01-02', '2024-01-02'],
    ['[a, 1]', ['a', 1]],
    ['{a: 1, b: [x]}', { a: 1, b: ['x'] }],
    ['a: 1\nb: two', { a: 1, b: 'two' }],
    ['base: &b {x: 1}\nother:\n  <<: *b\n  z: 2', { base: { x: 1 }, other: { x: 1, z: 2 } }],
    ['a: 1\na: 2', { a: 2 }],
  ])('%j', (output, want) => {
    const r = ok(renderValues(input({ v: computed(`{{ \`${output}\` }}`) })));
    expect(r.values['v']).toEqual(want);
  });

  it('invalid YAML is a render error naming the key', () => {
    const r = renderValues(input({ 'a.b': computed('{{ "[unclosed" }}') }));
    expect(r).toMatchObject({ ok: false, action: 'render-error' });
    if (!r.ok) expect(r.message).toMatch(/^a\.b: yaml: /);
  });
});

describe('renderValues: errors and limits', () => {
  it.each([
    ['an empty template', { k: computed('') }, 'k: empty template'],
    ['a template that does not parse', { k: computed('{{ .Env.name ') }, 'k: template: tpl:1: unclosed action'],
    [
      'an exec error',
      { k: computed('{{ index .Env.name 99 }}') },
      'k: template: tpl:1:3: executing "tpl" at <index .Env.name 99>: error calling index: index out of range: 99',
    ],
    ['an unknown function', { k: computed('{{ nope }}') }, 'k: template: tpl:1: function "nope" not defined'],
  ])('%s is a render error', (_name, spec, message) => {
    expect(renderValues(input(spec))).toEqual({ ok: false, action: 'render-error', message });
  });

  it('the first failing key in key order is reported', () => {
    const r = renderValues(input({ b: computed('{{ nope }}'), a: computed('') }));
    expect(r).toMatchObject({ ok: false, message: 'a: empty template' });
  });

  it('a runaway template is stopped by the time limit', () => {
    const spec = {
      slow: computed('{{ range $i := .Configs.n }}{{ range $j := $.Configs.n }}{{ range $k := $.Configs.n }}x{{ end }}{{ end }}{{ end }}'),
      n: { config: { type: 'string_array' } },
    };
    const n = Array.from({ length: 400 }, (_v, i) => i);
    // 64 million iterations: only the per-template limit stops it (the message names it; no clock assertion)
    const r = renderValues(input(spec, { config: { global: { n: plain(n) }, environment: {} }, options: { timeoutMs: 50, maxOutputBytes: 1e12 } }));
    expect(r).toEqual({ ok: false, action: 'render-error', message: 'slow: template: execution took longer than the limit of 50 ms (timeoutMs)' });
  });

  it('all templates of one feature share a time budget', () => {
    const loop = '{{ range $i := .Configs.n }}{{ range $j := $.Configs.n }}{{ range $k := $.Configs.n }}x{{ end }}{{ end }}{{ end }}';
    const spec: RenderFeatureSpec['values'] = { n: { config: { type: 'string_array' } } };
    for (let i = 0; i < 10; i++) spec[`slow${i}`] = computed(loop);
    const n = Array.from({ length: 400 }, (_v, i) => i);
    const r = renderValues(
      input(spec, { config: { global: { n: plain(n) }, environment: {} }, options: { timeoutMs: 1000, budgetMs: 100, maxOutputBytes: 1e12 } }),
    );
    // The first template gets what is left of the 100 ms budget, not its own 1000 ms (or nothing, when the
    // preparation used the budget up on a busy machine): the message says which limit acted, no clock assertion.
    expect(r).toMatchObject({ ok: false, action: 'render-error' });
    const message = r.ok ? '' : r.message;
    const cut = /^slow0: template: execution took longer than the limit of (\d+) ms \(timeoutMs\)$/.exec(message);
    if (cut) expect(Number(cut[1])).toBeLessThanOrEqual(100);
    else expect(message).toBe("slow0: not rendered: the feature's templates took longer than 100 ms together");
  });

  it.each([
    ['.inf', '+Inf'],
    ['[1, -.inf]', '-Inf'],
    ['{a: .nan}', 'NaN'],
  ])('an output JSON cannot carry (%s) is a render error', (output, shown) => {
    expect(renderValues(input({ k: computed(output) }))).toEqual({ ok: false, action: 'render-error', message: `k: json: unsupported value: ${shown}` });
  });

  it('a template producing too much output is stopped by the output limit', () => {
    const spec = { big: computed('{{ range .Configs.n }}xxxxxxxxxx{{ end }}'), n: { config: { type: 'string_array' } } };
    const n = Array.from({ length: 1000 }, (_v, i) => i);
    const r = renderValues(input(spec, { config: { global: { n: plain(n) }, environment: {} }, options: { maxOutputBytes: 5000 } }));
    expect(r).toMatchObject({ ok: false, action: 'render-error' });
    if (!r.ok) expect(r.message).toMatch(/^big: /);
  });
});

describe('renderValues: determinism', () => {
  it('gives byte-identical canonical JSON whatever the order of the inputs', () => {
    const spec = {
      z: computed('{{ range .Envs }}{{ .name }} {{ end }}'),
      a: computed('{{ print 1 }}'),
      'm.n': { config: { type: 'string' } },
      'm.a': computed('{a: 1, c: 2, b: 3}'),
    };
    const config = { global: { 'm.n': plain('n') }, environment: {} };
    const one = ok(renderValues(input(spec, { config, tenantEnvironments: [prod, mgmt, dev] })));
    const reversed = Object.fromEntries(Object.entries(spec).reverse());
    const two = ok(renderValues(input(reversed, { config, tenantEnvironments: [dev, mgmt, prod] })));
    expect(canonicalJson(one.values)).toBe(canonicalJson(two.values));
    expect(canonicalJson(one.provenance)).toBe(canonicalJson(two.provenance));
    expect(JSON.stringify(one.values)).toBe(JSON.stringify(two.values));
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('does not modify its input', () => {
    const config = { global: { a: plain({ b: 'x' }) }, environment: {} };
    const before = JSON.stringify(config);
    ok(renderValues(input({ a: { config: { type: 'string' } }, 'a.c': computed('1') }, { config })));
    expect(JSON.stringify(config)).toBe(before);
  });
});

describe('renderValues: secret taint', () => {
  const spec = {
    dsn: computed('"postgres://app:{{ .Env.db_password }}@db"'),
    passwordLength: computed('{{ len .Env.db_password }}'),
    prodPassword: computed('{{ range .Envs }}{{ if eq .name "prod" }}{{ .db_password }}{{ end }}{{ end }}'),
    mgmtToken: computed('{{ .Management.token }}'),
    fromConfig: computed('"{{ .Configs.apiKey }}-suffix"'),
    project: computed('{{ .Env.project_id }}'),
    envs: computed('{{ len .Envs }}'),
    apiKey: { config: { type: 'string', secret: true } },
    shown: { config: { type: 'string' } },
  };
  const config = { global: { apiKey: plain('k3y'), shown: secret('stored-as-secret') }, environment: {} };

  it('marks computed values that depend on a secret input, and only those; values stay complete', () => {
    const r = ok(renderValues(input(spec, { config })));
    const secretKeys = Object.entries(r.provenance)
      .filter(([, p]) => p.secret)
      .map(([k, p]) => `${k}:${p.secretReason}`)
      .sort();
    expect(secretKeys).toEqual([
      'apiKey:declared',
      'dsn:tainted',
      'fromConfig:tainted',
      'mgmtToken:tainted',
      'passwordLength:tainted',
      'prodPassword:tainted',
      'shown:stored-secret',
    ]);
    expect(r.values['dsn']).toBe('postgres://app:hunter2@db');
    expect(r.values['fromConfig']).toBe('k3y-suffix');
    expect(JSON.stringify(r.values)).not.toContain(SECRET_SENTINEL);
  });

  it('maskValues replaces secret leaves with ***** and leaves the rest (and its input) alone', () => {
    const r = ok(renderValues(input(spec, { config })));
    const masked = maskValues(r.values, r.provenance);
    expect(masked).toMatchObject({ dsn: '*****', passwordLength: '*****', apiKey: '*****', shown: '*****', project: 'acme-dev', envs: 2 });
    expect(JSON.stringify(masked)).not.toMatch(/hunter2|k3y|mgmt-token|correct horse|stored-as-secret/);
    expect(r.values['apiKey']).toBe('k3y');
  });

  it('a secret in an int config makes the probe fail: every computed value is then marked secret', () => {
    const s = {
      replicas: { config: { type: 'int', secret: true } },
      scaled: computed('{{ if gt .Configs.replicas 2.0 }}many{{ else }}few{{ end }}'),
      unrelated: computed('{{ .Env.project_id }}'),
    };
    const r = ok(renderValues(input(s, { config: { global: { replicas: plain(3) }, environment: {} } })));
    expect(r.values).toMatchObject({ scaled: 'many', unrelated: 'acme-dev' });
    expect(r.provenance['scaled']).toMatchObject({ secret: true, secretReason: 'probe-failed' });
    expect(r.provenance['unrelated']).toMatchObject({ secret: true, secretReason: 'probe-failed' });
    expect(maskValues(r.values, r.provenance)).toMatchObject({ scaled: '*****', unrelated: '*****', replicas: '*****' });
  });

  it('keeps the shape of a secret list or object in the probe, so loops over it still decide taint', () => {
    const s = {
      tokens: { config: { type: 'string_array', secret: true } },
      joined: computed('{{ range .Configs.tokens }}{{ . }},{{ end }}'),
      count: computed('{{ len .Configs.tokens }}'),
      user: computed('{{ .Env.creds.user }}'),
      host: computed('{{ .Env.creds.host }}-{{ .Env.name }}'),
    };
    const e = env('dev', 'tenant', { creds: secret({ user: 'admin', host: 'db' }) });
    const r = ok(renderValues(input(s, { environment: e, tenantEnvironments: [e], config: { global: { tokens: plain(['a', 'b']) }, environment: {} } })));
    expect(r.values).toMatchObject({ joined: 'a,b,', count: 2, user: 'admin', host: 'db-dev' });
    const reasons = Object.fromEntries(Object.entries(r.provenance).map(([k, p]) => [k, p.secretReason ?? 'clear']));
    expect(reasons).toEqual({ tokens: 'declared', joined: 'tainted', count: 'clear', user: 'tainted', host: 'tainted' });
  });

  it('nothing is marked when no input is secret, and taint can be switched off', () => {
    const noSecrets = env('solo', 'tenant', { x: plain('1') });
    const r = ok(renderValues(input({ a: computed('{{ .Env.x }}') }, { environment: noSecrets, tenantEnvironments: [noSecrets] })));
    expect(r.provenance['a']?.secret).toBe(false);
    const off = ok(renderValues(input(spec, { config, options: { secretTaint: false } })));
    expect(off.provenance['dsn']?.secret).toBe(false);
    expect(off.provenance['apiKey']?.secret).toBe(true);
  });
});

describe('renderValues with shared environments (many renders of one tenant, as in a reconciler batch)', () => {
  const other = { ...env('other', 'tenant', { project_id: plain('not-acme') }), tenant: 'other' };
  const tenant = [prod, mgmt, dev, other];
  const spec = {
    dsn: computed('"postgres://app:{{ .Env.db_password }}@db"'),
    prodPassword: computed('{{ range .Envs }}{{ if eq .name "prod" }}{{ .db_password }}{{ end }}{{ end }}'),
    projects: computed('{{ range .Envs }}{{ .name }}={{ .project_id }},{{ end }}'),
    mgmtToken: computed('{{ .Management.token }}'),
    labels: computed('{{ toJSON .Env.labels }}'),
    count: computed('{{ len .Envs }}'),
  };

  it('renders every environment exactly as without them: values, provenance and taint', () => {
    const shared = shareEnvironments(tenant);
    for (const e of [dev, prod, mgmt]) {
      const i = input(spec, { environment: e, tenantEnvironments: tenant });
      expect(renderValues(i, shared)).toEqual(renderValues(i));
    }
    expect(ok(renderValues(input(spec, { tenantEnvironments: tenant }), shared)).values).toMatchObject({
      projects: 'dev=acme-dev,prod=acme-prod,',
      count: 2,
      mgmtToken: 'mgmt-token',
    });
  });

  it("the environment rendered is the caller's own object, also in .Envs, when the snapshot has an older copy", () => {
    const shared = shareEnvironments(tenant);
    const newer = env('dev', 'tenant', { project_id: plain('acme-dev-2'), db_password: plain('now-public') });
    const r = ok(renderValues(input(spec, { environment: newer, tenantEnvironments: tenant }), shared));
    expect(r.values).toMatchObject({ projects: 'dev=acme-dev-2,prod=acme-prod,', dsn: 'postgres://app:now-public@db' });
    expect(r.provenance['dsn']?.secret).toBe(false);
    expect(r.provenance['prodPassword']?.secret).toBe(true);
  });

  it('a template that changes an element of .Envs sees its change, as in Go, and the next render does not', () => {
    const writes = { w: computed('{{ range .Envs }}{{ $_ := set . "touched" .name }}{{ end }}{{ range .Envs }}{{ .touched }},{{ end }}') };
    const reads = { r: computed('{{ range .Envs }}{{ .touched }},{{ end }}') };
    const shared = shareEnvironments(tenant);
    const first = renderValues(input(writes, { tenantEnvironments: tenant }), shared);
    expect(first).toEqual(renderValues(input(writes, { tenantEnvironments: tenant })));
    expect(ok(first).values['w']).toBe('dev,prod,');
    expect(ok(renderValues(input(reads, { environment: prod, tenantEnvironments: tenant }), shared)).values['r']).toBe('<no value>,<no value>,');
  });
});
