// What the embedded platform (packages/launcher) composes; the process entry point is main.ts.
export { dispatcherService } from './dispatcher.service-definition.js';
export { dispatcherSpec, type DispatcherConfig } from './config/dispatcher.config.js';
