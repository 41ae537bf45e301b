// A small command-line option parser for commands with `--name value` / `--name=value` options and positional
// arguments. Unknown options, missing values and values outside a fixed set are usage errors.

export interface OptionSpec {
  /** Allowed values; any string when absent. */
  choices?: readonly string[];
  /** A flag takes no value (`--show-secrets`). */
  flag?: boolean;
  /** A short alias, e.g. `-o`. */
  short?: string;
}

export type ParsedOptions =
  | { ok: true; options: Map<string, string>; positional: string[] }
  | { ok: false; message: string };

export function parseOptions(args: readonly string[], specs: Readonly<Record<string, OptionSpec>>): ParsedOptions {
  const options = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const written = eq >= 0 ? arg.slice(0, eq) : arg;
    const name = written.startsWith('--')
      ? written.slice(2)
      : Object.entries(specs).find(([, s]) => s.short !== undefined && `-${s.short}` === written)?.[0];
    const spec = name === undefined ? undefined : specs[name];
    if (name === undefined || spec === undefined) return { ok: false, message: `unknown option ${written}` };
    if (spec.flag === true) {
      if (eq >= 0) return { ok: false, message: `${written} takes no value` };
      options.set(name, 'true');
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      i++;
    }
    if (value === undefined) return { ok: false, message: `${written} needs a value` };
    if (spec.choices !== undefined && !spec.choices.includes(value)) {
      return { ok: false, message: `${written} must be one of ${spec.choices.join(', ')} (got "${value}")` };
    }
    options.set(name, value);
  }
  return { ok: true, options, positional };
}

/** Writes text exactly (no newline added) when the io can; otherwise line by line. */
export function writeExact(io: { write?: (text: string) => void; stdout: (line: string) => void }, text: string): void {
  if (io.write !== undefined) io.write(text);
  else if (text !== '') io.stdout(text.endsWith('\n') ? text.slice(0, -1) : text);
}
