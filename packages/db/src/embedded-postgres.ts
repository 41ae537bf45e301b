// An embedded PostgreSQL (PGlite: Postgres in WASM) behind a local socket, for machines where a real server
// cannot be started. `pg` and TypeORM connect to it like to any server. About 2.5x slower than a real one.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: { dataDir?: string; port: number; host?: string }): Promise<EmbeddedPostgres> {
  const host = options.host ?? '127.0.0.1';
  const db = await PGlite.create(options.dataDir ?? 'memory://');
  await db.exec('CREATE EXTENSION IF NOT EXISTS pgcrypto').catch(() => undefined);
  const server = new PGLiteSocketServer({ db, port: options.port, host, maxConnections: 32 });
  await server.start();
  return {
    url: `postgres://postgres@${host}:${options.port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
