// Go's fmt / strconv formatting of values, as Sprig functions see it (`fmt.Sprintf("%v")`, `%q`, strconv.Quote).
import { GoSlice, GoTyped, isGoMap, sortedKeys, type GoValue } from '../../../value.js';

/** strconv.FormatFloat(f, 'g', -1, 64): what `%v` prints for a float64. */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant = '', expPart = '0'] = f.toExponential().split('e');
  const exp = Number(expPart);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let body: string;
  if (exp < -4 || exp >= 6) {
    // shortest 'g' switches to the exponent form from exponent 6 on (eprec = 6)
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const e = Math.abs(exp);
    body = `${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : String(e)}`;
  } else if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    body = frac ? `${intPart}.${frac}` : intPart;
  } else {
    body = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return neg ? `-${body}` : body;
}

/** fmt.Sprint / `%v` of a value. */
export function goSprint(v: GoValue): string {
  if (v === null) return '<nil>';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return v;
    case 'number':
      return formatFloat(v);
    case 'bigint':
      return v.toString();
    case 'object':
    case 'function':
    case 'symbol':
    case 'undefined':
      break;
  }
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  if (v instanceof GoSlice) return `[${v.items.map(goSprint).join(' ')}]`;
  if (v instanceof GoTyped) return v.format();
  if (isGoMap(v))
    return `map[${sortedKeys(v)
      .map((k) => `${k}:${goSprint(v[k] ?? null)}`)
      .join(' ')}]`;
  return String(v);
}

/** Sprig's strval: strings as they are, everything else through `%v`. */
export function strval(v: GoValue): string {
  return typeof v === 'string' ? v : goSprint(v);
}

/** Sprig's strslice (toStrings): a list's non-nil items through strval; a scalar becomes a one-item list. */
export function strslice(v: GoValue): string[] {
  if (v === null) return [];
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(strval);
  if (v instanceof GoSlice) return v.items.filter((x) => x !== null).map(strval);
  return [strval(v)];
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** strconv.Quote: a double-quoted Go string literal (what `%q` prints). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += '\ufffd';
      continue;
    }
    if (PRINTABLE.test(ch)) {
      out += ch;
    } else if (cp < 0x20 || cp === 0x7f) {
      out += `\\x${cp.toString(16).padStart(2, '0')}`;
    } else if (cp < 0x10000) {
      out += `\\u${cp.toString(16).padStart(4, '0')}`;
    } else {
      out += `\\U${cp.toString(16).padStart(8, '0')}`;
    }
  }
  return `${out}"`;
}
