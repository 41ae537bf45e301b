// The building blocks of the REST API's contracts: each request and response schema is written once, with TypeBox,
// in its capability's `*.schemas.ts`; ajv validates requests with it, the OpenAPI document publishes it, and the
// TypeScript types of handlers' inputs and services' views are derived from it (`Static<typeof …>`), so a field
// changed in a schema changes the types the code is compiled against. The helpers emit plain JSON Schema 2020-12
// (what OpenAPI 3.1 uses) in the forms the document always had: `type: [x, 'null']`, `enum`, `oneOf` with null.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

export { Type, type Static, type TSchema };

export const str = Type.String();
export const nstr = Type.Unsafe<string | null>({ type: ['string', 'null'] });
export const time = Type.String({ format: 'date-time' });
export const ntime = Type.Unsafe<string | null>({ type: ['string', 'null'], format: 'date-time' });
export const bool = Type.Boolean();
export const int = Type.Integer();
export const nint = Type.Unsafe<number | null>({ type: ['integer', 'null'] });
/** Any JSON value. */
export const json = Type.Unknown();
export const strs = Type.Array(str);
export const labels = Type.Unsafe<Record<string, string>>({ type: 'object', additionalProperties: { type: 'string' } });

/** One of the given values. */
export function enumOf<const T extends readonly (string | null)[]>(values: T) {
  return Type.Unsafe<T[number]>({ enum: [...values] });
}

/** The schema, or null. */
export function nullable<T extends TSchema>(schema: T) {
  return Type.Unsafe<Static<T> | null>({ oneOf: [{ type: 'null' }, schema] });
}

/** A request body: closed (an unknown field is a 400 naming it). */
export function body<T extends Record<string, TSchema>>(properties: T, options: { minProperties?: number } = {}) {
  return Type.Object(properties, { additionalProperties: false, ...options });
}
