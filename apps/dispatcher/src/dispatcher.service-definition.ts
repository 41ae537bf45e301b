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
 * Reports handled at once by one dispatcher: a Pull asks for up to this many, and the reports of one pull are written
 * in one transaction (decision 0026). Other topics keep the runtime's 16.
 */
export const REPORTS_IN_FLIGHT = 256;

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
    maxInFlight: (topic) => (topic === 'naisd.status.reported.v1' ? REPORTS_IN_FLIGHT : 16),
    jobs: (app) => [{ name: 'deploy-timeouts', intervalMs: config.timeoutSweepIntervalMs, run: () => app.get(DeployService).timeOutLostDeploys() }],
  };
}
