import { Module } from '@nestjs/common';
import { ExplainModule } from '../explain/explain.module.js';
import { ReleasesModule } from '../releases/releases.module.js';
import { TemplatesModule } from '../templates/templates.module.js';
import { DryRunController } from './dry-run.controller.js';
import { DryRunReader } from './dry-run.reader.js';
import { DryRunService } from './dry-run.service.js';

@Module({
  imports: [ExplainModule, ReleasesModule, TemplatesModule],
  controllers: [DryRunController],
  providers: [DryRunReader, DryRunService],
})
export class DryRunModule {}
