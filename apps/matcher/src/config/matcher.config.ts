import { busSpec, databaseSpec, httpSpec, logSpec, tracingSpec, modeSpec, readConfig, type ConfigOf, type Spec } from '@fasit/config';

export const matcherSpec = {
  ...modeSpec,
  ...databaseSpec,
  ...busSpec,
  ...httpSpec,
  ...logSpec,
  ...tracingSpec,
  sweepIntervalMs: { env: 'FASIT_MATCHER_SWEEP_INTERVAL_MS', type: 'int', default: 300_000, min: 1000, doc: 'full recomputation of every winner' },
} as const satisfies Spec;

export type MatcherConfig = ConfigOf<typeof matcherSpec>;

export function loadMatcherConfig(): MatcherConfig {
  return readConfig(matcherSpec);
}
