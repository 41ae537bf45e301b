import { Module, type DynamicModule } from '@nestjs/common';
import { InstructionVerifier, type EventBus } from '@fasit/bus';
import { parseInstructionPublicKeys, type JsonLogger } from '@fasit/config';
import { MetricsController, ServiceMetrics } from '@fasit/metrics';
import { NAISD_CONFIG, isDryRun, type NaisdConfig } from './config/naisd.config.js';
import { DeployService } from './deploy/deploy.service.js';
import { HealthController } from './health/health.controller.js';
import { ReadinessState } from './health/readiness.state.js';
import { HeartbeatService } from './heartbeat/heartbeat.service.js';
import { HelmCommandBuilder } from './helm/helm-command.builder.js';
import { HelmRunner } from './helm/helm.runner.js';
import { InstructionHandler } from './instructions/instruction.handler.js';
import { InMemoryAppliedInstructions } from './instructions/applied-instructions.js';
import { ReleaseAppliedInstructions } from './instructions/release-applied-instructions.js';
import { APPLIED_INSTRUCTIONS, INSTRUCTION_VERIFIER, InstructionService } from './instructions/instruction.service.js';
import { InventoryService } from './inventory/inventory.service.js';
import { EVENT_BUS, NAISD_LOGGER } from './naisd.tokens.js';
import { LogStreamFactory } from './reports/log-stream.factory.js';
import { PendingReleaseRecovery } from './recovery/pending-release.recovery.js';
import { ReleaseEventsWatcher } from './events/release-events.watcher.js';
import { ReportPublisher } from './reports/report.publisher.js';
import { SelfUpgradeJobClient } from './self-upgrade/self-upgrade-job.client.js';
import { SelfUpgradeService } from './self-upgrade/self-upgrade.service.js';
import { UninstallService } from './uninstall/uninstall.service.js';

export interface NaisdModuleOptions {
  config: NaisdConfig;
  bus: EventBus;
  logger: JsonLogger;
  metrics: ServiceMetrics;
}

@Module({})
export class NaisdModule {
  static register(options: NaisdModuleOptions): DynamicModule {
    return {
      module: NaisdModule,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: NAISD_CONFIG, useValue: options.config },
        { provide: EVENT_BUS, useValue: options.bus },
        { provide: NAISD_LOGGER, useValue: options.logger },
        { provide: ServiceMetrics, useValue: options.metrics },
        {
          provide: INSTRUCTION_VERIFIER,
          useValue: new InstructionVerifier(
            parseInstructionPublicKeys(options.config.instructionPublicKeys),
            options.config.tenant,
            options.config.environment,
          ),
        },
        // With a cluster the releases record the diids they were written by, so a restart does not forget them.
        isDryRun(options.config)
          ? { provide: APPLIED_INSTRUCTIONS, useValue: new InMemoryAppliedInstructions() }
          : { provide: APPLIED_INSTRUCTIONS, useExisting: ReleaseAppliedInstructions },
        ReleaseAppliedInstructions,
        SelfUpgradeJobClient,
        SelfUpgradeService,
        ReadinessState,
        HelmCommandBuilder,
        HelmRunner,
        ReportPublisher,
        LogStreamFactory,
        InventoryService,
        HeartbeatService,
        PendingReleaseRecovery,
        ReleaseEventsWatcher,
        DeployService,
        UninstallService,
        InstructionService,
        InstructionHandler,
      ],
    };
  }
}
