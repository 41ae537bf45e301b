// Every query lives in a repository (`*.repository.ts`, a service's own tables) or a reader (`*.reader.ts`, another
// service's published `_api` views); services hold the rules (issue 9; immich's services hold no SQL, their
// repositories do). Besides those, only the database folder of an app (migrations, its data source, its migrate
// command) talks SQL, and the few helpers an app lists below. This scans the source of the apps listed here; an app
// joins the list when its queries have moved.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const QUERY =
  /\.query\s*[<(]|\bcreateQueryBuilder\s*[<(]|\bgetRepository\s*[<(]|\.manager\.(?:find|findOne|findBy|findOneBy|insert|update|delete|save|upsert|count)\s*[<(]/g;

/**
 * The apps held to it. `helpers`: files allowed besides repositories and readers. `pending`: files whose queries
 * have not moved yet; the list may only shrink (a listed file without a query fails the test too).
 */
const APPS: Record<string, { helpers: string[]; pending: string[] }> = {
  matcher: { helpers: [], pending: [] },
  reconciler: { helpers: [], pending: [] },
  'catalog-api': {
    helpers: [
      'apps/catalog-api/src/common/catalog-transaction.ts', // writes a transaction's audit entries with its change
      'apps/catalog-api/src/common/foreign-read.ts', // the readers' one query call (a view not there yet reads empty)
    ],
    pending: [],
  },
  dispatcher: { helpers: [], pending: [] },
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'database' || name === 'generated' ? [] : sources(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The query calls of a file that is neither a repository nor a reader, as `file:line`. */
export function misplacedQueries(file: string, text: string): string[] {
  if (file.endsWith('.repository.ts') || file.endsWith('.reader.ts')) return [];
  return [...text.matchAll(QUERY)].map((m) => `${file}:${text.slice(0, m.index).split('\n').length}`);
}

describe('where queries live', () => {
  it('finds a query call outside a repository or reader, with its line', () => {
    const text = "const a = 1;\nconst rows = await m.query<{ n: number }[]>('SELECT 1');\nawait this.ds.getRepository(Tenant).find();\n";
    expect(misplacedQueries('apps/x/src/y/y.service.ts', text)).toEqual(['apps/x/src/y/y.service.ts:2', 'apps/x/src/y/y.service.ts:3']);
    expect(misplacedQueries('apps/x/src/y/y.repository.ts', text)).toEqual([]);
    expect(misplacedQueries('apps/x/src/y/catalog.reader.ts', text)).toEqual([]);
    expect(misplacedQueries('apps/x/src/y/y.service.ts', 'await this.ds.transaction(async (m) => work(m)); // a query( in prose')).toEqual([]);
    // a method that happens to be called query is one too (name it for what it does); a property is not
    expect(misplacedQueries('apps/x/src/y/y.controller.ts', 'this.audit.query(q); const query = req.query;')).toEqual(['apps/x/src/y/y.controller.ts:1']);
    expect(misplacedQueries('apps/x/src/y/y.service.ts', 'this.ds.getRepository(A).createQueryBuilder(`a`)')).toHaveLength(2);
  });

  it.each(Object.keys(APPS))('holds in %s: its queries are in repositories and readers only', (app) => {
    const { helpers, pending } = APPS[app]!;
    const found = sources(join(ROOT, 'apps', app, 'src'))
      .map((f) => relative(ROOT, f).split(sep).join('/'))
      .filter((f) => !helpers.includes(f))
      .flatMap((f) => misplacedQueries(f, readFileSync(join(ROOT, f), 'utf8')));
    expect([...new Set(found.map((f) => f.replace(/:\d+$/, '')))].sort()).toEqual([...pending].sort());
  });
});
