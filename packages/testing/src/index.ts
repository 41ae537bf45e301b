export * from './database.js';
export * from './registry.js';
export * from './charts.js';
export * from './token-service.js';
export * from './corpora.js';
export * from './docs-runner.js';
export * from './kubernetes/index.js';
