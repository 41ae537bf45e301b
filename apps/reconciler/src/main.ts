import { ConfigError } from '@fasit/config';
import { startService } from '@fasit/service';
import { loadReconcilerConfig } from './config/reconciler.config.js';
import { reconcilerService } from './reconciler.service-definition.js';

try {
  const config = loadReconcilerConfig();
  const running = await startService(reconcilerService(config), config);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (e) {
  process.stderr.write(`reconciler failed to start: ${e instanceof ConfigError ? e.message : ((e as Error).stack ?? String(e))}\n`);
  process.exit(1);
}
