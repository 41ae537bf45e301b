// Go's strconv, as far as text/template and fmt need it: float formatting (exact, round-half-even like
// strconv.FormatFloat), quoting (strconv.Quote / QuoteToASCII / QuoteRune / CanBackquote) and unquoting of
// template string and char literals.

/** An exact decimal: value = 0.d[0]d[1]... × 10^dp, no trailing zeros; nd = d.length (0 for zero). */
interface Decimal {
  d: string;
  dp: number;
}

const f64 = new DataView(new ArrayBuffer(8));

function floatBits(x: number): { neg: boolean; exp: number; mant: bigint } {
  f64.setFloat64(0, x);
  const hi = f64.getUint32(0);
  const lo = f64.getUint32(4);
  const neg = hi >>> 31 === 1;
  const exp = (hi >>> 20) & 0x7ff;
  const mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  return { neg, exp, mant };
}

function trimZeros(d: Decimal): Decimal {
  let n = d.d.length;
  while (n > 0 && d.d[n - 1] === '0') n--;
  if (n === 0) return { d: '', dp: 0 };
  return { d: d.d.slice(0, n), dp: d.dp };
}

/** The exact decimal expansion of a finite |x|. */
function exactDecimal(x: number): Decimal {
  const { exp, mant } = floatBits(x);
  if (exp === 0 && mant === 0n) return { d: '', dp: 0 };
  const m = exp === 0 ? mant : mant | (1n << 52n);
  const e2 = (exp === 0 ? 1 : exp) - 1075;
  if (e2 >= 0) {
    const s = (m << BigInt(e2)).toString();
    return trimZeros({ d: s, dp: s.length });
  }
  const s = (m * 5n ** BigInt(-e2)).toString();
  return trimZeros({ d: s, dp: s.length + e2 });
}

/** Shortest decimal that reads back as x (what Go's ryu shortest and JS's Number#toString both produce). */
function shortestDecimal(x: number): Decimal {
  if (x === 0) return { d: '', dp: 0 };
  const s = Math.abs(x).toExponential();
  const ePos = s.indexOf('e');
  const digits = s.slice(0, ePos).replace('.', '');
  const e = Number(s.slice(ePos + 1));
  return trimZeros({ d: digits, dp: e + 1 });
}

function shouldRoundUp(a: Decimal, nd: number): boolean {
  if (nd < 0 || nd >= a.d.length) return false;
  if (a.d[nd] === '5' && nd + 1 === a.d.length) {
    // exactly halfway: round to even
    return nd > 0 && (a.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  }
  return a.d.charCodeAt(nd) >= 53;
}

function roundDecimal(a: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= a.d.length) return a;
  if (!shouldRoundUp(a, nd)) return trimZeros({ d: a.d.slice(0, nd), dp: a.dp });
  // round up
  let i = nd - 1;
  while (i >= 0 && a.d[i] === '9') i--;
  if (i < 0) return { d: '1', dp: a.dp + 1 };
  return { d: a.d.slice(0, i) + String.fromCharCode(a.d.charCodeAt(i) + 1), dp: a.dp };
}

function fmtE(neg: boolean, d: Decimal, prec: number, fmt: string): string {
  let out = neg ? '-' : '';
  out += d.d.length !== 0 ? d.d[0] : '0';
  if (prec > 0) {
    out += '.';
    const m = Math.min(d.d.length, prec + 1);
    let i = 1;
    if (i < m) {
      out += d.d.slice(i, m);
      i = m;
    }
    for (; i <= prec; i++) out += '0';
  }
  out += fmt;
  let exp = d.d.length === 0 ? 0 : d.dp - 1;
  let sign = '+';
  if (exp < 0) {
    sign = '-';
    exp = -exp;
  }
  out += sign + (exp < 10 ? `0${exp}` : String(exp));
  return out;
}

function fmtF(neg: boolean, d: Decimal, prec: number): string {
  let out = neg ? '-' : '';
  if (d.dp > 0) {
    const m = Math.min(d.d.length, d.dp);
    out += d.d.slice(0, m);
    for (let k = m; k < d.dp; k++) out += '0';
  } else {
    out += '0';
  }
  if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      const j = d.dp + i;
      out += j < 0 || j >= d.d.length ? '0' : d.d[j];
    }
  }
  return out;
}

function fmtB(neg: boolean, mant: bigint, exp: number): string {
  return `${neg ? '-' : ''}${mant.toString()}p${exp >= 0 ? '+' : '-'}${Math.abs(exp)}`;
}

const MASK64 = (1n << 64n) - 1n;

function fmtX(prec: number, fmt: 'x' | 'X', neg: boolean, mantIn: bigint, expIn: number): string {
  let mant = mantIn;
  let exp = expIn;
  if (mant === 0n) exp = 0;
  mant = (mant << 8n) & MASK64; // leading 1 of a normal number moves from bit 52 to bit 60
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant = (mant << 1n) & MASK64;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & ((1n << 60n) - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant = (mant << (60n - shift)) & MASK64;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = fmt === 'X' ? '0123456789ABCDEF' : '0123456789abcdef';
  let out = neg ? '-' : '';
  out += `0${fmt}${(mant >> 60n) & 1n}`;
  mant = (mant << 4n) & MASK64;
  if (prec < 0 && mant !== 0n) {
    out += '.';
    while (mant !== 0n) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & MASK64;
    }
  } else if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & MASK64;
    }
  }
  out += fmt === 'X' ? 'P' : 'p';
  out += exp < 0 ? '-' : '+';
  const a = Math.abs(exp);
  out += a < 10 ? `0${a}` : String(a);
  return out;
}

/** strconv.FormatFloat(x, fmt, prec, 64). fmt is one of b e E f g G x X. */
export function formatFloat(x: number, fmt: string, precIn: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const bits = floatBits(x);
  const neg = bits.neg;
  if (fmt === 'b' || fmt === 'x' || fmt === 'X') {
    let mant = bits.mant;
    let exp = bits.exp;
    if (exp === 0) exp++;
    else mant |= 1n << 52n;
    exp -= 1023;
    if (fmt === 'b') return fmtB(neg, mant, exp - 52);
    return fmtX(precIn, fmt, neg, mant, exp);
  }
  let prec = precIn;
  const shortest = prec < 0;
  let digs: Decimal;
  if (shortest) {
    digs = shortestDecimal(x);
    switch (fmt) {
      case 'e':
      case 'E':
        prec = Math.max(digs.d.length - 1, 0);
        break;
      case 'f':
        prec = Math.max(digs.d.length - digs.dp, 0);
        break;
      default:
        prec = digs.d.length;
    }
  } else {
    const exact = exactDecimal(x);
    switch (fmt) {
      case 'e':
      case 'E':
        digs = roundDecimal(exact, prec + 1);
        break;
      case 'f':
        digs = roundDecimal(exact, exact.dp + prec);
        break;
      default:
        if (prec === 0) prec = 1;
        digs = roundDecimal(exact, prec);
    }
  }
  switch (fmt) {
    case 'e':
    case 'E':
      return fmtE(neg, digs, prec, fmt);
    case 'f':
      return fmtF(neg, digs, prec);
    case 'g':
    case 'G': {
      const nd = digs.d.length;
      let eprec = prec;
      if (eprec > nd && nd >= digs.dp) eprec = nd;
      if (shortest) eprec = 6;
      const exp = digs.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > nd) prec = nd;
        return fmtE(neg, digs, prec - 1, fmt === 'g' ? 'e' : 'E');
      }
      if (prec > digs.dp) prec = nd;
      return fmtF(neg, digs, Math.max(prec - digs.dp, 0));
    }
    default:
      return `%${fmt}`;
  }
}

// ---- quoting ---------------------------------------------------------------------------------------------

const printableRe = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Go's unicode.IsPrint / strconv.IsPrint: letters, marks, numbers, punctuation, symbols and U+0020. */
export function isPrint(r: number): boolean {
  if (r === 0x20) return true;
  if (r < 0x20 || r === 0x7f) return false;
  if (r < 0x7f) return true;
  if (r >= 0xd800 && r <= 0xdfff) return false;
  return printableRe.test(String.fromCodePoint(r));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function escapeRune(r: number, quote: number, asciiOnly: boolean): string {
  if (r === quote || r === 0x5c) return `\\${String.fromCodePoint(r)}`;
  if (asciiOnly) {
    if (r < 0x80 && isPrint(r)) return String.fromCodePoint(r);
  } else if (isPrint(r)) {
    return String.fromCodePoint(r);
  }
  switch (r) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return `\\x${hex(r, 2)}`;
  if (r >= 0xd800 && r <= 0xdfff) return '\\ufffd';
  if (r < 0x10000) return `\\u${hex(r, 4)}`;
  return `\\U${hex(r, 8)}`;
}

function quoteWith(s: string, quote: number, asciiOnly: boolean): string {
  const q = String.fromCharCode(quote);
  let out = q;
  for (const ch of s) out += escapeRune(ch.codePointAt(0) ?? 0, quote, asciiOnly);
  return out + q;
}

export function quote(s: string): string {
  return quoteWith(s, 0x22, false);
}

export function quoteToASCII(s: string): string {
  return quoteWith(s, 0x22, true);
}

export function quoteRune(r: number, asciiOnly = false): string {
  const rr = r > 0x10ffff || r < 0 || (r >= 0xd800 && r <= 0xdfff) ? 0xfffd : r;
  return `'${escapeRune(rr, 0x27, asciiOnly)}'`;
}

/** strconv.CanBackquote: no control characters other than tab, no backquote, no U+FEFF. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const r = ch.codePointAt(0) ?? 0;
    if (r === 0x60 || r === 0xfeff) return false;
    if ((r < 0x20 && r !== 0x09) || r === 0x7f) return false;
    if (r >= 0xd800 && r <= 0xdfff) return false;
  }
  return true;
}

// ---- unquoting -------------------------------------------------------------------------------------------

export class SyntaxError extends Error {
  override readonly name = 'SyntaxError';
}

const simpleEscapes: Readonly<Record<string, number>> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 0x5c,
};

/**
 * strconv.UnquoteChar over a JS string: decodes one (possibly escaped) character at `i`.
 * Returns the rune (or a raw byte for \x / octal escapes, flagged `byte`) and the index after it.
 */
function unquoteChar(s: string, i: number, quoteCh: string): { value: number; byte: boolean; next: number } {
  const c = s.codePointAt(i) ?? 0;
  if (c === quoteCh.charCodeAt(0) && (quoteCh === "'" || quoteCh === '"')) throw new SyntaxError('invalid syntax');
  if (c !== 0x5c) return { value: c, byte: false, next: i + (c > 0xffff ? 2 : 1) };
  const e = s[i + 1];
  if (e === undefined) throw new SyntaxError('invalid syntax');
  const simple = simpleEscapes[e];
  if (simple !== undefined) return { value: simple, byte: false, next: i + 2 };
  switch (e) {
    case 'x':
    case 'u':
    case 'U': {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const h = s.slice(i + 2, i + 2 + n);
      if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) throw new SyntaxError('invalid syntax');
      const v = parseInt(h, 16);
      if (e === 'x') return { value: v, byte: true, next: i + 2 + n };
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new SyntaxError('invalid syntax');
      return { value: v, byte: false, next: i + 2 + n };
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      const o = s.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(o)) throw new SyntaxError('invalid syntax');
      const v = parseInt(o, 8);
      if (v > 255) throw new SyntaxError('invalid syntax');
      return { value: v, byte: true, next: i + 4 };
    }
    case "'":
    case '"':
      if (e !== quoteCh) throw new SyntaxError('invalid syntax');
      return { value: e.charCodeAt(0), byte: false, next: i + 2 };
    default:
      throw new SyntaxError('invalid syntax');
  }
}

/** Decode bytes (from \x / octal escapes mixed with text) as UTF-8 the way Go would print them. */
function bytesToString(parts: (string | number[])[]): string {
  let out = '';
  for (const p of parts) out += typeof p === 'string' ? p : Buffer.from(p).toString('utf8');
  return out;
}

/** strconv.Unquote for "..." and `...` literals. */
export function unquote(lit: string): string {
  if (lit.length < 2) throw new SyntaxError('invalid syntax');
  const q = lit[0];
  if (q !== lit[lit.length - 1]) throw new SyntaxError('invalid syntax');
  const body = lit.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new SyntaxError('invalid syntax');
    return body.replaceAll('\r', '');
  }
  if (q !== '"') throw new SyntaxError('invalid syntax');
  if (body.includes('\n')) throw new SyntaxError('invalid syntax');
  const parts: (string | number[])[] = [];
  let bytes: number[] | null = null;
  let i = 0;
  while (i < body.length) {
    const { value, byte, next } = unquoteChar(body, i, '"');
    if (byte) {
      if (bytes === null) {
        bytes = [];
        parts.push(bytes);
      }
      bytes.push(value);
    } else {
      bytes = null;
      parts.push(String.fromCodePoint(value));
    }
    i = next;
  }
  return bytesToString(parts);
}

/** The rune value of a char literal such as 'a', '\n', '\x41', '\u00e9'. */
export function unquoteCharLiteral(lit: string): number {
  const body = lit.slice(1);
  const { value, next } = unquoteChar(body, 0, "'");
  if (body.slice(next) !== "'") throw new SyntaxError(`malformed character constant: ${lit}`);
  return value;
}

/** Go's strconv.underscoreOK: in a number literal, underscores only between digits (or after a base prefix). */
export function underscoreOK(str: string): boolean {
  let s = str;
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1] ?? '')) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i] ?? '';
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}
