import { ConfigError } from '@fasit/config';
import { startService } from '@fasit/service';
import { loadDispatcherConfig } from './config/dispatcher.config.js';
import { dispatcherService } from './dispatcher.service-definition.js';

try {
  const config = loadDispatcherConfig();
  const running = await startService(dispatcherService(config), config);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (e) {
  process.stderr.write(`dispatcher failed to start: ${e instanceof ConfigError ? e.message : ((e as Error).stack ?? String(e))}\n`);
  process.exit(1);
}
