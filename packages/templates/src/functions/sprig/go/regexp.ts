// Go's regexp (RE2 syntax, Go 1.19) on top of JavaScript's RegExp: the pattern is translated (Perl classes,
// POSIX classes, \A \z \Q..\E, (?P<name>), inline flags, `.` not matching only \n, literal braces), constructs
// RE2 does not support are rejected, and the Find/Replace/Split loops follow Go's rules for empty matches.

export class GoRegexpError extends Error {}

export interface GoRegexp {
  source: string;
  re: RegExp;
  /** Capture group names by index (index 0 = whole match, unnamed groups ''). */
  names: string[];
}

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const PERL: Record<string, string> = { d: '0-9', w: '0-9A-Za-z_', s: '\\t\\n\\f\\r ' };

const GENERAL_CATEGORIES = new Set([
  'C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No',
  'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs',
]);

function fail(msg: string, expr: string): never {
  throw new GoRegexpError(`error parsing regexp: ${msg}: \`${expr}\``);
}

function lit(cp: number, inClass: boolean): string {
  const ch = String.fromCodePoint(cp);
  if (/[0-9A-Za-z_ ]/.test(ch)) return ch;
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (inClass ? /[\\\][^-]/.test(ch) : /[\\^$.*+?()[\]{}|/]/.test(ch)) return `\\${ch}`;
  if (cp > 0x7e) return `\\u{${cp.toString(16)}}`;
  return ch;
}

function unicodeClass(name: string, negate: boolean, expr: string): string {
  let n = name;
  let neg = negate;
  if (n.startsWith('^')) {
    neg = !neg;
    n = n.slice(1);
  }
  let body: string;
  if (n === 'Any') body = neg ? '[^\\s\\S]' : '[\\s\\S]';
  else {
    const prop = GENERAL_CATEGORIES.has(n) ? n : `Script=${n}`;
    try {
      new RegExp(`\\p{${prop}}`, 'u');
    } catch {
      fail('invalid character class range', `\\p{${name}}`);
    }
    body = `\\${neg ? 'P' : 'p'}{${prop}}`;
  }
  void expr;
  return body;
}

/** Translates a Go regexp to a JavaScript RegExp (flag u, plus g for the scanning loops). */
export function compileGoRegexp(expr: string): GoRegexp {
  const names: string[] = [''];
  let wholeI = false;
  const cps = [...expr].map((c) => c.codePointAt(0)!);
  let i = 0;
  const peek = (o = 0): string => (i + o < cps.length ? String.fromCodePoint(cps[i + o]!) : '');

  interface Flags {
    i: boolean;
    m: boolean;
    s: boolean;
    U: boolean;
  }

  // Parses an escape after the backslash (i points after '\'); returns JS source, or a class body when inClass.
  const escape = (inClass: boolean): { src: string; classBody?: string; cp?: number } => {
    const c = peek();
    if (c === '') fail('trailing backslash at end of expression', '');
    i++;
    const lower = c.toLowerCase();
    if (PERL[lower] !== undefined) {
      const body = PERL[lower];
      const neg = c !== lower;
      if (inClass) {
        const cb = neg ? complementRanges(body) : body;
        return { src: cb, classBody: cb };
      }
      return { src: `[${neg ? '^' : ''}${body}]` };
    }
    switch (c) {
      case 'b':
      case 'B':
        if (inClass) fail('invalid escape sequence', `\\${c}`);
        return { src: `\\${c}` };
      case 'A':
        return { src: '(?<![\\s\\S])' };
      case 'z':
        return { src: '(?![\\s\\S])' };
      case 'a':
        return { src: '\\x07', cp: 7 };
      case 'f':
        return { src: '\\f', cp: 12 };
      case 't':
        return { src: '\\t', cp: 9 };
      case 'n':
        return { src: '\\n', cp: 10 };
      case 'r':
        return { src: '\\r', cp: 13 };
      case 'v':
        return { src: '\\v', cp: 11 };
      case 'p':
      case 'P': {
        let name = peek();
        if (name === '{') {
          const end = cps.indexOf(0x7d, i);
          if (end < 0) fail('invalid character class range', expr.slice(i - 2));
          name = String.fromCodePoint(...cps.slice(i + 1, end));
          i = end + 1;
        } else {
          if (name === '') fail('invalid character class range', `\\${c}`);
          i++;
        }
        const src = unicodeClass(name, c === 'P', expr);
        return { src, classBody: src };
      }
      case 'x': {
        let hex: string;
        if (peek() === '{') {
          const end = cps.indexOf(0x7d, i);
          if (end < 0) fail('invalid escape sequence', '\\x{');
          hex = String.fromCodePoint(...cps.slice(i + 1, end));
          i = end + 1;
        } else {
          hex = peek() + peek(1);
          i += 2;
        }
        if (!/^[0-9a-fA-F]+$/.test(hex) || parseInt(hex, 16) > 0x10ffff) fail('invalid escape sequence', `\\x${hex}`);
        const cp = parseInt(hex, 16);
        return { src: lit(cp, inClass), cp };
      }
    }
    if (c >= '0' && c <= '7') {
      if (c !== '0' && !(peek() >= '0' && peek() <= '7')) fail('invalid escape sequence', `\\${c}`);
      let oct = c;
      while (oct.length < 3 && peek() >= '0' && peek() <= '7') {
        oct += peek();
        i++;
      }
      const cp = parseInt(oct, 8);
      return { src: lit(cp, inClass), cp };
    }
    const cp = c.codePointAt(0)!;
    if (cp < 0x80 && !/[0-9A-Za-z]/.test(c)) return { src: lit(cp, inClass), cp };
    return fail('invalid escape sequence', `\\${c}`);
  };

  const parseClass = (flags: Flags): string => {
    // i points after '['
    const start = i - 1;
    let negate = false;
    if (peek() === '^') {
      negate = true;
      i++;
    }
    let body = '';
    let first = true;
    for (;;) {
      const c = peek();
      if (c === '') fail('missing closing ]', expr.slice(start));
      if (c === ']' && !first) {
        i++;
        break;
      }
      first = false;
      if (c === '[' && peek(1) === ':') {
        const rest = String.fromCodePoint(...cps.slice(i));
        const m = /^\[:(\^?)([a-z]+):\]/.exec(rest);
        if (m && POSIX[m[2]!] !== undefined) {
          i += m[0].length;
          if (m[1]) {
            // negated POSIX class inside a class: use a lookahead-free approximation via \P{..} is impossible,
            // so expand into the complement range list.
            body += complementRanges(POSIX[m[2]!]!);
          } else body += POSIX[m[2]!];
          continue;
        }
      }
      let lo: number | undefined;
      let piece: string;
      if (c === '\\') {
        i++;
        const e = escape(true);
        if (e.cp === undefined) {
          body += e.classBody ?? e.src;
          continue;
        }
        lo = e.cp;
        piece = lit(lo, true);
      } else {
        lo = cps[i]!;
        i++;
        piece = lit(lo, true);
      }
      if (peek() === '-' && peek(1) !== ']' && peek(1) !== '') {
        i++;
        let hi: number;
        if (peek() === '\\') {
          i++;
          const e = escape(true);
          if (e.cp === undefined) fail('invalid character class range', expr.slice(start, i));
          hi = e.cp;
        } else {
          hi = cps[i]!;
          i++;
        }
        if (hi < lo) fail('invalid character class range', `${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)}`);
        body += `${piece}-${lit(hi, true)}`;
      } else body += piece;
    }
    void flags;
    if (body === '' && !negate) return '[^\\s\\S]';
    return `[${negate ? '^' : ''}${body}]`;
  };

  const parseRepeat = (): { min: number; max: number | undefined; len: number } | undefined => {
    const rest = String.fromCodePoint(...cps.slice(i, i + 24));
    const m = /^\{(\d+)(,(\d*))?\}/.exec(rest);
    if (!m) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? undefined : Number(m[3]);
    if (min > 1000 || (max !== undefined && (max > 1000 || max < min))) fail('invalid repeat count', m[0]);
    return { min, max, len: [...m[0]].length };
  };

  const parseSeq = (flags: Flags, depth: number): string => {
    let out = '';
    let canRepeat = false;
    let lastWasRepeat = false;
    while (i < cps.length) {
      const c = peek();
      if (c === ')') {
        if (depth === 0) fail('unexpected )', expr);
        return out;
      }
      if (c === '|') {
        i++;
        out += '|';
        canRepeat = false;
        lastWasRepeat = false;
        continue;
      }
      // quantifiers
      let quant: string | undefined;
      if (c === '*' || c === '+' || c === '?') {
        quant = c;
        i++;
      } else if (c === '{') {
        const r = parseRepeat();
        if (r) {
          quant = `{${r.min}${r.max === r.min ? '' : `,${r.max ?? ''}`}}`;
          i += r.len;
        }
      }
      if (quant !== undefined) {
        if (lastWasRepeat) fail('invalid nested repetition operator', quant);
        if (!canRepeat) fail('missing argument to repetition operator', quant);
        let lazy = false;
        if (peek() === '?') {
          lazy = true;
          i++;
        }
        if (flags.U) lazy = !lazy;
        out += quant + (lazy ? '?' : '');
        lastWasRepeat = true;
        continue;
      }
      lastWasRepeat = false;
      canRepeat = true;
      i++;
      let atom: string;
      switch (c) {
        case '.':
          atom = flags.s ? '[\\s\\S]' : '[^\\n]';
          break;
        case '^':
          // wrapped so that Go's (pointless but legal) `^*` stays valid JavaScript
          atom = flags.m ? '(?:(?<![^\\n]))' : '(?:(?<![\\s\\S]))';
          break;
        case '$':
          atom = flags.m ? '(?:(?![^\\n]))' : '(?:(?![\\s\\S]))';
          break;
        case '[':
          atom = parseClass(flags);
          break;
        case '\\': {
          if (peek() === 'Q') {
            i++;
            const rest = cps.slice(i);
            let end = -1;
            for (let k = 0; k + 1 < rest.length; k++) if (rest[k] === 0x5c && rest[k + 1] === 0x45) { end = k; break; }
            const quoted = end < 0 ? rest : rest.slice(0, end);
            i += end < 0 ? rest.length : end + 2;
            // each quoted character is its own atom: a following quantifier applies to the last one
            atom = quoted.map((q) => lit(q, false)).join('');
            if (quoted.length === 0) canRepeat = out !== '';
            break;
          }
          atom = escape(false).src;
          if (atom.startsWith('(?<!') || atom.startsWith('(?!') || atom === '\\b' || atom === '\\B') atom = `(?:${atom})`;
          break;
        }
        case '(': {
          const rest = String.fromCodePoint(...cps.slice(i, i + 64));
          if (rest.startsWith('?')) {
            const named = /^\?P<([A-Za-z0-9_]*)>/.exec(rest);
            if (named) {
              if (named[1] === '' ) fail('invalid named capture', `(${named[0]}`);
              // Go 1.19 accepts a repeated name; JavaScript does not, so later ones become plain groups
              const dup = names.includes(named[1]!);
              i += named[0].length;
              names.push(named[1]!);
              const inner = parseSeq({ ...flags }, depth + 1);
              if (peek() !== ')') fail('missing closing )', expr);
              i++;
              atom = dup ? `(${inner})` : `(?<${named[1]}>${inner})`;
              break;
            }
            const fm = /^\?([imsU]*(?:-[imsU]*)?)(:|\))/.exec(rest);
            if (!fm) fail('invalid or unsupported Perl syntax', `(${rest.slice(0, 2)}`);
            if ((fm[1] === '' && fm[2] === ')') || fm[1]!.endsWith('-')) fail('missing argument to repetition operator', `(${fm[0]}`);
            const spec = fm[1]!;
            const nf = { ...flags };
            let on = true;
            for (const f of spec) {
              if (f === '-') on = false;
              else nf[f as keyof Flags] = on;
            }
            i += fm[0].length;
            if (fm[2] === ')') {
              // flags apply to the rest of the current group
              const restSeq = parseSeq(nf, depth);
              if (depth === 0 && out === '' && nf.i && !flags.i && !restSeq.includes('(?-i:')) {
                // a leading (?i) covers the whole pattern: use the RegExp flag
                wholeI = true;
                return restSeq;
              }
              const wrap = nf.i !== flags.i ? `(?${nf.i ? 'i' : '-i'}:${restSeq})` : `(?:${restSeq})`;
              return out + wrap;
            }
            const inner = parseSeq(nf, depth + 1);
            if (peek() !== ')') fail('missing closing )', expr);
            i++;
            atom = nf.i !== flags.i ? `(?${nf.i ? 'i' : '-i'}:${inner})` : `(?:${inner})`;
            break;
          }
          names.push('');
          const inner = parseSeq({ ...flags }, depth + 1);
          if (peek() !== ')') fail('missing closing )', expr);
          i++;
          atom = `(${inner})`;
          break;
        }
        default:
          atom = lit(cps[i - 1]!, false);
      }
      out += atom;
    }
    if (depth > 0) fail('missing closing )', expr);
    return out;
  };

  const src = parseSeq({ i: false, m: false, s: false, U: false }, 0);
  let re: RegExp;
  try {
    re = new RegExp(src, wholeI ? 'giu' : 'gu');
  } catch (e) {
    throw new GoRegexpError(`error parsing regexp: ${(e as Error).message}: \`${expr}\``);
  }
  return { source: expr, re, names };
}

function complementRanges(body: string): string {
  // body is a list of ASCII ranges/escapes written for a class; build the complement over the code point space.
  const re = new RegExp(`[${body}]`, 'u');
  let out = '';
  let start = -1;
  for (let cp = 0; cp <= 0x80; cp++) {
    const inSet = cp < 0x80 && re.test(String.fromCodePoint(cp));
    if (!inSet && start < 0) start = cp;
    if ((inSet || cp === 0x80) && start >= 0) {
      out += `${lit(start, true)}-${lit(cp === 0x80 ? 0x7f : cp - 1, true)}`;
      start = -1;
    }
  }
  return `${out}\\u{80}-\\u{10ffff}`;
}

const cache = new Map<string, GoRegexp>();

export function goRegexp(expr: string): GoRegexp {
  let r = cache.get(expr);
  if (!r) {
    r = compileGoRegexp(expr);
    if (cache.size > 500) cache.clear();
    cache.set(expr, r);
  }
  return r;
}

function runeWidth(s: string, pos: number): number {
  const cp = s.codePointAt(pos);
  if (cp === undefined) return 1;
  return cp > 0xffff ? 2 : 1;
}

/** regexp.FindAllString(s, n) / FindAllStringSubmatch: Go's loop (no empty match right after a match). */
export function findAll(r: GoRegexp, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  if (n === 0) return out;
  let prevMatchEnd = -1;
  let pos = 0;
  while ((n < 0 || out.length < n) && pos <= s.length) {
    r.re.lastIndex = pos;
    const m = r.re.exec(s);
    if (!m) break;
    const end = m.index + m[0].length;
    let accept = true;
    if (end === pos) {
      // an empty match at pos: dropped right after a previous match; always advance one rune
      if (m.index === prevMatchEnd) accept = false;
      pos += pos < s.length ? runeWidth(s, pos) : 1;
    } else pos = end;
    prevMatchEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

export function findString(r: GoRegexp, s: string): string {
  r.re.lastIndex = 0;
  const m = r.re.exec(s);
  return m ? m[0] : '';
}

export function matchString(r: GoRegexp, s: string): boolean {
  r.re.lastIndex = 0;
  return r.re.test(s);
}

/** Regexp.Expand of a $-template for one match. */
function expand(r: GoRegexp, template: string, m: RegExpExecArray): string {
  let out = '';
  let t = template;
  for (;;) {
    const k = t.indexOf('$');
    if (k < 0) break;
    out += t.slice(0, k);
    t = t.slice(k + 1);
    if (t.startsWith('$')) {
      out += '$';
      t = t.slice(1);
      continue;
    }
    const em = /^(\{)?([\p{L}\p{Nd}_]+)(\})?/u.exec(t);
    if (!em || (em[1] && !em[3])) {
      out += '$';
      continue;
    }
    const name = em[2]!;
    t = t.slice(em[1] ? name.length + 2 : name.length);
    let num = -1;
    if (/^[0-9]+$/.test(name) && !(name[0] === '0' && name.length > 1) && name.length < 9) num = Number(name);
    if (num >= 0) {
      if (num < m.length && m[num] !== undefined) out += m[num];
    } else {
      // the first group of that name that took part in the match
      const idx = r.names.findIndex((n, k) => k > 0 && n === name && m[k] !== undefined);
      if (idx > 0) out += m[idx];
    }
  }
  return out + t;
}

/** Regexp.ReplaceAllString / ReplaceAllLiteralString. */
export function replaceAll(r: GoRegexp, src: string, repl: string, literal: boolean): string {
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    r.re.lastIndex = searchPos;
    const m = r.re.exec(src);
    if (!m) break;
    const a0 = m.index;
    const a1 = a0 + m[0].length;
    out += src.slice(lastMatchEnd, a0);
    if (a1 > lastMatchEnd || a0 === 0) out += literal ? repl : expand(r, repl, m);
    lastMatchEnd = a1;
    const width = searchPos < src.length ? runeWidth(src, searchPos) : 0;
    if (searchPos + width > a1) searchPos += width;
    else if (searchPos + 1 > a1) searchPos++;
    else searchPos = a1;
  }
  return out + src.slice(lastMatchEnd);
}

/** Regexp.Split(s, n) */
export function split(r: GoRegexp, s: string, n: number): string[] | null {
  if (n === 0) return null;
  if (r.source.length > 0 && s.length === 0) return [''];
  const matches = findAll(r, s, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    if (n > 0 && out.length === n - 1) break;
    end = m.index;
    const mEnd = m.index + m[0].length;
    if (mEnd !== 0) out.push(s.slice(beg, end));
    beg = mEnd;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** regexp.QuoteMeta */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

