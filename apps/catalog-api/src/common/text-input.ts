// Text from outside checked once, before anything reads it, for what PostgreSQL and our formats cannot hold: a NUL
// (PostgreSQL's text and jsonb refuse \u0000: a 500 before this check), a lone surrogate (not UTF-16, not
// storable as UTF-8), control characters (none in names, ids and query values; tab, line feed and carriage
// return only in free text), and sizes (path segments, query values, nesting). The HTTP guard runs it on every
// route's path parameters, query and body; the gRPC server on every message. A 400 names the field.
import { invalid } from '@fasit/domain';

export const MAX_SEGMENT_CHARS = 256;
export const MAX_QUERY_CHARS = 1000;
export const MAX_DEPTH = 64;

// A high surrogate not followed by a low one, or a low one not preceded by a high one (no `u` flag: code units).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/** The first control character: C0, DEL, and (strict) the C1 block; free text keeps tab, line feed and carriage return. */
function controlChar(value: string, strict: boolean): number | undefined {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 && (strict || (c !== TAB && c !== LF && c !== CR))) return c;
    if (c === 0x7f || (strict && c >= 0x80 && c <= 0x9f)) return c;
  }
  return undefined;
}

/** The first problem of one string, or undefined. `strict`: no control characters at all. */
export function textProblem(value: string, strict: boolean): string | undefined {
  if (value.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (LONE_SURROGATE.test(value)) return 'is not valid Unicode (a lone surrogate)';
  const control = controlChar(value, strict);
  if (control !== undefined) return `contains a control character (U+${control.toString(16).toUpperCase().padStart(4, '0')})`;
  return undefined;
}

/** A field name safe to echo (a hostile key could itself hold what we refuse). */
const shown = (name: string): string =>
  textProblem(name, true) === undefined && name.length <= 100 ? name : `${[...name.slice(0, 100)].filter((c) => textProblem(c, true) === undefined).join('')}…`;

/** Path parameters and query values: names, ids, selectors. */
export function checkParams(params: Record<string, unknown>, kind: 'path' | 'query'): void {
  const max = kind === 'path' ? MAX_SEGMENT_CHARS : MAX_QUERY_CHARS;
  for (const [name, value] of Object.entries(params)) {
    const field = shown(name);
    const nameProblem = textProblem(name, true);
    if (nameProblem) throw invalid(`${kind} parameter name ${nameProblem}`, field);
    if (typeof value !== 'string') throw invalid(`${field}: give it once, as plain text`, field);
    const problem = textProblem(value, true);
    if (problem) throw invalid(`${field}: ${problem}`, field);
    if (value.length > max) throw invalid(`${field}: at most ${max} characters`, field);
  }
}

/** A JSON body or a gRPC message: every string and every key, at any depth (iteratively: no recursion to exhaust). */
export function checkDocument(doc: unknown, root = ''): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: doc, path: root, depth: 0 }];
  const at = (path: string, key: string) => (path ? `${path}.${key}` : key);
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const problem = textProblem(value, false);
      if (problem) throw invalid(`${path || 'body'}: ${problem}`, path || undefined);
      continue;
    }
    if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) continue;
    if (depth >= MAX_DEPTH) throw invalid(`${path || 'body'}: nested more than ${MAX_DEPTH} levels deep`, path || undefined);
    for (const [key, child] of Object.entries(value)) {
      const keyProblem = textProblem(key, true);
      if (keyProblem) throw invalid(`${at(path, shown(key))}: the key ${keyProblem}`, at(path, shown(key)));
      stack.push({ value: child, path: at(path, key), depth: depth + 1 });
    }
  }
}
