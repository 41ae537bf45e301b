import { Module, type DynamicModule } from '@nestjs/common';
import type { EventBus } from '@fasit/bus';
import type { JsonLogger } from '@fasit/config';
import { NAISD_CONFIG, type NaisdConfig } from './config/naisd.config.js';
import { DeployService } from './deploy/deploy.service.js';
import { HealthController } from './health/health.controller.js';
import { ReadinessState } from './health/readiness.state.js';
import { HeartbeatService } from './heartbeat/heartbeat.service.js';
import { HelmCommandBuilder } from './helm/helm-command.builder.js';
import { HelmRunner } from './helm/helm.runner.js';
import { InstructionHandler } from './instructions/instruction.handler.js';
import { InstructionService } from './instructions/instruction.service.js';
import { InventoryService } from './inventory/inventory.service.js';
import { EVENT_BUS, NAISD_LOGGER } from './naisd.tokens.js';
import { LogStreamFactory } from './reports/log-stream.factory.js';
import { ReportPublisher } from './reports/report.publisher.js';
import { UninstallService } from './uninstall/uninstall.service.js';

export interface NaisdModuleOptions {
  config: NaisdConfig;
  bus: EventBus;
  logger: JsonLogger;
}

@Module({})
export class NaisdModule {
  static register(options: NaisdModuleOptions): DynamicModule {
    return {
      module: NaisdModule,
      controllers: [HealthController],
      providers: [
        { provide: NAISD_CONFIG, useValue: options.config },
        { provide: EVENT_BUS, useValue: options.bus },
        { provide: NAISD_LOGGER, useValue: options.logger },
        ReadinessState,
        HelmCommandBuilder,
        HelmRunner,
        ReportPublisher,
        LogStreamFactory,
        InventoryService,
        HeartbeatService,
        DeployService,
        UninstallService,
        InstructionService,
        InstructionHandler,
      ],
    };
  }
}
