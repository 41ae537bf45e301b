// Command-line options of one command, parsed by Node's `util.parseArgs` (`--name value`, `--name=value`, short
// aliases, `--` ends the options). parseArgs runs non-strict so that every mistake can be reported in the CLI's own
// words, naming the option: unknown options, missing values, a value given to a flag and values outside a fixed
// set are usage errors.
import { parseArgs } from 'node:util';

export interface OptionSpec {
  /** Allowed values; any string when absent. */
  choices?: readonly string[];
  /** A flag takes no value (`--show-secrets`). */
  flag?: boolean;
  /** A short alias, e.g. `-o`. */
  short?: string;
}

export type ParsedOptions = { ok: true; options: Map<string, string>; positional: string[] } | { ok: false; message: string };

export function parseOptions(args: readonly string[], specs: Readonly<Record<string, OptionSpec>>): ParsedOptions {
  const { tokens } = parseArgs({
    args: [...args],
    options: Object.fromEntries(
      Object.entries(specs).map(([name, spec]) => [
        name,
        { type: spec.flag === true ? 'boolean' : 'string', ...(spec.short === undefined ? {} : { short: spec.short }) },
      ]),
    ),
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const options = new Map<string, string>();
  const positional: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positional.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    const spec = specs[token.name];
    if (spec === undefined) return { ok: false, message: `unknown option ${token.rawName}` };
    if (spec.flag === true) {
      if (token.value !== undefined) return { ok: false, message: `${token.rawName} takes no value` };
      options.set(token.name, 'true');
      continue;
    }
    if (token.value === undefined) return { ok: false, message: `${token.rawName} needs a value` };
    if (spec.choices !== undefined && !spec.choices.includes(token.value)) {
      return { ok: false, message: `${token.rawName} must be one of ${spec.choices.join(', ')} (got "${token.value}")` };
    }
    options.set(token.name, token.value);
  }
  return { ok: true, options, positional };
}

/** Writes text exactly (no newline added) when the io can; otherwise line by line. */
export function writeExact(io: { write?: (text: string) => void; stdout: (line: string) => void }, text: string): void {
  if (io.write !== undefined) io.write(text);
  else if (text !== '') io.stdout(text.endsWith('\n') ? text.slice(0, -1) : text);
}
