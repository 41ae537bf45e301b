// Every query lives in a repository (`*.repository.ts`, a service's own tables) or a reader (`*.reader.ts`, another
// service's published `_api` views); services hold the rules (issue 9). Besides those, only the database folder of an
// app (migrations, its data source, its migrate command) talks SQL. This scans the source of the apps listed here;
// an app joins the list when its queries have moved.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const APPS = ['matcher', 'reconciler'];
const QUERY =
  /\.query\s*[<(]|\bcreateQueryBuilder\s*[<(]|\bgetRepository\s*[<(]|\.manager\.(?:find|findOne|findBy|findOneBy|insert|update|delete|save|upsert|count)\s*[<(]/g;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'database' ? [] : sources(path);
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
  });

  it.each(APPS)('holds in %s: its queries are in repositories and readers only', (app) => {
    const found = sources(join(ROOT, 'apps', app, 'src')).flatMap((f) => misplacedQueries(relative(ROOT, f).split(sep).join('/'), readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });
});
