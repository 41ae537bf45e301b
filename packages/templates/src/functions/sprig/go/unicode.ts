// Go's unicode and strings package behaviour for the handful of rules Sprig depends on: simple (one rune to one
// rune) case mapping, unicode.IsSpace, and byte-indexed slicing of UTF-8 strings.

const SPACE = /^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]$/u;

/** unicode.IsSpace */
export function isSpace(cp: number): boolean {
  return SPACE.test(String.fromCodePoint(cp));
}

export function isUpper(cp: number): boolean {
  return /^\p{Lu}$/u.test(String.fromCodePoint(cp));
}

export function isLower(cp: number): boolean {
  return /^\p{Ll}$/u.test(String.fromCodePoint(cp));
}

export function isTitle(cp: number): boolean {
  return /^\p{Lt}$/u.test(String.fromCodePoint(cp));
}

export function isLetter(cp: number): boolean {
  return /^\p{L}$/u.test(String.fromCodePoint(cp));
}

export function isDigit(cp: number): boolean {
  return /^\p{Nd}$/u.test(String.fromCodePoint(cp));
}

export function isNumber(cp: number): boolean {
  return /^\p{N}$/u.test(String.fromCodePoint(cp));
}

export function isPunct(cp: number): boolean {
  return /^\p{P}$/u.test(String.fromCodePoint(cp));
}

function single(mapped: string, original: number): number {
  const cps = [...mapped];
  if (cps.length !== 1) return original;
  return cps[0]!.codePointAt(0) ?? original;
}

/** unicode.ToUpper: simple mapping only (ß stays ß). */
export function toUpperRune(cp: number): number {
  if (cp < 0x80) return cp >= 0x61 && cp <= 0x7a ? cp - 32 : cp;
  return single(String.fromCodePoint(cp).toUpperCase(), cp);
}

/** unicode.ToLower: simple mapping only (İ becomes i). */
export function toLowerRune(cp: number): number {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp;
  if (cp === 0x130) return 0x69;
  return single(String.fromCodePoint(cp).toLowerCase(), cp);
}

const TITLE_DIGRAPHS: Record<number, number> = {
  0x1c4: 0x1c5,
  0x1c5: 0x1c5,
  0x1c6: 0x1c5,
  0x1c7: 0x1c8,
  0x1c8: 0x1c8,
  0x1c9: 0x1c8,
  0x1ca: 0x1cb,
  0x1cb: 0x1cb,
  0x1cc: 0x1cb,
  0x1f1: 0x1f2,
  0x1f2: 0x1f2,
  0x1f3: 0x1f2,
};

/** unicode.ToTitle */
export function toTitleRune(cp: number): number {
  return TITLE_DIGRAPHS[cp] ?? toUpperRune(cp);
}

export function mapRunes(s: string, f: (cp: number) => number): string {
  let out = '';
  for (const ch of s) out += String.fromCodePoint(f(ch.codePointAt(0)!));
  return out;
}

export function codePoints(s: string): number[] {
  return [...s].map((c) => c.codePointAt(0)!);
}

/** Length of a string in UTF-8 bytes (Go's len). */
export function byteLen(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Go's s[start:end] on the UTF-8 bytes; a cut inside a rune decodes as U+FFFD (JS strings cannot hold bad UTF-8). */
export function byteSlice(s: string, start: number, end?: number): string {
  return Buffer.from(s, 'utf8').subarray(start, end).toString('utf8');
}

/** Go's `string(rune(b))` applied to every byte: how byte-wise goutils helpers re-encode non-ASCII input. */
export function latin1Rune(b: number): string {
  return String.fromCodePoint(b);
}

export function utf8Bytes(s: string): Uint8Array {
  return Buffer.from(s, 'utf8');
}
