// Go's regexp on re2js, the JavaScript port of RE2 (RE2/J): Go's regexp/syntax parser, its error messages and RE2's
// linear-time matching, so `^(a+)+$`, `(a|a)*$` or `(a*)*b` cannot backtrack and no single call can stall the
// render (the engine's time limit only checks between function calls). What this file adds is what Go's `regexp`
// package does on top of the matcher and re2js does differently: the FindAll/ReplaceAll/Split loops with Go's rules
// for empty matches, Go's `$` expansion (`$1x` names group "1x"), and Go 1.19's syntax where RE2/J is newer: a
// repeated group name is accepted (the first group of that name that took part in a match is the one expanded)
// and `(?<name>` is not (it arrived in Go 1.22).
import { RE2JS, RE2JSException } from 're2js';

export class GoRegexpError extends Error {}

/** A compiled Go regexp. */
export interface GoRegexp {
  source: string;
  /** Capture group names by index (index 0 = whole match, unnamed groups ''). */
  names: string[];
  re: RE2JS;
}

/** One match: index 0 the whole match, then the groups (undefined when a group took no part); `index` its start. */
export type GoMatch = (string | undefined)[] & { 0: string; index: number };

/** The capture groups of a pattern as Go 1.19 parses them (escapes, \Q..\E and classes skipped). */
interface GroupScan {
  /** Names by group index, index 0 the whole match. */
  names: string[];
  /** [start, end) of each valid `(?P<name>` opening, to be rewritten to `(`. */
  namedOpens: [number, number][];
  /** Where the first `(?<` opens a group (Go 1.19: unsupported Perl syntax), or -1. */
  angleOpen: number;
}

function skipClass(expr: string, start: number): number {
  let j = start + 1;
  if (expr[j] === '^') j++;
  if (expr[j] === ']') j++;
  while (j < expr.length) {
    const c = expr[j];
    if (c === '\\') j += 2;
    else if (c === '[' && expr[j + 1] === ':') {
      const end = expr.indexOf(':]', j + 2);
      j = end < 0 ? j + 1 : end + 2;
    } else if (c === ']') return j + 1;
    else j++;
  }
  return expr.length;
}

function scanGroups(expr: string): GroupScan {
  const scan: GroupScan = { names: [''], namedOpens: [], angleOpen: -1 };
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (c === '\\') {
      if (expr[i + 1] === 'Q') {
        const end = expr.indexOf('\\E', i + 2);
        i = end < 0 ? expr.length : end + 2;
      } else i += 2;
      continue;
    }
    if (c === '[') {
      i = skipClass(expr, i);
      continue;
    }
    if (c === '(') {
      if (expr[i + 1] !== '?') scan.names.push('');
      else {
        const named = /^\(\?P<([A-Za-z0-9_]+)>/.exec(expr.slice(i, i + 300));
        if (named) {
          scan.names.push(named[1]!);
          scan.namedOpens.push([i, i + named[0].length]);
        } else if (expr[i + 2] === '<' && scan.angleOpen < 0) scan.angleOpen = i;
      }
    }
    i++;
  }
  return scan;
}

function syntaxError(e: unknown): never {
  // re2js reports Go's own message: "error parsing regexp: <code>: `<expr>`"
  if (e instanceof RE2JSException) throw new GoRegexpError(e.message);
  throw e;
}

function compileRe2(expr: string): RE2JS {
  try {
    return RE2JS.compile(expr);
  } catch (e) {
    return syntaxError(e);
  }
}

/** Parses a Go regexp (RE2 syntax, as Go 1.19's regexp.Compile). */
export function compileGoRegexp(expr: string): GoRegexp {
  const scan = scanGroups(expr);
  if (scan.angleOpen >= 0) {
    // Go parses left to right: an error before the `(?<` is reported first (a missing `)` is only found at the end)
    try {
      RE2JS.compile(expr.slice(0, scan.angleOpen));
    } catch (e) {
      if (!(e instanceof RE2JSException) || !e.message.includes('missing closing )')) syntaxError(e);
    }
    throw new GoRegexpError('error parsing regexp: invalid or unsupported Perl syntax: `(?<`');
  }
  const names = scan.names;
  if (new Set(names.filter((n) => n !== '')).size === scan.namedOpens.length) {
    const re = compileRe2(expr);
    // re2js's own group numbering is the authority; the scan only supplies names where it cannot
    const byIndex = Array.from({ length: re.groupCount() + 1 }, () => '');
    for (const [name, index] of Object.entries(re.namedGroups())) byIndex[index] = name;
    return { source: expr, names: byIndex, re };
  }
  // a repeated name (RE2/J refuses it, Go 1.19 does not): the groups are compiled unnamed, their names kept here
  let unnamed = '';
  let at = 0;
  for (const [start, end] of scan.namedOpens) {
    unnamed += `${expr.slice(at, start)}(`;
    at = end;
  }
  unnamed += expr.slice(at);
  return { source: expr, names, re: compileRe2(unnamed) };
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

/** The leftmost-first match at or after pos (as in Go, `^` and `\b` still see the whole input), with every group
 * (groups = false: only the whole match). */
export function execAt(r: GoRegexp, s: string, pos: number, groups = true): GoMatch | null {
  const m = r.re.matcher(s);
  if (!m.find(pos)) return null;
  const out: (string | undefined)[] = [];
  const last = groups ? m.groupCount() : 0;
  for (let g = 0; g <= last; g++) out.push(m.group(g) ?? undefined);
  return Object.assign(out, { index: m.start() }) as GoMatch;
}

function runeWidth(s: string, pos: number): number {
  const cp = s.codePointAt(pos);
  if (cp === undefined) return 1;
  return cp > 0xffff ? 2 : 1;
}

/** regexp.FindAllString(s, n) / FindAllStringSubmatch: Go's loop (no empty match right after a match). */
export function findAll(r: GoRegexp, s: string, n: number, groups = false): GoMatch[] {
  const out: GoMatch[] = [];
  if (n === 0) return out;
  let prevMatchEnd = -1;
  let pos = 0;
  while ((n < 0 || out.length < n) && pos <= s.length) {
    const m = execAt(r, s, pos, groups);
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
  return execAt(r, s, 0, false)?.[0] ?? '';
}

export function matchString(r: GoRegexp, s: string): boolean {
  return r.re.matcher(s).find(0);
}

/** Regexp.Expand of a $-template for one match. */
function expand(r: GoRegexp, template: string, m: GoMatch): string {
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
    const m = execAt(r, src, searchPos, !literal);
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
