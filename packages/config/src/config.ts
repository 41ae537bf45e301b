// Typed configuration, read from the environment once at start and validated as a whole. A typo in a FASIT_*
// variable, a value of the wrong type or a missing required variable stops the process with a message that
// names the variable. This is the only place in the repository that reads process.env.

import { PLATFORM_VARIABLES } from './variables.js';

export type Env = Readonly<Record<string, string | undefined>>;

interface FieldBase<T> {
  /** The environment variable. */
  env: string;
  /** Used when the variable is unset or empty; omit to make the variable required. */
  default?: T;
  doc?: string;
}
export type Field =
  | (FieldBase<string> & { type: 'string' })
  | (FieldBase<number> & { type: 'int'; min?: number; max?: number })
  | (FieldBase<boolean> & { type: 'bool' })
  | (FieldBase<string> & { type: 'enum'; values: readonly string[] })
  | (FieldBase<string | undefined> & { type: 'optional-string' });

export type Spec = Readonly<Record<string, Field>>;

type ValueOf<F extends Field> = F extends { type: 'int' }
  ? number
  : F extends { type: 'bool' }
    ? boolean
    : F extends { type: 'enum'; values: readonly (infer V)[] }
      ? V
      : F extends { type: 'optional-string' }
        ? string | undefined
        : string;

export type ConfigOf<S extends Spec> = { readonly [K in keyof S]: ValueOf<S[K]> };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'INVALID_CONFIGURATION';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** FASIT_* variables of the development scripts (scripts/services.sh, scripts/start), not of a service. */
const SCRIPT_VARIABLES = /^FASIT_(STATE_DIR|RUN_DIR|PG_PORT|PUBSUB_PORT|REGISTRY_PORT|PUBSUB_EMULATOR)$/;

/**
 * Reads `spec` from `env`. Every FASIT_* variable present must be one that some Fasit service reads (or one of
 * `knownSpecs`): an unknown one is reported as a probable typo.
 */
export function readConfig<S extends Spec>(spec: S, env: Env = process.env, knownSpecs: readonly Spec[] = [spec]): ConfigOf<S> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(spec)) {
    const raw = env[field.env];
    if (raw === undefined || raw === '') {
      if ('default' in field || field.type === 'optional-string') out[key] = field.default;
      else problems.push(`${field.env}: required${field.doc ? ` (${field.doc})` : ''}`);
      continue;
    }
    const parsed = parseField(field, raw);
    if (typeof parsed === 'object' && parsed !== null && 'problem' in parsed) problems.push(`${field.env}: ${String(parsed.problem)}`);
    else out[key] = parsed;
  }
  const known = new Set([...PLATFORM_VARIABLES, ...knownSpecs.flatMap((s) => Object.values(s).map((f) => f.env))]);
  for (const name of Object.keys(env)) {
    if (name.startsWith('FASIT_') && !known.has(name) && !SCRIPT_VARIABLES.test(name)) {
      const near = [...known].find((k) => editDistance(k, name) <= 2);
      problems.push(`${name}: unknown variable${near ? ` (did you mean ${near}?)` : ''}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as ConfigOf<S>;
}

function parseField(field: Field, raw: string): unknown {
  switch (field.type) {
    case 'string':
    case 'optional-string':
      return raw;
    case 'int': {
      if (!/^-?\d+$/.test(raw.trim())) return { problem: `must be an integer (got "${raw}")` };
      const n = Number(raw);
      if (field.min !== undefined && n < field.min) return { problem: `must be >= ${field.min} (got ${n})` };
      if (field.max !== undefined && n > field.max) return { problem: `must be <= ${field.max} (got ${n})` };
      return n;
    }
    case 'bool':
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      return { problem: `must be true or false (got "${raw}")` };
    case 'enum':
      return field.values.includes(raw) ? raw : { problem: `must be one of ${field.values.join(', ')} (got "${raw}")` };
  }
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}
