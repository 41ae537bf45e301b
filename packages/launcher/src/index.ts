export * from './processes.js';
export * from './embedded.js';
export * from './demo.js';
