export {
  DEFAULT_MAX_OUTPUT_BYTES,
  DEFAULT_TIMEOUT_MS,
  parseTemplate,
  Template,
  TemplateExecError,
  TemplateParseError,
  type ExecuteOptions,
  type ParseOptions,
} from './template.js';
export type { TemplateReferences } from './references.js';
export type { MissingKey } from './exec.js';
export { formatGoValue, sprint, sprintf, sprintln } from './fmt.js';
export { fromJson } from './from-json.js';
