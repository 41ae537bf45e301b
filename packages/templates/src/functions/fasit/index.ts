export { fasitFunctions } from './fasit.js';
export { toYamlV2 } from './yaml.js';
