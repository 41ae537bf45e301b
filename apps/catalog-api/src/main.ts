import { ConfigError } from '@fasit/config';
import { startCatalog } from './bootstrap.js';
import { loadCatalogConfig } from './settings/catalog.settings.js';

try {
  const running = await startCatalog(loadCatalogConfig());
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (e) {
  process.stderr.write(`catalog-api failed to start: ${e instanceof ConfigError ? e.message : ((e as Error).stack ?? String(e))}\n`);
  process.exit(1);
}
