export * from './start-service.js';
export * from './periodic.js';
export * from './health.controller.js';
