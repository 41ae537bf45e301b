import { EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from './cli-command.js';

const HELP_FLAGS = new Set(['--help', '-h', 'help']);

/** Runs `fasit <group> <command> [args]` against a list of commands; returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], commands: readonly CliCommand[], io: CliIo): Promise<number> {
  const [group, name, ...args] = argv;
  if (group === undefined || HELP_FLAGS.has(group)) {
    printOverview(commands, io.stdout);
    return group === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const inGroup = commands.filter((command) => command.group === group);
  if (inGroup.length === 0) {
    io.stderr(`fasit: unknown command group "${group}"`);
    printOverview(commands, io.stderr);
    return EXIT_USAGE;
  }
  const whole = inGroup.find((candidate) => candidate.name === '');
  if (whole !== undefined) {
    const rest = name === undefined ? args : [name, ...args];
    if (rest.some((arg) => arg === '--help' || arg === '-h')) {
      printCommandHelp(whole, io.stdout);
      return EXIT_OK;
    }
    return runCommand(whole, rest, io);
  }
  if (name === undefined || HELP_FLAGS.has(name)) {
    printOverview(inGroup, name === undefined ? io.stderr : io.stdout);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = inGroup.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.stderr(`fasit: unknown command "${group} ${name}"`);
    printOverview(inGroup, io.stderr);
    return EXIT_USAGE;
  }
  if (args.some((arg) => arg === '--help' || arg === '-h')) {
    printCommandHelp(command, io.stdout);
    return EXIT_OK;
  }
  return runCommand(command, args, io);
}

async function runCommand(command: CliCommand, args: readonly string[], io: CliIo): Promise<number> {
  try {
    return await command.run(args, io);
  } catch (error) {
    io.stderr(`${title(command)}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function title(command: CliCommand): string {
  return `fasit ${command.group}${command.name === '' ? '' : ` ${command.name}`}`;
}

function printOverview(commands: readonly CliCommand[], write: (line: string) => void): void {
  write('usage: fasit <group> <command> [args]   (fasit <group> <command> --help for details)');
  write('');
  const width = Math.max(...commands.map((command) => title(command).length - 'fasit '.length));
  for (const command of commands) write(`  ${title(command).slice('fasit '.length).padEnd(width)}  ${command.summary}`);
}

function printCommandHelp(command: CliCommand, write: (line: string) => void): void {
  write(`usage: ${title(command)} ${command.usage}`);
  write('');
  write(command.summary);
  for (const line of command.details ?? []) write(line);
}
