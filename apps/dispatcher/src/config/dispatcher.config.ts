import {
  agentIdentitySpec,
  busSpec,
  databaseSpec,
  decisionSpec,
  httpSpec,
  instructionSigningSpec,
  logSpec,
  tracingSpec,
  modeSpec,
  readConfig,
  type ConfigOf,
  type Spec,
} from '@fasit/config';

export const dispatcherSpec = {
  ...modeSpec,
  ...databaseSpec,
  ...busSpec,
  ...httpSpec,
  ...logSpec,
  ...tracingSpec,
  ...agentIdentitySpec,
  /** The reconciler's health window, for the agents-by-health gauge. */
  healthWindowMs: decisionSpec.healthWindowMs,
  ...instructionSigningSpec,
  deployTimeoutMs: {
    env: 'FASIT_DEPLOY_TIMEOUT_MS',
    type: 'int',
    default: 3_600_000,
    min: 1000,
    // An agent runs no instruction older than a day (INSTRUCTION_MAX_AGE_SECONDS).
    max: 86_400_000,
    doc: 'a deploy with no terminal status after this is marked failed; its instruction expires then too',
  },
  timeoutSweepIntervalMs: { env: 'FASIT_DEPLOY_TIMEOUT_SWEEP_MS', type: 'int', default: 60_000, min: 500 },
} as const satisfies Spec;

export type DispatcherConfig = ConfigOf<typeof dispatcherSpec>;
export const DISPATCHER_CONFIG = Symbol('DISPATCHER_CONFIG');

export function loadDispatcherConfig(): DispatcherConfig {
  return readConfig(dispatcherSpec);
}
