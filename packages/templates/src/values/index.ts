export * from './render-values.js';
export { parseTemplateOutput } from './parse-output.js';
export { NONDETERMINISTIC_FUNCTIONS, deterministicFunctions } from './deterministic.js';
