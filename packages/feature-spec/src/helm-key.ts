import { FeatureSpecError } from './issue.js';

/**
 * Splits a Feature.yaml Helm key into its path segments: `a.b\.c` → `['a', 'b.c']`.
 * `\.` is a literal dot inside a segment; any other backslash is kept as written.
 * Throws `FeatureSpecError` (`invalid-helm-key`) when a segment is empty.
 */
export function splitHelmKey(key: string): string[] {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < key.length; i++) {
    const ch = key[i];
    if (ch === '\\' && key[i + 1] === '.') {
      current += '.';
      i++;
    } else if (ch === '.') {
      segments.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  segments.push(current);
  if (segments.some((segment) => segment === '')) {
    throw new FeatureSpecError('invalid-helm-key', `invalid Helm key "${key}": a dot-separated segment is empty`);
  }
  return segments;
}

/** The inverse of `splitHelmKey`: escapes dots inside segments and joins with `.`. */
export function joinHelmKey(segments: readonly string[]): string {
  return segments.map((segment) => segment.replaceAll('.', '\\.')).join('.');
}

/** True when `key` splits into non-empty segments. */
export function isValidHelmKey(key: string): boolean {
  try {
    splitHelmKey(key);
    return true;
  } catch {
    return false;
  }
}
