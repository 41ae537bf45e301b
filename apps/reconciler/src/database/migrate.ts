// Runs the reconciler's migrations on the database named by the first argument and exits: its schema and its published
// `reconciler_api` views, as its own start would create them. Other services' test harnesses use it (through
// `migrateServiceSchemas` in @fasit/testing) so that they read the real views, never hand-copied tables.
import { initializeAndMigrate } from '@fasit/db';
import { reconcilerDataSource } from './reconciler-data-source.js';

const url = process.argv[2];
if (!url) {
  console.error('usage: migrate.ts <database url>');
  process.exit(2);
}
const ds = reconcilerDataSource(url, 2); // one connection holds the migration lock, one runs the migrations
await initializeAndMigrate(ds);
await ds.destroy();
