/** Stable codes of Feature.yaml problems. Tools may match on them; the message is for people. */
export const FEATURE_SPEC_ISSUE_CODES = [
  // the file and its YAML
  'file.too-large',
  'yaml.empty',
  'yaml.syntax',
  'yaml.tab-indentation',
  'yaml.duplicate-key',
  'yaml.multiple-documents',
  'yaml.not-a-mapping',
  // the schema
  'schema.unknown-field',
  'schema.missing-field',
  'schema.wrong-type',
  'schema.not-allowed-value',
  'schema.bad-duration',
  'schema.bad-helm-key',
  'schema.empty',
  'schema.duplicate-item',
  'schema.value-source-missing',
  'schema.invalid',
  // meaning
  'spec.key-conflict',
  'spec.reserved-key',
  'template.empty',
  'template.syntax',
  'template.unknown-function',
  // warnings: accepted so that existing files keep working
  'deprecated.legacy-kind',
  'deprecated.type-alias',
  'deprecated.config-default',
  'deprecated.rename',
] as const;

export type FeatureSpecIssueCode = (typeof FEATURE_SPEC_ISSUE_CODES)[number];

export type FeatureSpecIssueSeverity = 'error' | 'warning';

/** One problem in a Feature.yaml, positioned for a person: 1-based line and column. */
export interface FeatureSpecIssue {
  file: string;
  line: number;
  column: number;
  /** Rendered field path, e.g. `values."image.tag".config.type`; empty for the whole file. */
  path: string;
  message: string;
  code: FeatureSpecIssueCode;
  severity: FeatureSpecIssueSeverity;
}

/** `Feature.yaml:12:5 values."image.tag".config.type: must be one of ...`; warnings say `warning:`. */
export function formatIssue(issue: FeatureSpecIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  const path = issue.path === '' ? '' : `${issue.path}: `;
  const severity = issue.severity === 'warning' ? 'warning: ' : '';
  return `${where} ${path}${severity}${issue.message}`;
}

export function compareIssues(a: FeatureSpecIssue, b: FeatureSpecIssue): number {
  return a.line - b.line || a.column - b.column || a.path.localeCompare(b.path) || a.message.localeCompare(b.message);
}

export type FeatureSpecErrorCode = 'invalid-duration' | 'invalid-helm-key';

/** Thrown by the helpers (`parseDuration`, `splitHelmKey`) on bad input. Never retryable. */
export class FeatureSpecError extends Error {
  readonly retryable = false;

  constructor(
    readonly code: FeatureSpecErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FeatureSpecError';
  }
}
