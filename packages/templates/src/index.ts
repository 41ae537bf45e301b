export * from './value.js';
export * from './functions/signature.js';
export * from './functions/index.js';
export * from './engine/index.js';
export * from './values/index.js';
