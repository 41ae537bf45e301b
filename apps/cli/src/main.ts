import type { CliCommand } from './cli-command.js';
import { runCli } from './cli.js';
import { explainCommand } from './commands/explain.command.js';
import { featureLintCommand } from './commands/feature-lint.command.js';
import { keysInstructionSigningCommand } from './commands/keys-instruction-signing.command.js';
import { schemaCommand } from './commands/schema.command.js';
import { templateRenderCommand } from './commands/template-render.command.js';
import { valuesRenderCommand } from './commands/values-render.command.js';
import { cliVersion } from './version.js';

/** Every command of the CLI: add a command by importing it and listing it here. */
export const commands: readonly CliCommand[] = [
  featureLintCommand,
  valuesRenderCommand,
  templateRenderCommand,
  schemaCommand,
  keysInstructionSigningCommand,
  explainCommand,
];

process.exitCode = await runCli(
  process.argv.slice(2),
  commands,
  {
    cwd: process.cwd(),
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    write: (text) => process.stdout.write(text),
  },
  cliVersion(),
);
