// Builds and starts the catalog API: migrate, wire, listen, relay the outbox. Used by main.ts and by tests.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createEventBus, type EventBus, type OutboxRelay } from '@fasit/bus';
import { JsonLogger } from '@fasit/config';
import { initializeAndMigrate } from '@fasit/db';
import { CatalogModule } from './app.module.js';
import { CATALOG_RELAY } from './common/catalog-transaction.js';
import type { CatalogConfig } from './config/catalog.config.js';
import { catalogDataSource } from './database/catalog-data-source.js';

export interface RunningCatalog {
  app: NestExpressApplication;
  url: string;
  bus: EventBus;
  close(): Promise<void>;
}

export async function startCatalog(config: CatalogConfig, options: { bus?: EventBus; logger?: JsonLogger } = {}): Promise<RunningCatalog> {
  const logger = options.logger ?? new JsonLogger('catalog-api', config.logLevel);
  const dataSource = catalogDataSource(config.databaseUrl, config.databasePoolSize);
  await initializeAndMigrate(dataSource);
  const bus = options.bus ?? createEventBus(config, logger.child('bus'));
  const app = await NestFactory.create<NestExpressApplication>(CatalogModule.forRoot({ config, dataSource, bus, logger }), { logger, bodyParser: false });
  app.useBodyParser('json', { limit: config.maxBodyBytes });
  app.enableShutdownHooks();
  const relay = app.get<OutboxRelay>(CATALOG_RELAY);
  relay.start();
  await app.listen(config.httpPort, config.httpHost);
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://${config.httpHost}:${address.port}`;
  logger.entry('info', `catalog API listening on ${url}`, { url });
  return {
    app,
    url,
    bus,
    async close() {
      await relay.stop();
      await app.close();
      await dataSource.destroy();
      if (!options.bus) await bus.bus.close();
    },
  };
}
