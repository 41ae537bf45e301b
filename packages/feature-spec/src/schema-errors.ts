import type { ErrorObject } from 'ajv/dist/2020.js';
import { describeJsonValue } from './config-value.js';
import { ENVIRONMENT_KINDS } from './model.js';
import { featureSchema } from './schema.js';
import { closest } from './suggest.js';
import type { FeatureSpecIssueCode } from './issue.js';
import { isPlainObject, type PathSegment } from './yaml-document.js';

/** An ajv error translated into words, before it is positioned. */
export interface SchemaProblem {
  path: PathSegment[];
  /** Point at the key of `path` (unknown field, missing field) rather than its value. */
  at: 'key' | 'value';
  message: string;
  code: FeatureSpecIssueCode;
}

const DEPRECATED_ENUM_VALUES = new Set<unknown>(['legacy']);

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  boolean: 'true or false',
  integer: 'an integer',
  number: 'a number',
  null: 'empty',
};

const MISSING_FIELD_HINTS: Record<string, string> = {
  environmentKinds: `list the kinds of environment the feature runs in: ${ENVIRONMENT_KINDS.join(', ')}`,
  type: 'one of string, int, bool, string_array',
  template: 'the Go template that computes the value',
};

/** Translates ajv's errors (run with `allErrors` and `verbose`) into one problem per mistake, in a chart author's words. */
export function translateSchemaErrors(errors: readonly ErrorObject[], data: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const anyOfFailures = errors.filter((error) => error.keyword === 'anyOf').map((error) => error.schemaPath);
  // A value with a misspelt field ("conifg") lacks config for that reason only: the unknown field says it all.
  const withUnknownFields = new Set(errors.filter((error) => error.keyword === 'additionalProperties').map((error) => error.instancePath));
  // A value of the wrong type fails its enum too: the type error alone says what is wrong.
  const wrongTypes = new Set(errors.filter((error) => error.keyword === 'type').map((error) => error.instancePath));
  for (const error of errors) {
    if (error.keyword === 'enum' && wrongTypes.has(error.instancePath)) continue;
    if (anyOfFailures.some((schemaPath) => error.schemaPath.startsWith(`${schemaPath}/`))) continue;
    if (error.keyword === 'anyOf' && withUnknownFields.has(error.instancePath)) continue;
    const problem = translate(error, pointerToPath(error.instancePath, data));
    if (problem !== undefined) problems.push(problem);
  }
  return problems;
}

function translate(error: ErrorObject, path: PathSegment[]): SchemaProblem | undefined {
  const params = error.params as Record<string, unknown>;
  const last = path.at(-1);
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params['additionalProperty']);
      const allowed = Object.keys((error.parentSchema?.['properties'] as Record<string, unknown> | undefined) ?? {});
      const suggestion = closest(field, allowed);
      const home = suggestion === undefined ? nestedHome(field, error.parentSchema) : undefined;
      const hint = suggestion !== undefined ? `; did you mean "${suggestion}"?` : home !== undefined ? `; "${field}" belongs under "${home}"` : '';
      return {
        path: [...path, field],
        at: 'key',
        code: 'schema.unknown-field',
        message: `unknown field "${field}" (allowed: ${allowed.join(', ')})${hint}`,
      };
    }
    case 'required': {
      const field = String(params['missingProperty']);
      const hint = MISSING_FIELD_HINTS[field];
      return { path, at: 'key', code: 'schema.missing-field', message: `missing required field "${field}"${hint === undefined ? '' : ` (${hint})`}` };
    }
    case 'anyOf':
      return {
        path,
        at: 'key',
        code: 'schema.value-source-missing',
        message: 'a value needs "config" (operator-supplied), "computed" (a template) or both',
      };
    case 'type': {
      const expected = [params['type']].flat().map((type) => TYPE_WORDS[String(type)] ?? String(type));
      return { path, at: 'value', code: 'schema.wrong-type', message: `must be ${expected.join(' or ')} (got ${describeJsonValue(error.data)})` };
    }
    case 'enum': {
      const allowed = ((params['allowedValues'] as unknown[] | undefined) ?? []).filter((value) => !DEPRECATED_ENUM_VALUES.has(value));
      return {
        path,
        at: 'value',
        code: 'schema.not-allowed-value',
        message: `must be one of ${allowed.map(String).join(', ')} (got ${describeJsonValue(error.data)})`,
      };
    }
    case 'pattern': {
      if (typeof params['propertyName'] === 'string' || error.propertyName !== undefined) {
        const key = String(error.propertyName ?? params['propertyName']);
        return {
          path: [...path, key],
          at: 'key',
          code: 'schema.bad-helm-key',
          message: 'invalid Helm key: dot-separated segments must not be empty (write \\. for a literal dot inside a segment)',
        };
      }
      if (last === 'timeout') {
        return {
          path,
          at: 'value',
          code: 'schema.bad-duration',
          message: `must be a duration of hours, minutes and seconds in that order, like 10m, 1h30m or 90s (got ${describeJsonValue(error.data)})`,
        };
      }
      return { path, at: 'value', code: 'schema.invalid', message: `does not match ${String(params['pattern'])} (got ${describeJsonValue(error.data)})` };
    }
    case 'propertyNames':
      return undefined; // reported by the inner `pattern` error, which names the key
    case 'minItems':
      return {
        path,
        at: 'value',
        code: 'schema.empty',
        message: last === 'environmentKinds' ? `must list at least one kind (${ENVIRONMENT_KINDS.join(', ')})` : 'must not be an empty list',
      };
    case 'minLength':
      if (last === 'template') return undefined; // the template checks say "empty template" in their own words
      return { path, at: 'value', code: 'schema.empty', message: 'must not be empty' };
    case 'minProperties':
      return { path, at: 'value', code: 'schema.empty', message: 'a dependency needs "allOf", "anyOf" or both' };
    case 'uniqueItems': {
      const index = Number(params['i']);
      return {
        path: Number.isInteger(index) ? [...path, index] : path,
        at: 'value',
        code: 'schema.duplicate-item',
        message: `${describeJsonValue(Array.isArray(error.data) ? (error.data[index] as unknown) : undefined)} is listed twice (first at position ${Number(params['j']) + 1})`,
      };
    }
    default:
      return { path, at: 'value', code: 'schema.invalid', message: error.message ?? 'is not valid' };
  }
}

/** The property of `parentSchema` whose own object schema has `field`: `type` belongs under `config`. */
function nestedHome(field: string, parentSchema: unknown): string | undefined {
  const properties = isPlainObject(parentSchema) ? parentSchema['properties'] : undefined;
  if (!isPlainObject(properties)) return undefined;
  const defs = featureSchema['$defs'] as Record<string, unknown>;
  for (const [name, schema] of Object.entries(properties)) {
    const ref = isPlainObject(schema) ? schema['$ref'] : undefined;
    const resolved = typeof ref === 'string' ? defs[ref.replace('#/$defs/', '')] : schema;
    const nested = isPlainObject(resolved) ? resolved['properties'] : undefined;
    if (isPlainObject(nested) && Object.hasOwn(nested, field)) return name;
  }
  return undefined;
}

/** `/values/image.tag/config` → `['values', 'image.tag', 'config']`, numbers for list positions. */
function pointerToPath(pointer: string, data: unknown): PathSegment[] {
  if (pointer === '') return [];
  const path: PathSegment[] = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node)) {
      const index = Number(segment);
      path.push(index);
      node = node[index] as unknown;
    } else {
      path.push(segment);
      node = isPlainObject(node) ? node[segment] : undefined;
    }
  }
  return path;
}
