import { Module } from '@nestjs/common';
import { DriftReader } from './drift.reader.js';

/** The reconciler's drift of a pair (`reconciler_api.drift`), for explain and the environment feature view. */
@Module({
  providers: [DriftReader],
  exports: [DriftReader],
})
export class DriftModule {}
