import type { ServiceDefinition } from '@fasit/service';
import type { MatcherConfig } from './config/matcher.config.js';
import { matcherDataSource } from './database/matcher-data-source.js';
import { MatchHandler } from './matching/match.handler.js';
import { MatchService } from './matching/match.service.js';

export function matcherService(config: MatcherConfig): ServiceDefinition<'matcher'> {
  return {
    name: 'matcher',
    schema: 'matcher',
    dataSource: matcherDataSource,
    handlers: MatchHandler,
    providers: () => [MatchService],
    jobs: (app) => [{ name: 'sweep', intervalMs: config.sweepIntervalMs, run: () => app.get(MatchService).sweep() }],
  };
}
