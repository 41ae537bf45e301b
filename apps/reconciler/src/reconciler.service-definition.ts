import { SecretBox } from '@fasit/domain';
import type { ServiceDefinition } from '@fasit/service';
import { RECONCILER_CONFIG, type ReconcilerConfig } from './config/reconciler.config.js';
import { reconcilerDataSource } from './database/reconciler-data-source.js';
import { ReconcileHandler } from './reconcile/reconcile.handler.js';
import { ReconcileService, SECRETS } from './reconcile/reconcile.service.js';

export function reconcilerService(config: ReconcilerConfig): ServiceDefinition<'reconciler'> {
  return {
    name: 'reconciler',
    schema: 'reconciler',
    dataSource: reconcilerDataSource,
    handlers: ReconcileHandler,
    providers: () => [
      { provide: RECONCILER_CONFIG, useValue: config },
      { provide: SECRETS, useValue: SecretBox.fromConfig(config.secretKeys) },
      ReconcileService,
    ],
    jobs: (app) => [{ name: 'sweep', intervalMs: config.sweepIntervalMs, run: () => app.get(ReconcileService).sweep() }],
  };
}
