import { Module, forwardRef } from '@nestjs/common';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { ReleaseController } from './release.controller.js';
import { ReleaseReader } from './release.reader.js';
import { ReleaseService } from './release.service.js';

@Module({
  imports: [forwardRef(() => EnvironmentsModule)],
  controllers: [ReleaseController],
  providers: [ReleaseService, ReleaseReader],
  exports: [ReleaseReader],
})
export class ReleasesModule {}
