// strconv number parsing and spf13/cast (1.5) conversions, which Sprig's int, int64, float64 and all integer
// math functions go through. Failed conversions give 0, as cast's non-E functions do.
import { underscoreOK } from '../../../engine/strconv.js';
import { GoInt, GoSlice, GoTyped, type GoValue } from '../../../value.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Wraps to int64 like Go integer arithmetic. */
export function int64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** strconv.ParseInt(s, base, 64); null on a syntax or range error. base 0 means Go literal syntax. */
export function parseGoInt(s: string, base: 0 | 8 | 10 | 16): bigint | null {
  if (s === '') return null;
  let body = s;
  let neg = false;
  if (body[0] === '+' || body[0] === '-') {
    neg = body[0] === '-';
    body = body.slice(1);
  }
  let b: number = base;
  if (base === 0) {
    b = 10;
    if (body[0] === '0') {
      if (body.length >= 3 && (body[1] === 'x' || body[1] === 'X')) {
        b = 16;
        body = body.slice(2);
      } else if (body.length >= 3 && (body[1] === 'b' || body[1] === 'B')) {
        b = 2;
        body = body.slice(2);
      } else if (body.length >= 3 && (body[1] === 'o' || body[1] === 'O')) {
        b = 8;
        body = body.slice(2);
      } else {
        b = 8;
        body = body.slice(1);
        if (body === '') return 0n;
      }
    }
    if (body.includes('_')) {
      if (!underscoreOK(s)) return null;
      body = body.replaceAll('_', '');
    }
  }
  const digits: Record<number, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };
  if (!digits[b]!.test(body)) return null;
  let n = 0n;
  const bb = BigInt(b);
  for (const c of body) n = n * bb + BigInt(parseInt(c, 16));
  if (neg) n = -n;
  if (n < INT64_MIN || n > INT64_MAX) return null;
  return n;
}

/** strconv.Atoi: decimal only, optional sign. */
export function atoi(s: string): bigint | null {
  return parseGoInt(s, 10);
}

/** strconv.ParseFloat(s, 64); null on a syntax or range error. */
export function parseGoFloat(s: string): number | null {
  const t = s;
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(t)) return NaN;
  let n: number;
  if (/^[+-]?0[xX]/.test(t)) {
    // (?:H_?)* alone: the former (?:H_?)*H* matched the same strings but split a digit run two ways (quadratic)
    const m = /^([+-]?)0[xX]((?:[0-9a-fA-F]_?)*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/.exec(t);
    if (!m || (m[2] === '' && !m[3])) return null;
    if (t.includes('_') && !underscoreOK(t.replace(/\..*$/, ''))) return null;
    const int = (m[2] ?? '').replaceAll('_', '');
    const frac = (m[3] ?? '').replaceAll('_', '');
    const mant = parseInt(int || '0', 16) + (frac ? parseInt(frac, 16) / 16 ** frac.length : 0);
    n = mant * 2 ** Number((m[4] ?? '0').replaceAll('_', ''));
    if (m[1] === '-') n = -n;
  } else {
    if (!/^[+-]?(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9]+)?$/.test(t)) {
      return null;
    }
    n = Number(t.replaceAll('_', ''));
  }
  if (!Number.isFinite(n)) return null;
  return n;
}

/** cast's trimZeroDecimal: "3.00" → "3" (so int "3.0" is 3). */
function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === '.') {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === '0') {
      foundZero = true;
    } else {
      return s;
    }
  }
  return s;
}

/** Go's int64(f) conversion: truncation; NaN and out-of-range values give math.MinInt64 (amd64). */
export function floatToInt64(f: number): bigint {
  if (!Number.isFinite(f) || f >= 9223372036854775808 || f < -9223372036854775808) return INT64_MIN;
  return BigInt(Math.trunc(f));
}

/** cast.ToInt64 (also cast.ToInt: int is 64 bits). */
export function toInt64(v: GoValue): bigint {
  if (v === null) return 0n;
  switch (typeof v) {
    case 'bigint':
      return v;
    case 'number':
      return floatToInt64(v);
    case 'boolean':
      return v ? 1n : 0n;
    case 'string':
      return parseGoInt(trimZeroDecimal(v), 0) ?? 0n;
    case 'object':
    case 'function':
    case 'symbol':
    case 'undefined':
      break;
  }
  if (v instanceof GoInt) return v.value;
  return 0n;
}

/** cast.ToFloat64 */
export function toFloat64(v: GoValue): number {
  if (v === null) return 0;
  switch (typeof v) {
    case 'number':
      return v;
    case 'bigint':
      return Number(v);
    case 'boolean':
      return v ? 1 : 0;
    case 'string':
      return parseGoFloat(v) ?? 0;
    case 'object':
    case 'function':
    case 'symbol':
    case 'undefined':
      break;
  }
  if (v instanceof GoInt) return Number(v.value);
  if (Array.isArray(v) || v instanceof GoSlice || v instanceof GoTyped) return 0;
  return 0;
}
