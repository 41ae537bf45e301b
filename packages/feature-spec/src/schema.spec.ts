import { describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { CONFIG_TYPES, ENVIRONMENT_KINDS } from './model.js';
import { featureSchema } from './schema.js';

type Json = Record<string, unknown>;

/** Every schema node that describes a named property, with its JSON pointer. */
function propertySchemas(node: unknown, pointer = '#'): [string, Json][] {
  if (typeof node !== 'object' || node === null) return [];
  const out: [string, Json][] = [];
  for (const [key, child] of Object.entries(node)) {
    if (key === 'properties' && typeof child === 'object' && child !== null) {
      for (const [name, schema] of Object.entries(child as Json)) out.push([`${pointer}/properties/${name}`, schema as Json]);
    }
    out.push(...propertySchemas(child, `${pointer}/${key}`));
  }
  return out;
}

function resolve(schema: Json): Json {
  const ref = schema['$ref'];
  if (typeof ref !== 'string') return schema;
  const name = ref.replace('#/$defs/', '');
  return (featureSchema['$defs'] as Record<string, Json>)[name] ?? {};
}

describe('the Feature.yaml JSON Schema', () => {
  it('is a valid draft 2020-12 schema that ajv compiles in strict mode', () => {
    expect(featureSchema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    const ajv = new Ajv2020({ strict: true, strictRequired: false });
    expect(ajv.validateSchema(featureSchema)).toBe(true);
    expect(() => ajv.compile(featureSchema)).not.toThrow();
  });

  it('gives every property a title and a description, so editors can show help', () => {
    const missing = propertySchemas(featureSchema)
      .filter(([, schema]) => {
        const resolved = resolve(schema);
        return typeof resolved['title'] !== 'string' || typeof resolved['description'] !== 'string';
      })
      .map(([pointer]) => pointer);
    expect(missing).toEqual([]);
  });

  it('forbids unknown fields in every object', () => {
    const defs = featureSchema['$defs'] as Record<string, Json>;
    const objects = [featureSchema, ...Object.values(defs)].filter((schema) => schema['type'] === 'object' && schema['properties'] !== undefined);
    expect(objects.map((schema) => schema['additionalProperties'])).toEqual(objects.map(() => false));
  });

  it('lists the kinds and config types the model knows, plus the deprecated legacy kind', () => {
    const defs = featureSchema['$defs'] as Record<string, Json>;
    expect(defs['environmentKind']?.['enum']).toEqual([...ENVIRONMENT_KINDS, 'legacy']);
    const config = defs['config']?.['properties'] as Record<string, Json>;
    expect(config['type']?.['enum']).toEqual([...CONFIG_TYPES]);
  });
});
