// What the embedded platform (packages/launcher) composes; the process entry point is main.ts.
export { startCatalog, type RunningCatalog } from './bootstrap.js';
export { loadCatalogConfig, type CatalogConfig } from './settings/catalog.settings.js';
export { issueBootstrapToken, type BootstrapToken } from './auth/bootstrap-token.js';
export { openApiDocument } from './openapi/openapi.document.js';
export type { Explanation } from './explain/explain.service.js';
