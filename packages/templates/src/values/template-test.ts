// One template rendered against an environment's data, the way a computed value of Feature.yaml sees it (the
// template tester of the console): its raw output and the value Fasit would send, or the error with its position.
import { parseTemplate, TemplateParseError, type TemplateReferences } from '../engine/index.js';
import { functionSets } from '../functions/index.js';
import { parseTemplateOutput } from './parse-output.js';
import { renderContext, RENDER_MAX_OUTPUT_BYTES, RENDER_TIMEOUT_MS, TEMPLATE_NAME, type RenderInput } from './render-values.js';

export type TemplateTestResult =
  | {
      ok: true;
      /** What the template printed. */
      output: string;
      /** The output as a computed value is placed in the values (YAML, as the Go original parsed it). */
      value: unknown;
      /** `value` is null because the output is not YAML: as a computed value it would be a render-error. */
      yamlError: string | null;
      references: TemplateReferences;
    }
  | {
      ok: false;
      /** `parse`: the text is not a template; `execute`: it failed while running; `data`: the environment's data could not be built. */
      stage: 'parse' | 'execute' | 'data';
      message: string;
      /** 1-based position of the error in the template, when the engine names one. */
      line: number | null;
      column: number | null;
    };

/** Go names the position in an execution error as `template: tpl:LINE:COL: …`. */
const POSITION = new RegExp(`^template: ${TEMPLATE_NAME}:(\\d+):(\\d+):`);

/** Renders `text` with the data of `input` (`.Env`, `.Envs`, `.Configs`, …) and Fasit's function set. Never throws. */
export function testTemplate(input: RenderInput, text: string): TemplateTestResult {
  let data;
  try {
    data = renderContext(input);
  } catch (e) {
    return { ok: false, stage: 'data', message: (e as Error).message, line: null, column: null };
  }
  let template;
  try {
    template = parseTemplate(text, { functions: functionSets.fasit, name: TEMPLATE_NAME });
  } catch (e) {
    if (e instanceof TemplateParseError) return { ok: false, stage: 'parse', message: e.message, line: e.line, column: e.column };
    return { ok: false, stage: 'parse', message: (e as Error).message, line: null, column: null };
  }
  let output: string;
  try {
    output = template.execute(data, {
      missingkey: 'default',
      timeoutMs: input.options?.timeoutMs ?? RENDER_TIMEOUT_MS,
      maxOutputBytes: input.options?.maxOutputBytes ?? RENDER_MAX_OUTPUT_BYTES,
    });
  } catch (e) {
    const message = (e as Error).message;
    const at = POSITION.exec(message);
    return { ok: false, stage: 'execute', message, line: at ? Number(at[1]) : null, column: at ? Number(at[2]) : null };
  }
  try {
    return { ok: true, output, value: parseTemplateOutput(output), yamlError: null, references: template.references() };
  } catch (e) {
    return { ok: true, output, value: null, yamlError: (e as Error).message, references: template.references() };
  }
}
