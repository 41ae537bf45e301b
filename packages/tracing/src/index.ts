export * from './tracing.js';
export * from './json-lines.exporter.js';
export * from './http-tracing.js';
