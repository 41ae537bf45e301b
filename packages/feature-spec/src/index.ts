export { parseFeatureYaml, checkFeatureYamlSize, MAX_FEATURE_YAML_BYTES } from './parse-feature-yaml.js';
export type { ParseFeatureYamlOptions, ParseFeatureYamlResult } from './parse-feature-yaml.js';
export { formatIssue, compareIssues, FeatureSpecError, FEATURE_SPEC_ISSUE_CODES } from './issue.js';
export type { FeatureSpecIssue, FeatureSpecIssueCode, FeatureSpecIssueSeverity, FeatureSpecErrorCode } from './issue.js';
export { featureSchema, featureSchemaPath, FEATURE_SCHEMA_HTTP_PATH } from './schema.js';
export { splitHelmKey, joinHelmKey, isValidHelmKey } from './helm-key.js';
export { parseDuration } from './duration.js';
export { validateConfigValue } from './config-value.js';
export type { ConfigValueCheck } from './config-value.js';
export { ENVIRONMENT_KINDS, DEPRECATED_ENVIRONMENT_KINDS, CONFIG_TYPES, isConfigType } from './model.js';
export type {
  EnvironmentKind,
  FeatureEnvironmentKind,
  ConfigType,
  FeatureSpec,
  FeatureValue,
  FeatureValueConfig,
  FeatureValueComputed,
  FeatureDependency,
} from './model.js';
