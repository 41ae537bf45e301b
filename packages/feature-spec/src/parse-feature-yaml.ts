import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { isValidHelmKey, splitHelmKey } from './helm-key.js';
import { compareIssues, type FeatureSpecIssue, type FeatureSpecIssueCode, type FeatureSpecIssueSeverity } from './issue.js';
import type { FeatureSpec } from './model.js';
import { featureSchema } from './schema.js';
import { translateSchemaErrors } from './schema-errors.js';
import { checkTemplate } from './template-check.js';
import { formatPath, isPlainObject, loadYamlWithPositions, type NodeLocation, type PathSegment, type Position, type YamlLoadFailure } from './yaml-document.js';

/** Files above this size are refused before parsing. Real Feature.yaml files are a few kilobytes. */
export const MAX_FEATURE_YAML_BYTES = 1024 * 1024;

export interface ParseFeatureYamlOptions {
  /** Name used in every issue, e.g. `charts/log-shipper/Feature.yaml`. Defaults to `Feature.yaml`. */
  file?: string;
}

export type ParseFeatureYamlResult =
  { ok: true; spec: FeatureSpec; warnings: FeatureSpecIssue[] } | { ok: false; errors: FeatureSpecIssue[]; warnings: FeatureSpecIssue[] };

/**
 * The error for a file above `MAX_FEATURE_YAML_BYTES`, or undefined. Callers that read files can check the size
 * on disk first and never read a huge file; `parseFeatureYaml` checks it again on the text.
 */
export function checkFeatureYamlSize(bytes: number, file = 'Feature.yaml'): FeatureSpecIssue | undefined {
  if (bytes <= MAX_FEATURE_YAML_BYTES) return undefined;
  return {
    file,
    line: 1,
    column: 1,
    path: '',
    code: 'file.too-large',
    severity: 'error',
    message: `the file is ${formatBytes(bytes)}; a Feature.yaml may be at most ${formatBytes(MAX_FEATURE_YAML_BYTES)} (1 MiB)`,
  };
}

let validator: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  // validateSchema: false — checking our own schema against the draft 2020-12 meta-schema at every start costs
  // ~250 ms (most of a `fasit feature lint`); schema.spec.ts checks it once, in the tests.
  validator ??= new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, validateSchema: false }).compile(featureSchema);
  return validator;
}

const YAML_FAILURE_CODES: Record<YamlLoadFailure['kind'], FeatureSpecIssueCode> = {
  syntax: 'yaml.syntax',
  'tab-indentation': 'yaml.tab-indentation',
  'duplicate-key': 'yaml.duplicate-key',
  'multiple-documents': 'yaml.multiple-documents',
  empty: 'yaml.empty',
};

/**
 * Parses and validates a Feature.yaml: YAML, then the JSON Schema, then the rules a schema cannot say (key
 * nesting conflicts, templates that do not parse). Never throws for bad input: every problem comes back as an
 * issue with file, line, column, field path, message and a stable code.
 */
export function parseFeatureYaml(text: string, options: ParseFeatureYamlOptions = {}): ParseFeatureYamlResult {
  const file = options.file ?? 'Feature.yaml';
  const fail = (issue: Omit<FeatureSpecIssue, 'file' | 'severity'>): ParseFeatureYamlResult => ({
    ok: false,
    errors: [{ file, severity: 'error', ...issue }],
    warnings: [],
  });

  const tooLarge = checkFeatureYamlSize(Buffer.byteLength(text, 'utf8'), file);
  if (tooLarge !== undefined) return { ok: false, errors: [tooLarge], warnings: [] };

  const loaded = loadYamlWithPositions(text);
  if (!loaded.ok) {
    return fail({ ...loaded.position, path: formatPath(loaded.path), code: YAML_FAILURE_CODES[loaded.kind], message: loaded.message });
  }
  if (!isPlainObject(loaded.value)) {
    return fail({
      line: 1,
      column: 1,
      path: '',
      code: 'yaml.not-a-mapping',
      message: `the file must be a mapping of fields (environmentKinds, timeout, dependencies, values), not ${describeShape(loaded.value)}`,
    });
  }

  const issues: FeatureSpecIssue[] = [];
  const report = (
    severity: FeatureSpecIssueSeverity,
    path: PathSegment[],
    at: 'key' | 'value',
    code: FeatureSpecIssueCode,
    message: string,
    position?: Position,
  ): void => {
    const location = loaded.locate(path);
    const where = position ?? (at === 'key' ? (location.key ?? location.value) : location.value);
    issues.push({ file, line: where.line, column: where.column, path: formatPath(path), message, code, severity });
  };

  const data = normaliseDeprecated(structuredClone(loaded.value), (path, at, code, message) => report('warning', path, at, code, message));

  const validate = schemaValidator();
  if (!validate(data)) {
    for (const problem of translateSchemaErrors(validate.errors ?? [], data)) {
      report('error', problem.path, problem.at, problem.code, problem.message);
    }
  }

  checkValues(data, (path, at, code, message, position) => report('error', path, at, code, message, position), loaded.locate, text);

  const errors = dedupe(issues.filter((issue) => issue.severity === 'error')).sort(compareIssues);
  const warnings = dedupe(issues.filter((issue) => issue.severity === 'warning')).sort(compareIssues);
  if (errors.length > 0) return { ok: false, errors, warnings };
  return { ok: true, spec: toSpec(data), warnings };
}

type Reporter = (path: PathSegment[], at: 'key' | 'value', code: FeatureSpecIssueCode, message: string, position?: Position) => void;

/**
 * Spellings that real, older files use and that the original accepted: reported as warnings and rewritten to
 * the current form (or dropped) so that the schema, which describes only the current form, accepts the rest.
 */
function normaliseDeprecated(data: Record<string, unknown>, warn: Reporter): Record<string, unknown> {
  if ('rename' in data) {
    warn(['rename'], 'key', 'deprecated.rename', 'the rename field is no longer supported and is ignored');
    delete data['rename'];
  }
  const warnLegacyKinds = (path: PathSegment[], kinds: unknown): void => {
    if (!Array.isArray(kinds)) return;
    kinds.forEach((kind, index) => {
      if (kind === 'legacy') {
        warn([...path, index], 'value', 'deprecated.legacy-kind', 'the kind "legacy" is deprecated and matches no current environment; remove it');
      }
    });
  };
  warnLegacyKinds(['environmentKinds'], data['environmentKinds']);
  const values = data['values'];
  if (!isPlainObject(values)) return data;
  for (const [key, value] of Object.entries(values)) {
    if (!isPlainObject(value)) continue;
    warnLegacyKinds(['values', key, 'ignoreKind'], value['ignoreKind']);
    const config = value['config'];
    if (!isPlainObject(config)) continue;
    if (config['type'] === 'boolean') {
      warn(['values', key, 'config', 'type'], 'value', 'deprecated.type-alias', 'type "boolean" is read as "bool"; write bool');
      config['type'] = 'bool';
    }
    if ('default' in config) {
      warn(
        ['values', key, 'config', 'default'],
        'key',
        'deprecated.config-default',
        "config.default is ignored: the default of a config value is the chart's values.yaml",
      );
      delete config['default'];
    }
  }
  return data;
}

/** Rules the schema cannot express: nesting conflicts between keys, the reserved `fasit` key, templates. */
function checkValues(data: Record<string, unknown>, report: Reporter, locate: (path: readonly PathSegment[]) => NodeLocation, text: string): void {
  const values = data['values'];
  if (!isPlainObject(values)) return;
  const keys = Object.keys(values).filter(isValidHelmKey);
  const leaves = new Map(keys.map((key) => [JSON.stringify(splitHelmKey(key)), key]));
  for (const key of keys) {
    const segments = splitHelmKey(key);
    if (segments[0] === 'fasit') {
      report(['values', key], 'key', 'spec.reserved-key', 'the top-level key "fasit" is reserved: Fasit sets fasit.tenant and fasit.env itself');
    }
    for (let length = segments.length - 1; length >= 1; length--) {
      const prefix = leaves.get(JSON.stringify(segments.slice(0, length)));
      if (prefix !== undefined) {
        report(['values', key], 'key', 'spec.key-conflict', `conflicts with "${prefix}": a key cannot be both a value and the parent of other values`);
        break;
      }
    }
  }
  for (const [key, value] of Object.entries(values)) {
    if (!isPlainObject(value) || !isPlainObject(value['computed'])) continue;
    const template = value['computed']['template'];
    if (typeof template !== 'string') continue;
    const problem = checkTemplate(template);
    if (problem === undefined) continue;
    const path = ['values', key, 'computed', 'template'];
    const position = problem.line === undefined ? undefined : templatePosition(locate(path), template, problem.line, problem.column ?? 1, text);
    report(path, 'value', problem.code, problem.message, position);
  }
}

/**
 * Maps a position inside a template to the file: exactly for literal block scalars (`|`) and one-line scalars;
 * for folded or multi-line flow scalars, whose lines do not map one to one, the start of the template.
 */
function templatePosition(location: NodeLocation, template: string, line: number, column: number, text: string): Position {
  const start = location.value;
  // Go reports "unexpected EOF" after a final newline: point at the end of the last line instead.
  const templateLines = template.replace(/\n$/, '').split('\n');
  if (line > templateLines.length) {
    line = templateLines.length;
    column = (templateLines.at(-1)?.length ?? 0) + 1;
  }
  if (location.valueStyle === '|') {
    const fileLines = text.split('\n');
    const firstContent = fileLines.slice(start.line).find((fileLine) => fileLine.trim() !== '') ?? '';
    const indent = firstContent.length - firstContent.trimStart().length;
    return { line: start.line + line, column: indent + column };
  }
  if (templateLines.length === 1 && location.valueStyle !== '>' && location.valueEndLine === start.line) {
    const quote = location.valueStyle === '"' || location.valueStyle === "'" ? 1 : 0;
    return { line: start.line, column: start.column + quote + column - 1 };
  }
  return start;
}

function toSpec(data: Record<string, unknown>): FeatureSpec {
  // The schema has accepted `data`, so it has the FeatureSpec shape; `values` defaults to an empty map.
  const spec = data as unknown as FeatureSpec;
  return { ...spec, values: Object.fromEntries(Object.entries(spec.values ?? {})) };
}

function dedupe(issues: FeatureSpecIssue[]): FeatureSpecIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.line}:${issue.column}:${issue.path}:${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describeShape(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'an empty value';
  return `a single ${typeof value} (${JSON.stringify(value)})`;
}

function formatBytes(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} bytes`;
}
