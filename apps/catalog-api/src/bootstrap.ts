// Builds and starts the catalog API: migrate, wire, listen, relay the outbox. Used by main.ts and by tests.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Request, Response } from 'express';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { consumeAll, createEventBus, type EventBus, type OutboxRelay } from '@fasit/bus';
import { ConfigError, JsonLogger } from '@fasit/config';
import { initializeAndMigrate } from '@fasit/db';
import { ServiceMetrics, busMetrics, httpMetrics } from '@fasit/metrics';
import { httpTracing, startTracing } from '@fasit/tracing';
import { CatalogModule } from './app.module.js';
import type { Actor } from './common/actor.js';
import { GithubPolicy } from './auth/github-policy.js';
import { CATALOG_RELAY } from './common/catalog-transaction.js';
import { isLoopback, type CatalogConfig } from './settings/catalog.settings.js';
import { catalogDataSource } from './database/catalog-data-source.js';
import { EnvironmentRepository } from './environments/environment.repository.js';
import { InstructionSubscriptionHandler } from './environments/instruction-subscription.handler.js';
import { GrpcHandlers, startGrpcServer, type GrpcServer } from './grpc/grpc.server.js';
import { secretBoxFromConfig } from './secrets/secret-box.provider.js';
import { serveWebConsole } from './web/web-console.js';

export interface RunningCatalog {
  app: NestExpressApplication;
  url: string;
  /** `host:port` of the gRPC management API, or null when it is off (FASIT_GRPC_PORT=-1). */
  grpcAddress: string | null;
  bus: EventBus;
  close(): Promise<void>;
}

/**
 * One structured line per request: method, path (never the query or the body: no values, no secrets), status,
 * duration, caller, and a request id (`x-request-id`, taken from the caller or made here) that is echoed back.
 */
function requestLog(logger: JsonLogger) {
  return (req: Request & { actor?: Actor }, res: Response, next: () => void): void => {
    const started = process.hrtime.bigint();
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && /^[\w.-]{1,100}$/.test(header) ? header : randomUUID();
    res.setHeader('x-request-id', requestId);
    res.on('finish', () => {
      const level = res.statusCode >= 500 ? 'error' : 'info';
      logger.entry(level, 'request', {
        requestId,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        actor: req.actor?.name ?? null,
      });
    });
    next();
  };
}

/**
 * Requests Node's HTTP parser refuses before any handler runs (headers over its 16 KiB limit, such as a 1 MB
 * bearer token; malformed requests) get problem JSON like every other refusal, instead of a bare status line.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: Error & { code?: string }, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, code, message] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'HEADERS_TOO_LARGE', 'the request headers are larger than the limit (16 KiB)']
        : [400, 'INVALID_INPUT', 'malformed HTTP request'];
    const body = JSON.stringify({ code, message });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
}

export async function startCatalog(config: CatalogConfig, options: { bus?: EventBus; logger?: JsonLogger } = {}): Promise<RunningCatalog> {
  const logger = options.logger ?? new JsonLogger('catalog-api', config.logLevel);
  const tracing = startTracing(config, 'catalog-api');
  if (config.authMode === 'dev' && (!isLoopback(config.httpHost) || (config.grpcPort >= 0 && !isLoopback(config.grpcHost)))) {
    throw new ConfigError([
      'FASIT_AUTH_MODE=dev has no authentication and listens on loopback only; set FASIT_HTTP_HOST/FASIT_GRPC_HOST to 127.0.0.1 or use FASIT_AUTH_MODE=oidc',
    ]);
  }
  // Outside development mode @fasit/config has refused a missing or public FASIT_SECRET_KEYS.
  const secretBox = secretBoxFromConfig(config.secretKeys);
  const dataSource = catalogDataSource(config.databaseUrl, config.databasePoolSize);
  await initializeAndMigrate(dataSource);
  const metrics = new ServiceMetrics('catalog-api');
  const baseBus = options.bus ?? createEventBus(config, logger.child('bus'));
  const bus = baseBus.observed(busMetrics(metrics), 'catalog-api');
  const app = await NestFactory.create<NestExpressApplication>(CatalogModule.forRoot({ config, dataSource, bus, logger, secretBox, metrics }), {
    logger,
    bodyParser: false,
    // A provider Nest cannot resolve (a module using another's provider that it does not export) throws here, so
    // main.ts reports it and tests see it, instead of Nest exiting the process.
    abortOnError: false,
  });
  app.useBodyParser('json', { limit: config.maxBodyBytes });
  // First: the request's log line and everything it writes to the outbox carry its trace.
  app.use(httpTracing('catalog-api'));
  app.use(requestLog(logger));
  app.use(httpMetrics(metrics));
  serveWebConsole(app, config);
  answerClientErrors(app.getHttpServer());
  const relay = app.get<OutboxRelay>(CATALOG_RELAY);
  relay.start();
  // Each environment's filtered subscription on its instruction shard follows the environment (decision 0024).
  const stopConsuming = config.instructionSubscriptions
    ? await consumeAll(bus, 'catalog-api', new InstructionSubscriptionHandler(bus.bus, app.get(EnvironmentRepository), logger.child('instructions')), {
        drainMs: config.drainTimeoutMs,
      })
    : () => Promise.resolve();
  await app.listen(config.httpPort, config.httpHost);
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://${config.httpHost}:${address.port}`;
  let grpc: GrpcServer | null = null;
  if (config.grpcPort >= 0) {
    try {
      grpc = await startGrpcServer(app.get(GrpcHandlers), config.grpcHost, config.grpcPort, logger.child('grpc'));
    } catch (e) {
      // Local development runs several platforms side by side (tests, the embedded launcher): a taken gRPC port
      // there turns gRPC off, loudly. Anywhere else it stops the process.
      if (config.authMode !== 'dev' || !/EADDRINUSE|address already in use|No address added/i.test(String((e as Error).message))) {
        await stopConsuming();
        await relay.stop();
        await app.close();
        await dataSource.destroy();
        throw e;
      }
      logger.entry(
        'warn',
        `gRPC port ${config.grpcHost}:${config.grpcPort} is taken: the gRPC management API is OFF in this process (set FASIT_GRPC_PORT=0 for a free port)`,
        { error: (e as Error).message },
      );
    }
  }
  logger.entry('info', `catalog API listening on ${url}`, {
    url,
    grpc: grpc?.address ?? null,
    authMode: config.authMode,
    console: config.webRoot !== undefined ? `${url}/` : null,
  });
  if (config.authMode === 'oidc' && config.githubAudienceCheck === 'off' && GithubPolicy.fromConfig(config.githubRepositories).enabled) {
    const warning =
      'FASIT_GITHUB_AUDIENCE_CHECK=off: GitHub Actions tokens of ANY audience are accepted. A token a workflow minted for another service can be replayed here. Set FASIT_GITHUB_OIDC_AUDIENCE and remove FASIT_GITHUB_AUDIENCE_CHECK.';
    logger.entry('warn', warning, { githubAudienceCheck: 'off' });
    process.stderr.write(`WARNING: ${warning}\n`);
  }
  if (config.authMode === 'dev') {
    const banner = [
      '************************************************************************',
      '*  FASIT CATALOG API IN DEVELOPMENT MODE: NO AUTHENTICATION.           *',
      '*  Every caller is a global admin. Listening on loopback only.         *',
      '*  Secrets are sealed with a fixed development key unless              *',
      '*  FASIT_SECRET_KEYS is set. Never run this mode in production:        *',
      '*  set FASIT_AUTH_MODE=oidc.                                           *',
      '************************************************************************',
    ];
    logger.entry('warn', banner.join('\n'), { authMode: 'dev', url });
    process.stderr.write(`${banner.join('\n')}\n`);
  }
  return {
    app,
    url,
    grpcAddress: grpc?.address ?? null,
    bus,
    /**
     * Drains: the gRPC and HTTP servers stop taking requests and finish the ones they have (main.ts handles
     * SIGTERM; Nest's own shutdown hooks are off so they cannot exit first), then the outbox is flushed, then the
     * database and the bus close.
     */
    async close() {
      const started = Date.now();
      await grpc?.close();
      await stopConsuming();
      await relay.stop();
      await app.close();
      const flushed = await relay.flush(Math.max(config.drainTimeoutMs - (Date.now() - started), 1000));
      await dataSource.destroy();
      if (!options.bus) await baseBus.bus.close();
      await tracing.flush();
      logger.entry('info', 'catalog API stopped', { drainedMs: Date.now() - started, outboxFlushed: flushed });
    },
  };
}
