// Every query lives in a repository or a reader (issue 9; immich's services hold no SQL, their repositories do): in
// the apps below, `.query(`, `createQueryBuilder` and `getRepository` appear only in `*.repository.ts` (the
// service's own tables), `*.reader.ts` (other services' `_api` views), migrations, the data source and the
// transaction helper. Services keep the rules; a service method reads without a query in it.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const QUERY = /\.query\s*(?:<[^>()]*(?:<[^>()]*>[^>()]*)*>)?\s*\(|\bcreateQueryBuilder\b|\bgetRepository\b/g;

/** Where queries may be, in every app this test covers. */
const ALLOWED = [/\.repository\.ts$/, /\.reader\.ts$/, /\/src\/database\/migrations\//, /\/src\/database\/[\w-]+-data-source\.ts$/];

/**
 * The apps held to it, each with the files that are allowed besides (the transaction helper, the readers' helper)
 * and the files not moved yet, which may only shrink: a listed file without a query fails the test too.
 */
const APPS: Record<string, { helpers: string[]; pending: string[] }> = {
  'apps/catalog-api': {
    helpers: [
      'apps/catalog-api/src/common/catalog-transaction.ts', // writes the audit entries of a transaction with it
      'apps/catalog-api/src/common/foreign-read.ts', // the readers' one query call (a view not there yet reads empty)
    ],
    // Issue 12 is changing it in another branch; its queries move to a repository once that lands.
    pending: ['apps/catalog-api/src/assignments/assignment-status.service.ts'],
  },
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'generated') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The query calls of one file: each as `line: text`. */
export function queryCalls(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(QUERY)) {
    const line = text.slice(0, m.index).split('\n').length;
    out.push(`${line}: ${m[0].replace(/\s+/g, '')}`);
  }
  return out;
}

function misplaced(app: string): Record<string, string[]> {
  const { helpers } = APPS[app]!;
  const out: Record<string, string[]> = {};
  for (const file of sourceFiles(join(ROOT, app, 'src'))) {
    const path = relative(ROOT, file);
    if (ALLOWED.some((a) => a.test(`/${path}`)) || helpers.includes(path)) continue;
    if (queryCalls(readFileSync(file, 'utf8')).length > 0) out[path] = queryCalls(readFileSync(file, 'utf8'));
  }
  return out;
}

describe('queries live in repositories and readers', () => {
  it('finds query calls, typed or not, and nothing else', () => {
    expect(queryCalls('const rows = await this.ds.query<{ id: string }[]>(`SELECT 1`);')).toEqual(['1: .query<{id:string}[]>(']);
    expect(queryCalls('await m.query(`DELETE FROM catalog.x`)')).toEqual(['1: .query(']);
    expect(queryCalls('const r = await m.query<[Row[], number]>(\n`UPDATE …`)')).toEqual(['1: .query<[Row[],number]>(']);
    expect(queryCalls('x\nthis.ds.getRepository(Assignment).createQueryBuilder(`a`)')).toEqual(['2: getRepository', '2: createQueryBuilder']);
    // a method that happens to be called query is one too (name it for what it does); a property or a word is not
    expect(queryCalls('this.audit.query(q)')).toEqual(['1: .query(']);
    expect(queryCalls("const query = req.query; // the query string, @Query('q')")).toEqual([]);
  });

  it.each(Object.keys(APPS))('%s: only in repositories, readers, migrations, the data source and the transaction helper', (app) => {
    const found = misplaced(app);
    const pending = APPS[app]!.pending;
    expect(Object.keys(found).sort()).toEqual([...pending].sort());
  });
});
