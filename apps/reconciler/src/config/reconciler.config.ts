import { agentIdentitySpec, busSpec, databaseSpec, httpSpec, logSpec, modeSpec, readConfig, secretsSpec, type ConfigOf, type Spec } from '@fasit/config';

export const reconcilerSpec = {
  ...modeSpec,
  ...databaseSpec,
  ...busSpec,
  ...httpSpec,
  ...logSpec,
  ...secretsSpec,
  ...agentIdentitySpec,
  sweepIntervalMs: { env: 'FASIT_RECONCILE_INTERVAL_MS', type: 'int', default: 60_000, min: 500, doc: 'periodic full reconciliation' },
  healthWindowMs: { env: 'FASIT_AGENT_HEALTH_WINDOW_MS', type: 'int', default: 180_000, min: 1000, doc: 'an agent silent for longer is unhealthy' },
  retryMaxAttempts: { env: 'FASIT_DEPLOY_RETRY_MAX', type: 'int', default: 3, min: 0 },
  retryBaseDelayMs: { env: 'FASIT_DEPLOY_RETRY_BASE_MS', type: 'int', default: 60_000, min: 0 },
  renderHardTimeoutMs: { env: 'FASIT_RENDER_HARD_TIMEOUT_MS', type: 'int', default: 10_000, min: 100, doc: 'a render still running after this is stopped (its worker thread is replaced) and decided as render-error' },
  renderWorkers: { env: 'FASIT_RENDER_WORKERS', type: 'int', default: 1, min: 1, max: 64, doc: 'worker threads that render values' },
  iapAudience: { env: 'FASIT_IAP_AUDIENCE', type: 'string', default: '', doc: 'exposed to templates as .Fasit.IAPAudience (so agents can call back)' },
  requestTimeoutMs: { env: 'FASIT_DEPLOY_REQUEST_TIMEOUT_MS', type: 'int', default: 300_000, min: 1000, doc: 'a requested deploy the dispatcher never recorded is requested again after this' },
} as const satisfies Spec;

export type ReconcilerConfig = ConfigOf<typeof reconcilerSpec>;
export const RECONCILER_CONFIG = Symbol('RECONCILER_CONFIG');

export function loadReconcilerConfig(): ReconcilerConfig {
  return readConfig(reconcilerSpec);
}
