import { EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from './cli-command.js';

const HELP_FLAGS = new Set(['--help', '-h', 'help']);

/**
 * Runs `fasit <group> <command> [args]` (or `fasit <group> [args]` for a command without a name, and
 * `fasit --version`) against a list of commands; returns the exit code. Never throws. Each command parses its own
 * arguments (`parseOptions`, on `util.parseArgs`); this only picks the command.
 */
export async function runCli(argv: readonly string[], commands: readonly CliCommand[], io: CliIo, version = 'unknown'): Promise<number> {
  const [group, ...rest] = argv;
  if (group === '--version' || group === '-V') {
    io.stdout(version);
    return EXIT_OK;
  }
  if (group === undefined || HELP_FLAGS.has(group)) {
    printOverview(commands, io.stdout);
    return group === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const inGroup = commands.filter((command) => command.group === group);
  if (inGroup.length === 0) {
    io.stderr(`fasit: unknown command ${group.startsWith('-') ? 'option' : 'group'} "${group}"`);
    printOverview(commands, io.stderr);
    return EXIT_USAGE;
  }
  const single = inGroup.find((command) => command.name === undefined);
  const [name, ...args] = rest;
  if (single === undefined && (name === undefined || HELP_FLAGS.has(name))) {
    printOverview(inGroup, name === undefined ? io.stderr : io.stdout);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = single ?? inGroup.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.stderr(`fasit: unknown command "${group} ${name ?? ''}"`);
    printOverview(inGroup, io.stderr);
    return EXIT_USAGE;
  }
  const commandArgs = single === undefined ? args : rest;
  if (commandArgs.some((arg) => arg === '--help' || arg === '-h')) {
    printCommandHelp(command, io.stdout);
    return EXIT_OK;
  }
  try {
    return await command.run(commandArgs, io);
  } catch (error) {
    io.stderr(`fasit ${title(command)}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function title(command: CliCommand): string {
  return command.name === undefined ? command.group : `${command.group} ${command.name}`;
}

function printOverview(commands: readonly CliCommand[], write: (line: string) => void): void {
  write('usage: fasit <group> <command> [args]   (fasit <group> <command> --help for details; fasit --version)');
  write('');
  const width = Math.max(...commands.map((command) => title(command).length));
  for (const command of commands) write(`  ${title(command).padEnd(width)}  ${command.summary}`);
}

function printCommandHelp(command: CliCommand, write: (line: string) => void): void {
  write(`usage: fasit ${title(command)}${command.usage === '' ? '' : ` ${command.usage}`}`);
  write('');
  write(command.summary);
  for (const line of command.details ?? []) write(line);
}
