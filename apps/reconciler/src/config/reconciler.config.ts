import {
  agentIdentitySpec,
  busSpec,
  databaseSpec,
  decisionSpec,
  httpSpec,
  logSpec,
  tracingSpec,
  modeSpec,
  readConfig,
  secretsSpec,
  type ConfigOf,
  type Spec,
} from '@fasit/config';

export const reconcilerSpec = {
  ...modeSpec,
  ...databaseSpec,
  ...busSpec,
  ...httpSpec,
  ...logSpec,
  ...tracingSpec,
  ...secretsSpec,
  ...agentIdentitySpec,
  ...decisionSpec,
  sweepIntervalMs: { env: 'FASIT_RECONCILE_INTERVAL_MS', type: 'int', default: 60_000, min: 500, doc: 'periodic full reconciliation' },
  renderHardTimeoutMs: {
    env: 'FASIT_RENDER_HARD_TIMEOUT_MS',
    type: 'int',
    default: 10_000,
    min: 100,
    doc: 'a render still running after this is stopped (its worker thread is replaced) and decided as render-error',
  },
  driftStuckGraceMs: {
    env: 'FASIT_DRIFT_STUCK_GRACE_MS',
    type: 'int',
    default: 600_000,
    min: 0,
    doc: 'how long a release may stay pending-* or failed with no deploy of Fasit in flight (another helm may be running) before it reads as stuck drift',
  },
  renderWorkers: { env: 'FASIT_RENDER_WORKERS', type: 'int', default: 1, min: 1, max: 64, doc: 'worker threads that render values' },
} as const satisfies Spec;

export type ReconcilerConfig = ConfigOf<typeof reconcilerSpec>;
export const RECONCILER_CONFIG = Symbol('RECONCILER_CONFIG');

export function loadReconcilerConfig(): ReconcilerConfig {
  return readConfig(reconcilerSpec);
}
