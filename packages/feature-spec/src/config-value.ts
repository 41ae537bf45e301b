import type { ConfigType } from './model.js';

export type ConfigValueCheck = { ok: true } | { ok: false; message: string };

const TYPE_WORDS: Record<ConfigType, string> = {
  string: 'a string',
  int: 'an integer',
  bool: 'true or false',
  string_array: 'a list of strings',
};

/**
 * Checks a config value (as JSON) against the type declared in Feature.yaml. Used by the API before it stores
 * a global or per-environment config. `null` is not a value of any type.
 */
export function validateConfigValue(type: ConfigType, value: unknown): ConfigValueCheck {
  if (matchesConfigType(type, value)) return { ok: true };
  return { ok: false, message: `must be ${TYPE_WORDS[type]} for config type ${type} (got ${describeJsonValue(value)})` };
}

function matchesConfigType(type: ConfigType, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'int':
      return (typeof value === 'number' && Number.isSafeInteger(value)) || typeof value === 'bigint';
    case 'bool':
      return typeof value === 'boolean';
    case 'string_array':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
  }
}

/** Describes a JSON/YAML value in a few words for an error message: `"integer"`, `3`, `a list`, `nothing`. */
export function describeJsonValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}
