// What the embedded platform (packages/launcher) composes; the process entry point is main.ts.
export { reconcilerService } from './reconciler.service-definition.js';
export { reconcilerSpec, type ReconcilerConfig } from './config/reconciler.config.js';
