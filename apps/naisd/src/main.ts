import { ConfigError, JsonLogger } from '@fasit/config';
import { loadNaisdConfig } from './config/naisd.config.js';
import { startNaisd } from './naisd.app.js';

async function main(): Promise<void> {
  const config = loadNaisdConfig();
  const logger = new JsonLogger('naisd', config.logLevel);
  const naisd = await startNaisd(config, { logger });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.entry('info', 'stopping: waiting for the running helm operation', { signal });
    naisd.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.entry('error', 'stop failed', { error: err instanceof Error ? err.message : String(err) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`naisd: ${message}\n`);
  process.exit(1);
});
