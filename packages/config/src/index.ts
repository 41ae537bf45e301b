export * from './config.js';
export * from './specs.js';
export * from './logger.js';
export * from './variables.js';
export * from './child-env.js';
export * from './mode.js';
export * from './development-keys.js';
export * from './instruction-keys.js';
