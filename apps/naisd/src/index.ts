// What the embedded platform (packages/launcher) composes; the process entry point is main.ts.
export { startNaisd, type RunningNaisd } from './naisd.app.js';
export { loadNaisdConfig, type NaisdConfig } from './config/naisd.config.js';
