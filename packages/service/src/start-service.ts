// The runtime of a worker service (matcher, reconciler, dispatcher): migrate its schema, connect the bus,
// expose /healthz and /readyz, consume its topics with its handler table (consumeAll), relay its outbox, and run
// its periodic jobs, with tracing set up (@fasit/tracing: a span per delivery and publish). close() drains: periodic jobs stop, the subscriptions stop pulling and the handlers already
// running finish (up to FASIT_DRAIN_TIMEOUT_MS, then they are nacked for another replica), the outbox is flushed,
// then HTTP, the database and the bus close.
import 'reflect-metadata';
import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventBus, OutboxRelay, consumeAll, createEventBus, type BusConfig, type Consumer, type EventHandlers, type TopicName } from '@fasit/bus';
import { developmentModeWarning, JsonLogger, type LogLevel } from '@fasit/config';
import { initializeAndMigrate } from '@fasit/db';
import { MetricsController, ServiceMetrics, busMetrics, httpMetrics, outboxMetrics } from '@fasit/metrics';
import { startTracing, type TracingConfig } from '@fasit/tracing';
import { HealthController, READINESS } from './health.controller.js';
import { Periodic } from './periodic.js';

export interface ServiceConfig extends BusConfig, Partial<TracingConfig> {
  authMode: 'dev' | 'oidc';
  databaseUrl: string;
  databasePoolSize: number;
  httpHost: string;
  httpPort: number;
  logLevel: LogLevel;
}

export interface ServiceDefinition<C extends Consumer = Consumer> {
  /** The consumer name: its subscriptions are `<topic>.<name>` for the topics the catalogue gives it. */
  name: C;
  schema: string;
  dataSource: (url: string, poolSize: number) => DataSource;
  /** The handler table: a provider with one handler per topic the service consumes (created by the runtime). */
  handlers: Type<EventHandlers<C>>;
  /** Providers; the DataSource, EventBus, OutboxRelay, JsonLogger and ServiceMetrics are provided by the runtime. */
  providers: (ctx: ServiceContext) => Provider[];
  /** Periodic jobs: resolved from the app after start. */
  jobs?: (app: INestApplication, ctx: ServiceContext) => { name: string; intervalMs: number; run: () => Promise<unknown>; initialDelayMs?: number }[];
  /** Per-topic concurrency. */
  maxInFlight?: (topic: TopicName) => number;
}

/** A worker service of any consumer (what a harness that starts any of them takes). */
export type AnyServiceDefinition = { [C in Consumer]: ServiceDefinition<C> }[Consumer];

export interface ServiceContext {
  dataSource: DataSource;
  bus: EventBus;
  relay: OutboxRelay;
  logger: JsonLogger;
  /** The service's metrics (`/metrics`): HTTP, bus and outbox are instrumented here; a service adds its own. */
  metrics: ServiceMetrics;
}

export interface RunningService {
  app: INestApplication;
  ctx: ServiceContext;
  url: string;
  jobs: Map<string, Periodic>;
  close(): Promise<void>;
}

export async function startService<C extends Consumer>(
  def: ServiceDefinition<C>,
  config: ServiceConfig,
  options: { bus?: EventBus; logger?: JsonLogger } = {},
): Promise<RunningService> {
  const logger = options.logger ?? new JsonLogger(def.name, config.logLevel);
  // Once per process (an embedded platform's first service sets it up); off unless FASIT_TRACING says otherwise.
  const tracing = startTracing({ tracing: config.tracing ?? 'off', tracingDir: config.tracingDir ?? '', otlpEndpoint: config.otlpEndpoint }, def.name);
  const dataSource = def.dataSource(config.databaseUrl, config.databasePoolSize);
  await initializeAndMigrate(dataSource);
  const metrics = new ServiceMetrics(def.name);
  const baseBus = options.bus ?? createEventBus(config, logger.child('bus'));
  // Each service counts its own traffic and names its own spans, also when an embedded platform hands every
  // service the same bus.
  const bus = baseBus.observed(busMetrics(metrics), def.name);
  const relay = new OutboxRelay(dataSource, bus, { schema: def.schema, logger: logger.child('outbox') });
  outboxMetrics(metrics, relay);
  const ctx: ServiceContext = { dataSource, bus, relay, logger, metrics };

  @Module({})
  class ServiceModule {}
  const module: DynamicModule = {
    module: ServiceModule,
    controllers: [HealthController, MetricsController],
    providers: [
      def.handlers,
      { provide: DataSource, useValue: dataSource },
      { provide: OutboxRelay, useValue: relay },
      { provide: JsonLogger, useValue: logger },
      { provide: EventBus, useValue: bus },
      { provide: ServiceMetrics, useValue: metrics },
      { provide: READINESS, useValue: async () => void (await dataSource.query('SELECT 1')) },
      ...def.providers(ctx),
    ],
  };
  const app = await NestFactory.create(module, { logger });
  app.use(httpMetrics(metrics));
  await app.init();
  const stopConsuming = await consumeAll(bus, def.name, app.get(def.handlers), {
    drainMs: config.drainTimeoutMs,
    ...(def.maxInFlight ? { maxInFlight: def.maxInFlight } : {}),
  });
  relay.start();
  await app.listen(config.httpPort, config.httpHost);
  const address = (app.getHttpServer() as import('node:http').Server).address() as { port: number };
  const url = `http://${config.httpHost}:${address.port}`;
  const jobs = new Map<string, Periodic>();
  for (const j of def.jobs?.(app, ctx) ?? []) {
    const p = new Periodic(j.name, j.intervalMs, j.run, (name, err) => logger.entry('error', `periodic job ${name} failed`, { error: (err as Error).message }));
    p.start(j.initialDelayMs);
    jobs.set(j.name, p);
  }
  logger.entry('info', `${def.name} started`, { url, bus: bus.bus.kind, authMode: config.authMode });
  if (config.authMode === 'dev') logger.entry('warn', developmentModeWarning(def.name), { authMode: 'dev' });
  return {
    app,
    ctx,
    url,
    jobs,
    async close() {
      const started = Date.now();
      await Promise.all([...jobs.values()].map((j) => j.stop()));
      await stopConsuming();
      const flushed = await relay.flush(Math.max(config.drainTimeoutMs - (Date.now() - started), 1000));
      await app.close();
      await dataSource.destroy();
      if (!options.bus) await baseBus.bus.close();
      await tracing.flush();
      logger.entry('info', `${def.name} stopped`, { drainedMs: Date.now() - started, outboxFlushed: flushed });
    },
  };
}
