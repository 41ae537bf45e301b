import { Module } from '@nestjs/common';
import { AssignmentsModule } from '../assignments/assignments.module.js';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { LiveController } from './live.controller.js';
import { LiveReader } from './live.reader.js';
import { LiveService } from './live.service.js';

@Module({
  imports: [AssignmentsModule, EnvironmentsModule],
  controllers: [LiveController],
  providers: [LiveReader, LiveService],
})
export class LiveModule {}
