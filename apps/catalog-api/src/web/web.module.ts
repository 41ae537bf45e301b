import { Module } from '@nestjs/common';
import { ConsoleConfigController } from './console-config.controller.js';

/** What the console asks before it signs in (`console-config`); its files are served by web-console.ts, outside Nest. */
@Module({
  controllers: [ConsoleConfigController],
})
export class WebModule {}
