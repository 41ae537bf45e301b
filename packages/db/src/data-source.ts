// One TypeORM data source per service, bound to the service's own PostgreSQL schema. Migrations are TypeORM
// migration classes owned by each service (timestamped, append-only) and run at start under an advisory lock, so
// several replicas can start at once.
import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';

export interface ServiceDataSourceOptions {
  url: string;
  /** The PostgreSQL schema this service owns (catalog, matcher, reconciler, dispatcher). */
  schema: string;
  entities: DataSourceOptions['entities'];
  migrations: DataSourceOptions['migrations'];
  poolSize?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
}

export function createServiceDataSource(o: ServiceDataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: o.url,
    schema: o.schema,
    entities: o.entities,
    migrations: o.migrations,
    migrationsTableName: `${o.schema}_migrations`,
    migrationsTransactionMode: 'each',
    uuidExtension: 'pgcrypto',
    synchronize: false,
    logging: false,
    poolSize: o.poolSize ?? 10,
    applicationName: o.applicationName ?? `fasit-${o.schema}`,
  });
}

/** Initializes the data source, creates the schema and runs pending migrations, serialized across replicas. */
export async function initializeAndMigrate(ds: DataSource): Promise<void> {
  if (!ds.isInitialized) await ds.initialize();
  const schema = (ds.options as { schema?: string }).schema ?? 'public';
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`fasit-migrate-${schema}`]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`fasit-migrate-${schema}`]);
    }
  } finally {
    await runner.release();
  }
}
