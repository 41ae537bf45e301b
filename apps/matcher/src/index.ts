// What the embedded platform (packages/launcher) composes; the process entry point is main.ts.
export { matcherService } from './matcher.service-definition.js';
export { matcherSpec, type MatcherConfig } from './config/matcher.config.js';
