// Typed configuration, read from the environment once at start and validated as a whole. A typo in a FASIT_*
// variable, a value of the wrong type or a missing required variable stops the process with a message that
// names the variable. This is the only place in the repository that reads process.env.
//
// Keys follow one rule in every service and naisd (`key` fields): outside development mode a missing key, a
// public one (a development key from Fasit's source) or a short one stops the process, naming the variable. In
// development mode (FASIT_AUTH_MODE=dev, the default) an unset key falls back to its public development key, and
// every listener must be on loopback, so the mode cannot serve a real deployment by accident.

import { isDevelopmentMode } from './mode.js';
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
  | (FieldBase<string> & { type: 'string'; /** A listen address: loopback only in development mode. */ loopbackInDevelopment?: boolean })
  | (FieldBase<number> & { type: 'int'; min?: number; max?: number })
  | (FieldBase<boolean> & { type: 'bool' })
  | (FieldBase<string> & { type: 'enum'; values: readonly string[] })
  | (FieldBase<string | undefined> & { type: 'optional-string' })
  | KeyField;

/** A key, secret or public (see the rule at the top of this file). Never has a plain `default`; its value is a string. */
export interface KeyField {
  env: string;
  type: 'key';
  doc?: string;
  /** How to make a good value: shown when the value is missing, public or too short. */
  how: string;
  /** Fewer characters than this is refused (a public development value is exempt in development mode). */
  minLength?: number;
  /** The public value used in development mode when the variable is unset; without it the variable is always required. */
  devDefault?: string | ((env: Env) => string);
  /** Whether a value is public (in Fasit's source) besides the development default, e.g. a key derived from a public secret. */
  isPublic?: (value: string, env: Env) => boolean;
  /** Checks the format; returns the problem, if any. */
  check?: (value: string) => string | undefined;
  /**
   * Several comma-separated keys (a rotation): the first is used, all are accepted (`keyList`). The rule applies to
   * each of them.
   */
  list?: boolean;
}

/** The keys of a `list` key field, in order: the first is the one to use, all are accepted. */
export function keyList(value: string): string[] {
  return value
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
}

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
  const dev = isDevelopmentMode(env);
  for (const [key, field] of Object.entries(spec)) {
    const raw = env[field.env];
    if (field.type === 'key') {
      const k = readKey(field, raw, env, dev);
      if ('problem' in k) problems.push(`${field.env}: ${k.problem}`);
      else out[key] = k.value;
      continue;
    }
    if (raw === undefined || raw === '') {
      if ('default' in field || field.type === 'optional-string') out[key] = field.default;
      else problems.push(`${field.env}: required${field.doc ? ` (${field.doc})` : ''}`);
    } else {
      const parsed = parseField(field, raw);
      if (typeof parsed === 'object' && parsed !== null && 'problem' in parsed) problems.push(`${field.env}: ${String(parsed.problem)}`);
      else out[key] = parsed;
    }
    const host = out[key];
    if (dev && field.type === 'string' && field.loopbackInDevelopment === true && typeof host === 'string' && !isLoopback(host)) {
      problems.push(
        `${field.env}: ${host} is not a loopback address; development mode (FASIT_AUTH_MODE=dev, the default) listens on loopback only: use 127.0.0.1, or set FASIT_AUTH_MODE=oidc and your own keys`,
      );
    }
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

function readKey(field: KeyField, raw: string | undefined, env: Env, dev: boolean): { value: string } | { problem: string } {
  const devDefault = typeof field.devDefault === 'function' ? field.devDefault(env) : field.devDefault;
  if (raw === undefined || raw === '') {
    if (dev && devDefault !== undefined) return { value: devDefault };
    return { problem: `required${devDefault !== undefined ? ' outside development mode (FASIT_AUTH_MODE=dev)' : ''}: ${field.how}` };
  }
  const keys = field.list === true ? keyList(raw) : [raw];
  if (keys.length === 0) return { problem: `no key in ${JSON.stringify(raw)}: ${field.how}` };
  const isPublic = (key: string) => key === devDefault || field.isPublic?.(key, env) === true;
  if (keys.some(isPublic)) {
    // Development mode runs on the public development keys; nothing else may.
    if (dev && keys.every(isPublic)) return { value: raw };
    if (!dev)
      return { problem: `is a public development key (it is in Fasit's source); outside development mode (FASIT_AUTH_MODE=dev) use your own: ${field.how}` };
  }
  for (const key of keys.filter((k) => !isPublic(k))) {
    if (field.minLength !== undefined && key.length < field.minLength) {
      return { problem: `too short (${key.length} characters; at least ${field.minLength}): ${field.how}` };
    }
    const problem = field.check?.(key);
    if (problem !== undefined) return { problem };
  }
  return { value: raw };
}

/** localhost, ::1 or 127.x.x.x. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function parseField(field: Exclude<Field, KeyField>, raw: string): unknown {
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
