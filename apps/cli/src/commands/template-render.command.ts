import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { fromJson, functionSets, parseTemplate, type GoValue, type MissingKey } from '@fasit/templates';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from '../cli-command.js';
import { parseOptions, writeExact } from './command-options.js';

const MISSINGKEY = ['default', 'error', 'zero'] as const;
const FUNCTION_SETS = ['fasit', 'sprig'] as const;

/**
 * `fasit template render --data <data.json> [--missingkey=default|error] [--functions fasit|sprig] <template-file>`:
 * prints exactly what the engine renders (nothing added, not even a newline) and exits 0; on failure the error
 * goes to stderr and the exit code is 1. What the UI's template tester does.
 */
export const templateRenderCommand: CliCommand = {
  group: 'template',
  name: 'render',
  summary: 'Render a Go template with JSON data, exactly as Fasit does. Exits 1 if it fails.',
  usage: '[--data <data.json>] [--missingkey=default|error|zero] [--functions fasit|sprig] [--name <name>] <template-file|->',
  details: [
    '',
    'Prints the rendered text and nothing else. Errors (parse or execution) go to stderr, exit code 1.',
    '  --data        JSON file with the data (the dot); JSON numbers are float64 as in Go. Default: no data (nil).',
    '  --missingkey  what a missing map key gives: <no value> (default), an error, or the zero value.',
    '  --functions   fasit (default): Sprig plus the Fasit functions, as computed values use;',
    "                sprig: the pure Sprig v3 set (Fasit's join, replace, quote, b64enc differ from Sprig's).",
    '  --name        the template name used in error messages (default: the file name).',
    'The template file "-" reads the template from standard input.',
  ],
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseOptions(args, {
      data: {},
      missingkey: { choices: MISSINGKEY },
      functions: { choices: FUNCTION_SETS },
      name: {},
    });
    if (!parsed.ok || parsed.positional.length !== 1) {
      io.stderr(`fasit template render: ${parsed.ok ? 'exactly one template file is needed' : parsed.message}`);
      io.stderr(`usage: fasit template render ${templateRenderCommand.usage}`);
      return EXIT_USAGE;
    }
    const { options } = parsed;
    const file = parsed.positional[0]!;

    let text: string;
    let data: GoValue = null;
    try {
      text = file === '-' ? await readStdin() : await readFile(resolve(io.cwd, file), 'utf8');
      const dataFile = options.get('data');
      if (dataFile !== undefined) {
        const raw = await readFile(resolve(io.cwd, dataFile), 'utf8');
        try {
          data = fromJson(JSON.parse(raw));
        } catch (e) {
          io.stderr(`fasit template render: ${dataFile}: not JSON: ${e instanceof Error ? e.message : String(e)}`);
          return EXIT_FAILURE;
        }
      }
    } catch (e) {
      io.stderr(`fasit template render: ${describeReadError(e)}`);
      return EXIT_FAILURE;
    }

    const functions = functionSets[(options.get('functions') ?? 'fasit') as (typeof FUNCTION_SETS)[number]];
    const name = options.get('name') ?? (file === '-' ? 'template' : basename(file));
    try {
      const output = parseTemplate(text, { functions, name }).execute(data, {
        missingkey: (options.get('missingkey') ?? 'default') as MissingKey,
      });
      writeExact(io, output);
      return EXIT_OK;
    } catch (e) {
      io.stderr(e instanceof Error ? e.message : String(e));
      return EXIT_FAILURE;
    }
  },
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function describeReadError(e: unknown): string {
  if (e instanceof Error && 'code' in e && e.code === 'ENOENT' && 'path' in e) return `${String(e.path)}: no such file`;
  return e instanceof Error ? e.message : String(e);
}
