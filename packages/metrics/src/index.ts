export * from './catalogue.js';
export * from './service-metrics.js';
export * from './instrumentation.js';
export * from './metrics.controller.js';
