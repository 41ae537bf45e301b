import { InstructionSigner } from '@fasit/bus';
import { parseInstructionSigningKey } from '@fasit/config';
import type { ServiceDefinition } from '@fasit/service';
import { DISPATCHER_CONFIG, type DispatcherConfig } from './config/dispatcher.config.js';
import { dispatcherDataSource } from './database/dispatcher-data-source.js';
import { DeployHandler } from './deploys/deploy.handler.js';
import { DeployService, INSTRUCTION_SIGNER } from './deploys/deploy.service.js';
import { CatalogReader } from './reports/catalog.reader.js';
import { ReportRepository } from './reports/report.repository.js';
import { ReportService } from './reports/report.service.js';
import { DeployRepository } from './deploys/deploy.repository.js';

/**
 * Reports and deploy requests handled at once by one dispatcher: a Pull asks for up to this many, and the reports of
 * one pull are written in one transaction (decision 0026), the deploy requests of one pull sent in one (decision
 * 0029). Other topics keep the runtime's 16.
 */
export const BATCHED_IN_FLIGHT = 256;
const BATCHED_TOPICS = new Set(['naisd.status.reported.v1', 'reconciler.deploy.requested.v1']);

export function dispatcherService(config: DispatcherConfig): ServiceDefinition<'dispatcher'> {
  return {
    name: 'dispatcher',
    schema: 'dispatcher',
    dataSource: dispatcherDataSource,
    handlers: DeployHandler,
    providers: () => [
      { provide: DISPATCHER_CONFIG, useValue: config },
      // An instruction expires when the dispatcher would give its deploy up as lost.
      { provide: INSTRUCTION_SIGNER, useValue: new InstructionSigner(parseInstructionSigningKey(config.instructionSigningKey), config.deployTimeoutMs) },
      DeployService,
      DeployRepository,
      ReportService,
      ReportRepository,
      CatalogReader,
    ],
    maxInFlight: (topic) => (BATCHED_TOPICS.has(topic) ? BATCHED_IN_FLIGHT : 16),
    jobs: (app) => [{ name: 'deploy-timeouts', intervalMs: config.timeoutSweepIntervalMs, run: () => app.get(DeployService).timeOutLostDeploys() }],
  };
}
