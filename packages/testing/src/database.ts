// A fresh database per test suite on the local PostgreSQL started by scripts/services.sh (never one shared
// mutable database): each suite migrates what it needs into its own database and drops it at the end.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export function baseDatabaseUrl(): string {
  return process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:55432/fasit';
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A new database on the local PostgreSQL (or on the server of `baseUrl`). */
export async function createTestDatabase(prefix = 't', baseUrl = baseDatabaseUrl()): Promise<TestDatabase> {
  const base = new URL(baseUrl);
  const name = `${prefix}_${randomBytes(6).toString('hex')}`.toLowerCase();
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** The services whose schemas another service's tests may need (what they publish in their `<service>_api` views). */
export type MigratableService = 'reconciler' | 'dispatcher';

/**
 * Runs the services' own migrations on `databaseUrl`, each as its own process (`apps/<service>/src/database/migrate.ts`),
 * in order: what a test reads of another service is then that service's real schema and published views.
 */
export async function migrateServiceSchemas(databaseUrl: string, services: readonly MigratableService[]): Promise<void> {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  for (const service of services) {
    const cwd = join(repo, 'apps', service);
    await new Promise<void>((resolvePromise, reject) => {
      execFile(process.execPath, ['--import', '@swc-node/register/esm-register', 'src/database/migrate.ts', databaseUrl], { cwd }, (error, stdout, stderr) =>
        error ? reject(new Error(`migrating the ${service} schema failed: ${error.message}\n${stdout}${stderr}`)) : resolvePromise(),
      );
    });
  }
}
