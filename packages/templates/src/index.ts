export * from './value.js';
export * from './functions/signature.js';
export * from './functions/index.js';
