// Ports of the string helpers Sprig 3.2.3 delegates to: Go's strings package (Title, Trim, Split, Replace),
// Masterminds/goutils 1.1 (Abbreviate, Initials, Wrap, SwapCase, Uncapitalize, DeleteWhiteSpace — several of
// them work byte by byte, which re-encodes non-ASCII input; kept as Go does it) and huandu/xstrings 1.3.3
// (ToSnakeCase, ToKebabCase, ToCamelCase).
import {
  byteLen,
  byteSlice,
  codePoints,
  isLetter,
  isDigit,
  isLower,
  isNumber,
  isPunct,
  isSpace,
  isTitle,
  isUpper,
  mapRunes,
  toLowerRune,
  toTitleRune,
  toUpperRune,
  utf8Bytes,
} from './unicode.js';

export const goToUpper = (s: string): string => mapRunes(s, toUpperRune);
export const goToLower = (s: string): string => mapRunes(s, toLowerRune);

/** strings.Title (deprecated in Go, still what Sprig's `title` is). */
export function goTitle(s: string): string {
  const isSeparator = (r: number): boolean => {
    if (r <= 0x7f) return !/[0-9A-Za-z_]/.test(String.fromCodePoint(r));
    if (isLetter(r) || isDigit(r)) return false;
    return isSpace(r);
  };
  let prev = 0x20;
  let out = '';
  for (const r of codePoints(s)) {
    out += String.fromCodePoint(isSeparator(prev) ? toTitleRune(r) : r);
    prev = r;
  }
  return out;
}

/** strings.TrimSpace */
export function trimSpace(s: string): string {
  const cps = codePoints(s);
  let a = 0;
  let b = cps.length;
  while (a < b && isSpace(cps[a]!)) a++;
  while (b > a && isSpace(cps[b - 1]!)) b--;
  return String.fromCodePoint(...cps.slice(a, b));
}

/** strings.Trim(s, cutset) */
export function trimCutset(s: string, cutset: string): string {
  if (s === '' || cutset === '') return s;
  const set = new Set(codePoints(cutset));
  const cps = codePoints(s);
  let a = 0;
  let b = cps.length;
  while (a < b && set.has(cps[a]!)) a++;
  while (b > a && set.has(cps[b - 1]!)) b--;
  return String.fromCodePoint(...cps.slice(a, b));
}

/** strings.SplitN(s, sep, n); n < 0 means all. */
export function goSplitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const runes = [...s];
    if (n < 0 || n >= runes.length) return runes;
    return [...runes.slice(0, n - 1), runes.slice(n - 1).join('')];
  }
  const parts = s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

/** strings.Replace(s, old, new, -1) */
export function goReplaceAll(s: string, old: string, repl: string): string {
  if (old === '') {
    const runes = [...s];
    return repl + runes.map((r) => r + repl).join('');
  }
  return s.split(old).join(repl);
}

/** strings.Repeat, guarding against Go's panics (and absurd sizes). */
export function goRepeat(s: string, count: number): string {
  if (count < 0) throw new RangeError('strings: negative Repeat count');
  if (s.length * count > 64 * 1024 * 1024) throw new RangeError('strings: Repeat output length overflow');
  return s.repeat(count);
}

/** goutils.AbbreviateFull; null for goutils' argument errors. */
export function abbreviateFull(str: string, offset: number, maxWidth: number): string | null {
  if (str === '') return '';
  if (maxWidth < 4) return null;
  const len = byteLen(str);
  if (len <= maxWidth) return str;
  let off = Math.min(offset, len);
  if (len - off < maxWidth - 3) off = len - (maxWidth - 3);
  if (off <= 4) return `${byteSlice(str, 0, maxWidth - 3)}...`;
  if (maxWidth < 7) return null;
  if (off + maxWidth - 3 < len) return `...${abbreviateFull(byteSlice(str, off), 0, maxWidth - 3) ?? ''}`;
  return `...${byteSlice(str, len - (maxWidth - 3))}`;
}

/** goutils.Initials: byte-wise, so a multi-byte first letter comes out as its first byte read as Latin-1. */
export function initials(str: string): string {
  if (str === '') return str;
  let out = '';
  let lastWasGap = true;
  for (const b of utf8Bytes(str)) {
    if (isSpace(b)) lastWasGap = true;
    else if (lastWasGap) {
      out += String.fromCodePoint(b);
      lastWasGap = false;
    }
  }
  return out;
}

/** goutils.DeleteWhiteSpace: byte-wise (bytes 0x85/0xA0 inside a multi-byte rune count as spaces). */
export function deleteWhiteSpace(str: string): string {
  if (str === '') return str;
  const bytes = utf8Bytes(str);
  let out = '';
  let count = 0;
  for (const b of bytes) {
    if (!isSpace(b)) {
      out += String.fromCodePoint(b);
      count++;
    }
  }
  return count === bytes.length ? str : out;
}

/** goutils.Uncapitalize */
export function uncapitalize(str: string): string {
  let next = true;
  let out = '';
  for (const r of codePoints(str)) {
    if (isSpace(r)) {
      next = true;
      out += String.fromCodePoint(r);
    } else if (next) {
      out += String.fromCodePoint(toLowerRune(r));
      next = false;
    } else out += String.fromCodePoint(r);
  }
  return out;
}

/** goutils.SwapCase: a lower-case letter at the start of a word becomes title case. */
export function swapCase(str: string): string {
  let whitespace = true;
  let out = '';
  for (const ch of codePoints(str)) {
    let r = ch;
    if (isUpper(ch) || isTitle(ch)) {
      r = toLowerRune(ch);
      whitespace = false;
    } else if (isLower(ch)) {
      r = whitespace ? toTitleRune(ch) : toUpperRune(ch);
      whitespace = false;
    } else whitespace = isSpace(ch);
    out += String.fromCodePoint(r);
  }
  return out;
}

/** goutils.WrapCustom (byte offsets, ' ' as the only break). */
export function wrapCustom(str: string, wrapLength: number, newLineStr: string, wrapLongWords: boolean): string {
  if (str === '') return '';
  const nl = newLineStr === '' ? '\n' : newLineStr;
  const wl = wrapLength < 1 ? 1 : wrapLength;
  const b = Buffer.from(str, 'utf8');
  const len = b.length;
  let offset = 0;
  const out: Buffer[] = [];
  const nlb = Buffer.from(nl, 'utf8');
  while (len - offset > wl) {
    if (b[offset] === 0x20) {
      offset++;
      continue;
    }
    const end = Math.min(wl + offset + 1, len);
    const window = b.subarray(offset, end);
    const sp = window.lastIndexOf(0x20);
    if (sp >= 0) {
      out.push(b.subarray(offset, offset + sp), nlb);
      offset = offset + sp + 1;
    } else if (wrapLongWords) {
      out.push(b.subarray(offset, offset + wl), nlb);
      offset += wl;
    } else {
      const e = wl + offset;
      const idx = b.subarray(e).indexOf(0x20);
      if (idx < 0) {
        out.push(b.subarray(offset));
        offset = len;
      } else {
        out.push(b.subarray(offset, e + idx), nlb);
        offset = e + idx + 1;
      }
    }
  }
  out.push(b.subarray(offset));
  return Buffer.concat(out).toString('utf8');
}

// ---- xstrings 1.3.3 ----

const isConnector = (r: number): boolean => r === 0x2d || r === 0x5f || isSpace(r);
/** xstrings' isAlphabet: a letter that is not CJK. */
const isAlphabet = (r: number): boolean =>
  isLetter(r) && (r < 0x3400 || !((r >= 0x4e00 && r <= 0x9fcc) || (r >= 0x3400 && r <= 0x4d85) || (r >= 0x20000 && r <= 0x2b81d)));

/** xstrings.ToCamelCase (1.3.3): words joined, each capitalized, the rest lower-cased. */
export function toCamelCase(str: string): string {
  if (str === '') return '';
  const cps = codePoints(str);
  let out = '';
  let i = 0;
  let r0 = 0;
  for (; i < cps.length;) {
    r0 = cps[i++]!;
    if (!isConnector(r0)) {
      r0 = toUpperRune(r0);
      break;
    }
    out += String.fromCodePoint(r0);
  }
  // Only one rune left (or only connectors, where Go writes the last connector twice).
  if (i >= cps.length) return out + String.fromCodePoint(r0);
  let r1: number;
  while (i < cps.length) {
    r1 = r0;
    r0 = cps[i++]!;
    if (isConnector(r0) && isConnector(r1)) {
      out += String.fromCodePoint(r1);
      continue;
    }
    if (isConnector(r1)) r0 = toUpperRune(r0);
    else {
      r0 = toLowerRune(r0);
      out += String.fromCodePoint(r1);
    }
  }
  return out + String.fromCodePoint(r0);
}

type WordType = 'invalid' | 'number' | 'upper' | 'alphabet' | 'connector' | 'punct' | 'other';

function nextWord(cps: number[], start: number): { wt: WordType; end: number } {
  let i = start;
  const r = cps[i++]!;
  let wt: WordType;
  if (isConnector(r)) {
    wt = 'connector';
    while (i < cps.length && isConnector(cps[i]!)) i++;
  } else if (isPunct(r)) {
    wt = 'punct';
    while (i < cps.length && isPunct(cps[i]!)) i++;
  } else if (isUpper(r)) {
    wt = 'upper';
    if (i < cps.length) {
      const r1 = cps[i]!;
      if (isUpper(r1)) {
        i++;
        while (i < cps.length && isUpper(cps[i]!)) i++;
        // "HTTPStatus": the last upper-case letter starts the next word
        if (i < cps.length && isAlphabet(cps[i]!)) i--;
      } else if (isAlphabet(r1)) {
        i++;
        while (i < cps.length && isAlphabet(cps[i]!) && !isUpper(cps[i]!)) i++;
      }
    }
  } else if (isAlphabet(r)) {
    wt = 'alphabet';
    while (i < cps.length && isAlphabet(cps[i]!) && !isUpper(cps[i]!)) i++;
  } else if (isNumber(r)) {
    wt = 'number';
    while (i < cps.length && isNumber(cps[i]!)) i++;
  } else {
    wt = 'other';
    while (i < cps.length) {
      const c = cps[i]!;
      if (isConnector(c) || isAlphabet(c) || isNumber(c) || isPunct(c)) break;
      i++;
    }
  }
  return { wt, end: i };
}

function camelCaseToLowerCase(str: string, connector: string): string {
  if (str === '') return '';
  const cps = codePoints(str);
  let out = '';
  const toLower = (wt: WordType, a: number, b: number): void => {
    if (wt !== 'upper' && wt !== 'connector') {
      out += String.fromCodePoint(...cps.slice(a, b));
      return;
    }
    for (let k = a; k < b; k++) {
      const r = cps[k]!;
      if (isConnector(r)) out += connector;
      else if (isUpper(r)) out += String.fromCodePoint(toLowerRune(r));
      else out += String.fromCodePoint(r);
    }
  };
  const pos = 0;
  let w = nextWord(cps, pos);
  let wt = w.wt;
  let ws = pos;
  let we = w.end;
  const advance = (): WordType => {
    ws = we;
    if (ws >= cps.length) {
      we = ws;
      return 'invalid';
    }
    w = nextWord(cps, ws);
    we = w.end;
    return w.wt;
  };
  while (we < cps.length) {
    if (wt !== 'connector') toLower(wt, ws, we);
    const prev = wt;
    const lastS = ws;
    const lastE = we;
    wt = advance();
    switch (prev) {
      case 'number':
        while (wt === 'alphabet' || wt === 'number') {
          toLower(wt, ws, we);
          wt = advance();
        }
        if (wt !== 'invalid' && wt !== 'punct' && wt !== 'connector') out += connector;
        break;
      case 'connector':
        toLower(prev, lastS, lastE);
        break;
      case 'punct':
        break;
      case 'alphabet':
      case 'invalid':
      case 'other':
      case 'upper': {
        if (wt !== 'number') {
          if (wt !== 'connector' && wt !== 'punct') out += connector;
          break;
        }
        if (we >= cps.length) break;
        const numS = ws;
        const numE = we;
        wt = advance();
        if (wt !== 'alphabet') {
          toLower('number', numS, numE);
          if (wt !== 'connector' && wt !== 'punct') out += connector;
          break;
        }
        out += connector;
        toLower('number', numS, numE);
        while (wt === 'alphabet' || wt === 'number') {
          toLower(wt, ws, we);
          wt = advance();
        }
        if (wt !== 'invalid' && wt !== 'connector' && wt !== 'punct') out += connector;
      }
    }
  }
  if (wt !== 'invalid') toLower(wt, ws, we);
  return out;
}

export const toSnakeCase = (s: string): string => camelCaseToLowerCase(s, '_');
export const toKebabCase = (s: string): string => camelCaseToLowerCase(s, '-');
