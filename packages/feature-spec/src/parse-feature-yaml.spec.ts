import { describe, expect, it } from '@jest/globals';
import { formatIssue } from './issue.js';
import { MAX_FEATURE_YAML_BYTES, parseFeatureYaml } from './parse-feature-yaml.js';

const EXAMPLE = `# Feature.yaml for chart "log-shipper"
environmentKinds: [tenant, management]
timeout: 10m
dependencies:
  - allOf: [monitoring-crds]
  - anyOf: [loki, elastic-bridge]
values:
  image.tag:
    displayName: Image tag
    config:
      type: string
  output.token:
    displayName: Ingest token
    required: true
    config:
      type: string
      secret: true
  clusterName:
    computed:
      template: "{{ .Env.name }}"
  endpoint:
    config:
      type: string
    computed:
      template: '"https://ingest.{{ .Tenant.Name }}.example.com"'
  labels\\.team:
    computed:
      template: '"platform"'
    ignoreKind: [management]
`;

function lines(text: string): string[] {
  const result = parseFeatureYaml(text);
  return result.ok ? result.warnings.map(formatIssue) : result.errors.map(formatIssue);
}

describe('parseFeatureYaml', () => {
  it('turns a valid Feature.yaml into the typed model', () => {
    const result = parseFeatureYaml(EXAMPLE);
    expect(result).toEqual({
      ok: true,
      warnings: [],
      spec: {
        environmentKinds: ['tenant', 'management'],
        timeout: '10m',
        dependencies: [{ allOf: ['monitoring-crds'] }, { anyOf: ['loki', 'elastic-bridge'] }],
        values: {
          'image.tag': { displayName: 'Image tag', config: { type: 'string' } },
          'output.token': { displayName: 'Ingest token', required: true, config: { type: 'string', secret: true } },
          clusterName: { computed: { template: '{{ .Env.name }}' } },
          endpoint: { config: { type: 'string' }, computed: { template: '"https://ingest.{{ .Tenant.Name }}.example.com"' } },
          'labels\\.team': { computed: { template: '"platform"' }, ignoreKind: ['management'] },
        },
      },
    });
  });

  it('gives an empty values map when the file has none', () => {
    const result = parseFeatureYaml('environmentKinds: [onprem]\n');
    expect(result.ok && result.spec).toEqual({ environmentKinds: ['onprem'], values: {} });
  });

  it('names the file it was given in every issue', () => {
    const result = parseFeatureYaml('environmentKinds: [cloud]\n', { file: 'charts/x/Feature.yaml' });
    expect(result.ok ? [] : result.errors.map(formatIssue)).toEqual([
      'charts/x/Feature.yaml:1:20 environmentKinds[0]: must be one of management, tenant, onprem (got "cloud")',
    ]);
  });

  it('accepts the deprecated kind legacy with a warning on each use', () => {
    const result = parseFeatureYaml('environmentKinds: [tenant, legacy]\nvalues:\n  a:\n    config: {type: int}\n    ignoreKind: [legacy]\n');
    expect(result.ok).toBe(true);
    expect(result.warnings.map((warning) => [warning.code, formatIssue(warning)])).toEqual([
      [
        'deprecated.legacy-kind',
        'Feature.yaml:1:28 environmentKinds[1]: warning: the kind "legacy" is deprecated and matches no current environment; remove it',
      ],
      [
        'deprecated.legacy-kind',
        'Feature.yaml:5:18 values.a.ignoreKind[0]: warning: the kind "legacy" is deprecated and matches no current environment; remove it',
      ],
    ]);
    expect(result.ok && result.spec.environmentKinds).toEqual(['tenant', 'legacy']);
  });

  it('accepts older spellings real files use, with warnings, and normalises them away', () => {
    const text = [
      'environmentKinds: [tenant]',
      'values:',
      '  debug:',
      '    config:',
      '      type: boolean',
      '      default: "false"',
      'rename:',
      '  - from: a',
      '    to: b',
      '',
    ].join('\n');
    expect(lines(text)).toEqual([
      'Feature.yaml:5:13 values.debug.config.type: warning: type "boolean" is read as "bool"; write bool',
      "Feature.yaml:6:7 values.debug.config.default: warning: config.default is ignored: the default of a config value is the chart's values.yaml",
      'Feature.yaml:7:1 rename: warning: the rename field is no longer supported and is ignored',
    ]);
    const result = parseFeatureYaml(text);
    expect(result.ok && result.spec).toEqual({ environmentKinds: ['tenant'], values: { debug: { config: { type: 'bool' } } } });
  });

  it('reports every mistake in one pass, sorted by position', () => {
    expect(lines('values:\n  b:\n    config: {type: float}\n  a: {}\nenvironmentKinds: [x]\n')).toEqual([
      'Feature.yaml:3:20 values.b.config.type: must be one of string, int, bool, string_array (got "float")',
      'Feature.yaml:4:3 values.a: a value needs "config" (operator-supplied), "computed" (a template) or both',
      'Feature.yaml:5:20 environmentKinds[0]: must be one of management, tenant, onprem (got "x")',
    ]);
  });

  it('refuses a file above the size limit without parsing it: the size error, not the YAML error on its first line', () => {
    // A YAML syntax error at 1:1 that the parser reports when it reads the text (below the limit it does); above
    // the limit only the size error comes back, so the parser was not reached. How fast: bench/size-limit.bench.ts.
    const text = (bytes: number) => `: : :\nvalues:\n${'  k:\n'.repeat(Math.floor(bytes / 5))}`;
    const under = parseFeatureYaml(text(4096));
    expect(under.ok ? [] : under.errors.map((error) => error.code)).toEqual(['yaml.syntax']);
    const huge = text(5 * MAX_FEATURE_YAML_BYTES);
    const result = parseFeatureYaml(huge);
    expect(result.ok ? [] : result.errors.map((error) => [error.code, formatIssue(error)])).toEqual([
      ['file.too-large', 'Feature.yaml:1:1 the file is 5,242,894 bytes; a Feature.yaml may be at most 1,048,576 bytes (1 MiB)'],
    ]);
  });

  it('draws the size limit at exactly 1 MiB', () => {
    const head = 'environmentKinds: [tenant]\n#';
    const atLimit = head + 'x'.repeat(MAX_FEATURE_YAML_BYTES - head.length - 1) + '\n';
    expect(Buffer.byteLength(atLimit)).toBe(MAX_FEATURE_YAML_BYTES);
    expect(parseFeatureYaml(atLimit).ok).toBe(true);
    const overLimit = atLimit + '\n';
    expect(parseFeatureYaml(overLimit).ok ? [] : (parseFeatureYaml(overLimit) as { errors: { code: string }[] }).errors.map((e) => e.code)).toEqual([
      'file.too-large',
    ]);
  });

  it('keeps keys that would touch Object.prototype as plain data', () => {
    const result = parseFeatureYaml('environmentKinds: [tenant]\nvalues:\n  __proto__:\n    config: {type: string}\n');
    expect(result.ok).toBe(true);
    expect(result.ok && Object.keys(result.spec.values)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['config']).toBeUndefined();
  });

  it('accepts anchors, aliases and << merge keys, as Helm does', () => {
    const result = parseFeatureYaml(
      'environmentKinds: [tenant]\nvalues:\n  a: &v\n    config: {type: string}\n  b: *v\n  c:\n    <<: *v\n    displayName: C\n',
    );
    expect(result.ok && result.spec.values).toEqual({
      a: { config: { type: 'string' } },
      b: { config: { type: 'string' } },
      c: { config: { type: 'string' }, displayName: 'C' },
    });
  });

  it('positions errors the same in files with CRLF line ends or a byte order mark', () => {
    expect(lines('environmentKinds: [tenant]\r\nvalues:\r\n  a:\r\n    config:\r\n      type: integer\r\n')).toEqual([
      'Feature.yaml:5:13 values.a.config.type: must be one of string, int, bool, string_array (got "integer")',
    ]);
    expect(lines('\uFEFFenvironmentKinds: [tenant, x]\n')).toEqual([
      'Feature.yaml:1:28 environmentKinds[1]: must be one of management, tenant, onprem (got "x")',
    ]);
  });

  it('reads YAML 1.2 core scalars only: no dates, no binary', () => {
    expect(lines('environmentKinds: [tenant]\nvalues:\n  a:\n    description: 2024-01-01\n    config: {type: string}\n')).toEqual([]);
    expect(lines('environmentKinds: [tenant]\nvalues:\n  a: !!binary aGVsbG8=\n')).toEqual([
      'Feature.yaml:3:23 YAML syntax error: unknown tag !<tag:yaml.org,2002:binary>',
    ]);
  });

  it('says only that a list item has the wrong type, not also that it is not an allowed value', () => {
    expect(lines('environmentKinds:\n- tenant\n- {a: 1}\n')).toEqual(['Feature.yaml:3:3 environmentKinds[1]: must be a string (got a mapping)']);
  });

  it('never throws, whatever prefix of a real file it is given', () => {
    for (let length = 0; length <= EXAMPLE.length; length++) {
      const result = parseFeatureYaml(EXAMPLE.slice(0, length));
      const issues = result.ok ? result.warnings : result.errors;
      for (const issue of issues) {
        expect(issue.line).toBeGreaterThanOrEqual(1);
        expect(issue.column).toBeGreaterThanOrEqual(1);
        expect(formatIssue(issue)).not.toContain('\n');
      }
    }
  });
});
