import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of `schema/feature.json` (JSON Schema draft 2020-12), for serving it as a file. */
export const featureSchemaPath: string = fileURLToPath(new URL('../schema/feature.json', import.meta.url));

/** The Feature.yaml JSON Schema (draft 2020-12). Served by the catalog API at `GET /schema/feature.json`. */
export const featureSchema: Readonly<Record<string, unknown>> = JSON.parse(readFileSync(featureSchemaPath, 'utf8')) as Record<string, unknown>;

/** Where the catalog API serves the schema; use it in the `# yaml-language-server: $schema=...` modeline. */
export const FEATURE_SCHEMA_HTTP_PATH = '/schema/feature.json';
