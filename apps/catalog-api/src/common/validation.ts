// Request validation with ajv: the first problem becomes a 400 that names the field.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { invalid } from '@fasit/domain';
import type { Static, TSchema } from '@sinclair/typebox';

const ajv = new Ajv2020({ allErrors: false, strict: false });
const cache = new WeakMap<object, ValidateFunction>();

/** The input, typed by its schema (`*.schemas.ts`), or a 400 naming the first field that breaks it. */
export function validateInput<S extends TSchema>(schema: S, input: unknown, where = 'body'): Static<S> {
  let v = cache.get(schema) as ValidateFunction<Static<S>> | undefined;
  if (!v) {
    v = ajv.compile<Static<S>>(schema);
    cache.set(schema, v);
  }
  if (!v(input)) {
    const e = v.errors?.[0];
    throw invalid(describe(e, where), fieldOf(e));
  }
  return input;
}

function fieldOf(e: ErrorObject | undefined): string | undefined {
  if (!e) return undefined;
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const extra =
    e.keyword === 'required'
      ? (e.params as { missingProperty: string }).missingProperty
      : e.keyword === 'additionalProperties'
        ? (e.params as { additionalProperty: string }).additionalProperty
        : '';
  return [base, extra].filter(Boolean).join('.') || undefined;
}

function describe(e: ErrorObject | undefined, where: string): string {
  if (!e) return `${where} is invalid`;
  const field = fieldOf(e) ?? where;
  switch (e.keyword) {
    case 'required':
      return `${field}: is required`;
    case 'additionalProperties':
      return `${field}: unknown field`;
    case 'type':
      return `${field}: must be ${(e.params as { type: string }).type}`;
    case 'enum':
      return `${field}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    default:
      return `${field}: ${e.message ?? 'is invalid'}`;
  }
}

/** A boolean query parameter: absent, `true` or `false`; anything else is a 400 naming it. */
export function boolQuery(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  throw invalid(`${name}: must be true or false`, name);
}
