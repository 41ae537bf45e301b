// Reads of other services' published views (`<service>_api`, from `*.reader.ts` files; listed in the README). A
// view that its owner has not migrated yet reads as empty: "relation does not exist" (42P01) and "schema does not exist" (3F000) give no rows.
import type { DataSource, EntityManager } from 'typeorm';

const MISSING = new Set(['42P01', '3F000']);

export async function foreignRead<T>(db: DataSource | EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  try {
    return await db.query<T[]>(sql, params);
  } catch (e) {
    const code = (e as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (e as { code?: string }).code;
    if (code && MISSING.has(code)) return [];
    throw e;
  }
}

/** The agents themselves: never uninstalled through Fasit, never counted as workload. */
export const AGENT_RELEASES = new Set(['naisd', 'fasitd']);
