// Starts the agent: the Nest app (HTTP /healthz, /readyz) with this environment's instruction topic consumed
// through its handler table one message at a time (the serial lane), then heartbeats and the release inventory.
import 'reflect-metadata';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { consumeAll, createEventBus, instructionAttributes, instructionShardTopic, instructionTopic, shardConsumer, type EventBus } from '@fasit/bus';
import { developmentModeWarning, JsonLogger } from '@fasit/config';
import { ServiceMetrics, busMetrics, httpMetrics } from '@fasit/metrics';
import { startTracing } from '@fasit/tracing';
import { isDryRun, type NaisdConfig } from './config/naisd.config.js';
import { ReadinessState } from './health/readiness.state.js';
import { HeartbeatService } from './heartbeat/heartbeat.service.js';
import { HelmRunner } from './helm/helm.runner.js';
import { InstructionHandler } from './instructions/instruction.handler.js';
import { InventoryService } from './inventory/inventory.service.js';
import { InstructionService } from './instructions/instruction.service.js';
import { NaisdModule } from './naisd.module.js';

export const CONSUMER = 'naisd';

export interface StartOptions {
  /** A bus the caller owns (and closes); by default naisd builds one from the configuration. */
  bus?: EventBus;
  logger?: JsonLogger;
}

export interface RunningNaisd {
  app: INestApplication;
  /** `http://host:port` of /healthz, /readyz and /metrics. */
  url: string;
  close(): Promise<void>;
}

export async function startNaisd(config: NaisdConfig, options: StartOptions = {}): Promise<RunningNaisd> {
  const logger = options.logger ?? new JsonLogger('naisd', config.logLevel);
  const tracing = startTracing(config, 'naisd');
  const ownBus = options.bus === undefined;
  const metrics = new ServiceMetrics('naisd');
  const baseBus = options.bus ?? createEventBus(config, { warn: (m, f) => logger.entry('warn', m, f), error: (m, f) => logger.entry('error', m, f) });
  // Its own traffic counted, also when an embedded platform hands every agent the same bus.
  const bus = baseBus.observed(busMetrics(metrics), 'naisd');
  // v2: the environment's own topic; v3: its filtered subscription on its shard (decision 0024).
  const v3 = config.instructions === 'v3';
  const topic = v3 ? instructionShardTopic(config.tenant, config.environment) : instructionTopic(config.tenant, config.environment);

  const app = await NestFactory.create(NaisdModule.register({ config, bus, logger, metrics }), { logger, abortOnError: false });
  app.use(httpMetrics(metrics));
  let stopConsuming = (): Promise<void> => Promise.resolve();
  const close = async (): Promise<void> => {
    app.get(ReadinessState).markStopping();
    // Stop taking instructions first; app.close() then waits for the running one (InstructionService, HelmRunner).
    await stopConsuming();
    await app.close();
    if (ownBus && baseBus.bus.kind === 'pubsub') await baseBus.bus.close();
    await tracing.flush();
  };
  try {
    if (isDryRun(config)) {
      logger.entry(
        'warn',
        'DRY-RUN MODE: FASIT_KUBECONFIG is not set. helm runs `upgrade --install --dry-run=client` with the memory driver: charts are pulled and rendered, NOTHING is installed in any cluster, and the release inventory is always empty.',
        { tenant: config.tenant, environment: config.environment },
      );
    }
    const version = await app.get(HelmRunner).version();
    app.get(ReadinessState).pass('helm');
    await app.init();
    stopConsuming = await consumeAll(bus, CONSUMER, app.get(InstructionHandler), {
      topics: [v3 ? 'naisd.instructions.v3' : 'naisd.instructions.v2'],
      topicFor: () => topic,
      // On Pub/Sub the control plane created the subscription with its filter (catalog-api); where the bus creates
      // it (locally), it is created with the same filter.
      ...(v3
        ? { consumerFor: () => shardConsumer(config.tenant, config.environment), filter: () => instructionAttributes(config.tenant, config.environment) }
        : {}),
      // One helm operation at a time: the next instruction is not delivered before this one is settled.
      maxInFlight: () => 1,
      // Garbage, unsigned or oversized messages on the instruction topic are refused and reported, not only dead-lettered.
      onContractViolation: () => (ctx, reason) => app.get(InstructionService).refuseUnreadable(ctx, reason),
      // On SIGTERM the running helm may finish and its instruction be acked (not redelivered to the next naisd)
      // within FASIT_DRAIN_TIMEOUT_MS.
      drainMs: config.drainTimeoutMs,
    });
    app.get(ReadinessState).pass('bus');
    await app.listen(config.httpPort, config.httpHost);
    const server = app.getHttpServer() as Server;
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.httpPort;
    app.get(HeartbeatService).start();
    app.get(InventoryService).start();
    logger.entry('info', 'naisd started', {
      tenant: config.tenant,
      environment: config.environment,
      topic,
      instructions: config.instructions,
      helm: version,
      mode: isDryRun(config) ? 'dry-run' : 'cluster',
      authMode: config.authMode,
      port,
    });
    if (config.authMode === 'dev') logger.entry('warn', developmentModeWarning('naisd'), { authMode: 'dev' });
    return { app, url: `http://${config.httpHost === '0.0.0.0' ? '127.0.0.1' : config.httpHost}:${port}`, close };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}
