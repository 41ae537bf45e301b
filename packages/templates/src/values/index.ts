export * from './render-values.js';
export { parseTemplateOutput, parseYamlV2 } from './parse-output.js';
export { NONDETERMINISTIC_FUNCTIONS, deterministicFunctions } from './deterministic.js';
export { RenderPool, type RenderPoolOptions } from './render-pool.js';
export type { SharedEnvironments } from './context.js';
export { testTemplate, type TemplateTestResult } from './template-test.js';
