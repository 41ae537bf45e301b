import { functionSets, parseTemplate, TemplateParseError, type FunctionMap } from '@fasit/templates';
import type { FeatureSpecIssueCode } from './issue.js';
import { closest } from './suggest.js';

/** What is wrong with a computed template; `line`/`column` are 1-based inside the template text. */
export interface TemplateProblem {
  code: Extract<FeatureSpecIssueCode, 'template.empty' | 'template.syntax' | 'template.unknown-function'>;
  message: string;
  line?: number;
  column?: number;
}

const UNKNOWN_FUNCTION = /^function "(.*)" not defined$/;

/**
 * Checks that a computed template is not empty and parses with the Fasit function set (Sprig + Fasit), so that
 * syntax errors and unknown functions are caught when the chart is linted, not when it is deployed.
 */
export function checkTemplate(text: string, functions: FunctionMap = functionSets.fasit): TemplateProblem | undefined {
  if (text.trim() === '') {
    return {
      code: 'template.empty',
      message: 'the template is empty; write a template whose output is the value (for a fixed string: \'"text"\')',
    };
  }
  try {
    parseTemplate(text, { functions });
    return undefined;
  } catch (error) {
    if (!(error instanceof TemplateParseError)) throw error;
    // Go's message is "template: <name>:<line>: <what>"; the position is reported separately.
    const what = error.message.replace(/^template: [^:]*:\d+(?::\d+)?: /, '');
    const position = { line: error.line, column: byteToCharColumn(text, error.line, error.column) };
    const unknown = UNKNOWN_FUNCTION.exec(what);
    if (unknown === null) {
      const hint = what === 'unexpected EOF' ? ' (an {{if}}, {{range}}, {{with}} or {{define}} has no {{end}})' : '';
      return { code: 'template.syntax', message: `template does not parse: ${what}${hint}`, ...position };
    }
    const name = unknown[1] ?? '';
    const suggestion = closest(name, Object.keys(functions));
    return {
      code: 'template.unknown-function',
      message: `unknown template function "${name}"${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}; see docs/template-functions.md`,
      ...position,
    };
  }
}

/** Go counts columns in bytes; editors count characters. */
function byteToCharColumn(text: string, line: number, byteColumn: number): number {
  const lineText = text.split('\n')[line - 1] ?? '';
  return (
    Buffer.from(lineText, 'utf8')
      .subarray(0, Math.max(0, byteColumn - 1))
      .toString('utf8').length + 1
  );
}
