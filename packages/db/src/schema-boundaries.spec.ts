// Services meet at published read contracts: a service's SQL names its own schemas (`<service>` and the
// `<service>_api` views it publishes), another service's `_api` views only from a `*.reader.ts` file, and another
// service's tables nowhere. This scans every TypeScript file of the apps for SQL that names a schema
// (`FROM`, `JOIN`, `INTO`, `UPDATE`, `TABLE`, `VIEW`, `ON`, `EXISTS`, `REFERENCES` followed by `schema.`).
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SERVICES: Record<string, string> = { 'catalog-api': 'catalog', matcher: 'matcher', reconciler: 'reconciler', dispatcher: 'dispatcher' };
const SCHEMAS = Object.values(SERVICES);
const SQL_REFERENCE = new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE|TABLE|VIEW|ON|EXISTS|REFERENCES)\\s+"?(${SCHEMAS.join('|')})(_api)?"?\\.`, 'g');

/**
 * The only files that name another service's tables: tests that write rows as that service would, into its real
 * tables (created by its own migrations: `migrateServiceSchemas` in @fasit/testing, or its service started), so
 * that the code under test reads them through the published views. No source file is here: every read of another
 * service goes through its `_api` views from a `*.reader.ts` (issue 9). An entry that no longer names them fails the
 * test too, so the list only shrinks.
 */
const TEST_FIXTURES: Record<string, string[]> = {
  'apps/catalog-api/test/openapi.int-spec.ts': ['dispatcher', 'reconciler'],
  'apps/catalog-api/test/console-api.int-spec.ts': ['dispatcher', 'reconciler'],
  'apps/catalog-api/test/explain.int-spec.ts': ['dispatcher', 'reconciler'],
  'apps/catalog-api/test/features.int-spec.ts': ['dispatcher'],
  'apps/catalog-api/test/security/route-matrix.int-spec.ts': ['dispatcher'],
  'apps/catalog-api/test/environment-feature.int-spec.ts': ['dispatcher', 'reconciler'],
  'apps/reconciler/test/reconciler.int-spec.ts': ['catalog', 'dispatcher', 'matcher'],
  // changes made in SQL behind the services' backs (no event), which the reconciler's sweep must catch (decision 0028)
  'apps/reconciler/test/sweep.int-spec.ts': ['catalog', 'dispatcher'],
  // synthetic rows at the full size, written as each service would (the sweep's measurement, decision 0028)
  'apps/reconciler/scripts/sweep-synthetic.ts': ['catalog', 'dispatcher', 'matcher'],
  'apps/matcher/test/matcher.int-spec.ts': ['catalog'],
};

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'generated') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return typescriptFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The violations of one file: `schema` for another service's table, `schema_api` for its view outside a reader. */
export function crossSchemaReferences(file: string, text: string, service: string): string[] {
  const own = SERVICES[service];
  const found = new Set<string>();
  for (const m of text.matchAll(SQL_REFERENCE)) {
    const schema = m[1] ?? '';
    if (schema === own) continue;
    if (m[2] && file.endsWith('.reader.ts')) continue;
    found.add(`${schema}${m[2] ?? ''}`);
  }
  return [...found].sort();
}

function violations(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const service of Object.keys(SERVICES)) {
    for (const file of typescriptFiles(join(ROOT, 'apps', service))) {
      const found = crossSchemaReferences(file, readFileSync(file, 'utf8'), service);
      if (found.length) out[relative(ROOT, file)] = found;
    }
  }
  return out;
}

describe('schema boundaries between services', () => {
  it("finds SQL that names another service's tables, or its views outside a reader", () => {
    const sql = (s: string): string => `await m.query(\`${s}\`)`;
    expect(crossSchemaReferences('a/x.service.ts', sql('SELECT id FROM catalog.environments'), 'matcher')).toEqual(['catalog']);
    expect(
      crossSchemaReferences('a/x.service.ts', sql('SELECT 1 FROM dispatcher_api.releases r JOIN "reconciler".decisions d ON d.id = r.id'), 'matcher'),
    ).toEqual(['dispatcher_api', 'reconciler']);
    expect(crossSchemaReferences('a/catalog.reader.ts', sql('SELECT id FROM catalog_api.environments'), 'matcher')).toEqual([]);
    expect(crossSchemaReferences('a/catalog.reader.ts', sql('SELECT id FROM catalog.environments'), 'matcher')).toEqual(['catalog']);
    expect(crossSchemaReferences('a/x.service.ts', sql('DELETE FROM matcher.winners WHERE feature = $1'), 'matcher')).toEqual([]);
    expect(crossSchemaReferences('a/x.ts', sql('CREATE VIEW catalog_api.environments AS SELECT 1 FROM catalog.environments'), 'catalog-api')).toEqual([]);
    // topic names and prose are not SQL
    expect(crossSchemaReferences('a/x.ts', "bus.publish('catalog.assignment.changed.v1', e) // reads the catalog.environments view", 'matcher')).toEqual([]);
  });

  it('holds in every app: another service is read only through its `_api` views, and only from `*.reader.ts` files', () => {
    expect(violations()).toEqual(TEST_FIXTURES);
  });
});
