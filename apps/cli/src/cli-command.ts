/** Where a command writes, and the directory relative paths are resolved against. */
export interface CliIo {
  cwd: string;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** Writes text to standard output exactly as given (no newline added), for commands whose output is data.
   * Optional: commands fall back to `stdout` when it is missing. */
  write?: (text: string) => void;
  /** The environment commands read their settings from (FASIT_API, FASIT_TOKEN); the process's when missing. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Exit codes: 0 success, 1 the command found problems (or failed), 2 the command line itself is wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * One `fasit <group> <name> [args]` command, or `fasit <group> [args]` when it has no name (`fasit schema`).
 * Commands live in `src/commands/<group>-<name>.command.ts`.
 */
export interface CliCommand {
  group: string;
  name?: string;
  /** One line for the command list. */
  summary: string;
  /** Arguments after `fasit <group> [<name>]`, e.g. `<chart-dir-or-Feature.yaml>...`. */
  usage: string;
  /** Further lines shown by `--help`. */
  details?: readonly string[];
  run(args: readonly string[], io: CliIo): Promise<number>;
}
