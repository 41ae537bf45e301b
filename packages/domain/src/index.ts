export * from './labels.js';
export * from './matching.js';
export * from './hashing.js';
export * from './status.js';
export * from './agent-identity.js';
export * from './errors.js';
export * from './secret-box.js';
export * from './decide.js';
