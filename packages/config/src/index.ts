export * from './config.js';
export * from './specs.js';
export * from './logger.js';
