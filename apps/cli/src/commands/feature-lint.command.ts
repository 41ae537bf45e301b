import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { checkFeatureYamlSize, compareIssues, formatIssue, parseFeatureYaml, type FeatureSpecIssue } from '@fasit/feature-spec';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from '../cli-command.js';
import { parseOptions } from './command-options.js';

/** `fasit feature lint <chart-dir-or-Feature.yaml>...`: prints every problem, exits 1 on any error. */
export const featureLintCommand: CliCommand = {
  group: 'feature',
  name: 'lint',
  summary: 'Check Feature.yaml files: schema, Helm keys, templates. Exits 1 on any error.',
  usage: '<chart-dir-or-Feature.yaml>...',
  details: [
    '',
    'Each argument is a chart directory (its Feature.yaml is read) or a Feature.yaml file.',
    'Prints one line per problem, file:line:column field: message; warnings say "warning:".',
  ],
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseOptions(args, {});
    if (!parsed.ok) {
      io.stderr(`fasit feature lint: ${parsed.message}`);
      return EXIT_USAGE;
    }
    const files = parsed.positional;
    if (files.length === 0) {
      io.stderr(`usage: fasit feature lint ${featureLintCommand.usage}`);
      return EXIT_USAGE;
    }
    let errors = 0;
    let warnings = 0;
    for (const arg of files) {
      const result = await lintPath(arg, io.cwd);
      if ('failure' in result) {
        io.stderr(`fasit feature lint: ${result.failure}`);
        errors++;
        continue;
      }
      for (const issue of result.issues) io.stdout(formatIssue(issue));
      errors += result.issues.filter((issue) => issue.severity === 'error').length;
      warnings += result.issues.filter((issue) => issue.severity === 'warning').length;
    }
    io.stdout(`${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files.length, 'file')}`);
    return errors > 0 ? EXIT_FAILURE : EXIT_OK;
  },
};

type LintResult = { issues: FeatureSpecIssue[] } | { failure: string };

async function lintPath(arg: string, cwd: string): Promise<LintResult> {
  let display = arg;
  let absolute = resolve(cwd, arg);
  try {
    let info = await stat(absolute);
    if (info.isDirectory()) {
      display = join(arg, 'Feature.yaml');
      absolute = join(absolute, 'Feature.yaml');
      info = await stat(absolute).catch(() => {
        throw new Error(`${arg}: no Feature.yaml in this directory`);
      });
    }
    const tooLarge = checkFeatureYamlSize(info.size, display);
    if (tooLarge !== undefined) return { issues: [tooLarge] };
    const result = parseFeatureYaml(await readFile(absolute, 'utf8'), { file: display });
    return { issues: [...(result.ok ? [] : result.errors), ...result.warnings].sort(compareIssues) };
  } catch (error) {
    if (isNodeError(error) && error.code === 'ENOENT') return { failure: `${arg}: no such file or directory` };
    return { failure: error instanceof Error ? error.message : String(error) };
  }
}

function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
