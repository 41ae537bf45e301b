import { ConfigError } from '@fasit/config';
import { startService } from '@fasit/service';
import { loadMatcherConfig } from './config/matcher.config.js';
import { matcherService } from './matcher.service-definition.js';

try {
  const config = loadMatcherConfig();
  const running = await startService(matcherService(config), config);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (e) {
  process.stderr.write(`matcher failed to start: ${e instanceof ConfigError ? e.message : ((e as Error).stack ?? String(e))}\n`);
  process.exit(1);
}
