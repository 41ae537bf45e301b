// encoding/json as Go 1.19 does it: sorted map keys, float64 formatting, HTML-safe escaping, Unmarshal into
// interface{} (objects → maps, numbers → float64).
import { GoInt, GoMapOf, GoSlice, GoTyped, isGoMap, sortedKeys, type GoMap, type GoValue } from '../../../value.js';
import { mapSet } from './maps.js';

export class GoJsonError extends Error {}

export interface MarshalOptions {
  /** json.MarshalIndent(v, "", indent) */
  indent?: string;
  /** Escape <, >, & as \u003c... (Marshal does, an Encoder with SetEscapeHTML(false) does not). */
  escapeHTML?: boolean;
}

/** A GoTyped that marshals itself (json.Marshaler), e.g. *semver.Version. */
export interface GoJsonMarshaler {
  marshalJSON(): string;
}

function floatJSON(f: number): string {
  if (!Number.isFinite(f)) throw new GoJsonError(`json: unsupported value: ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const abs = Math.abs(f);
  if (abs < 1e-6 || abs >= 1e21) {
    // strconv 'e' shortest, then e-09 → e-9
    const [mant = '', exp = '0'] = f.toExponential().split('e');
    const e = Number(exp);
    const es = Math.abs(e) < 10 ? `0${Math.abs(e)}` : String(Math.abs(e));
    let s = `${mant}e${e < 0 ? '-' : '+'}${es}`;
    s = s.replace(/e-0(\d)$/, 'e-$1');
    return s;
  }
  // 'f' shortest: JS gives the same digits without an exponent in this range
  return String(f);
}

export function jsonString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || (escapeHTML && (ch === '<' || ch === '>' || ch === '&')) || cp === 0x2028 || cp === 0x2029) {
      out += `\\u${cp.toString(16).padStart(4, '0')}`;
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      out += '\\ufffd';
    } else out += ch;
  }
  return `${out}"`;
}

export function goJsonMarshal(v: GoValue, opts: MarshalOptions = {}): string {
  const escapeHTML = opts.escapeHTML ?? true;
  const indent = opts.indent;
  const enc = (x: GoValue, depth: number): string => {
    if (x === null) return 'null';
    switch (typeof x) {
      case 'boolean':
        return x ? 'true' : 'false';
      case 'string':
        return jsonString(x, escapeHTML);
      case 'number':
        return floatJSON(x);
      case 'bigint':
        return x.toString();
      case 'object':
      case 'function':
      case 'symbol':
      case 'undefined':
        break;
    }
    const nl = (d: number): string => (indent === undefined ? '' : `\n${indent.repeat(d)}`);
    const sep = indent === undefined ? ':' : ': ';
    const items = Array.isArray(x) ? x : x instanceof GoSlice ? x.items : undefined;
    if (items) {
      if (items.length === 0) return '[]';
      return `[${items.map((i) => nl(depth + 1) + enc(i, depth + 1)).join(',')}${nl(depth)}]`;
    }
    if (x instanceof GoInt) return x.value.toString();
    if (x instanceof GoMapOf) return enc({ ...x.entries }, depth);
    if (x instanceof GoTyped) {
      const m = (x as Partial<GoJsonMarshaler>).marshalJSON;
      return m ? m.call(x) : '{}';
    }
    if (Array.isArray(x) || !isGoMap(x)) return 'null';
    const keys = sortedKeys(x);
    if (keys.length === 0) return '{}';
    return `{${keys.map((k) => `${nl(depth + 1)}${jsonString(k, escapeHTML)}${sep}${enc(x[k] ?? null, depth + 1)}`).join(',')}${nl(depth)}}`;
  };
  return enc(v, 0);
}

/**
 * json.Unmarshal into interface{}: the decoded value, and the error Go would return. Like Go, a number too large
 * for a float64 leaves a nil in its place and decoding goes on (the value is usable, the error is still set);
 * invalid JSON gives a nil value.
 */
export function goJsonDecode(s: string): { value: GoValue; error?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch (e) {
    return { value: null, error: (e as Error).message };
  }
  let error: string | undefined;
  const conv = (x: unknown): GoValue => {
    if (x === null) return null;
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) {
        error ??= 'json: cannot unmarshal number into Go value of type float64';
        return null;
      }
      return x;
    }
    if (typeof x === 'string' || typeof x === 'boolean') return x;
    if (Array.isArray(x)) return x.map(conv);
    const m: GoMap = {};
    for (const [k, val] of Object.entries(x as Record<string, unknown>)) mapSet(m, k, conv(val));
    return m;
  };
  const value = conv(parsed);
  return error === undefined ? { value } : { value, error };
}

/** json.Unmarshal into interface{}; throws GoJsonError where Go returns an error. */
export function goJsonUnmarshal(s: string): GoValue {
  const r = goJsonDecode(s);
  if (r.error !== undefined) throw new GoJsonError(r.error);
  return r.value;
}
