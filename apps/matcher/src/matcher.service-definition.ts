import type { ServiceDefinition } from '@fasit/service';
import { matcherDataSource } from './database/matcher-data-source.js';
import { MatchHandler } from './matching/match.handler.js';
import { MatchService } from './matching/match.service.js';

export function matcherService(sweepIntervalMs: number): ServiceDefinition {
  return {
    name: 'matcher',
    schema: 'matcher',
    dataSource: matcherDataSource,
    controllers: [MatchHandler],
    providers: () => [MatchService],
    jobs: (app) => [{ name: 'sweep', intervalMs: sweepIntervalMs, run: () => app.get(MatchService).sweep() }],
  };
}
