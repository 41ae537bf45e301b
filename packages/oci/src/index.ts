export * from './errors.js';
export * from './reference.js';
export * from './challenge.js';
export * from './tar.js';
export * from './client.js';
export * from './chart.js';
