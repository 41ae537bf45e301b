// Go's regexp (RE2 syntax, Go 1.19) without JavaScript's backtracking matcher. The pattern is parsed with RE2's
// rules (Perl classes, POSIX classes, \A \z \Q..\E, (?P<name>), inline flags, `.` not matching only \n, literal
// braces; constructs RE2 does not support are rejected), compiled the way Go's regexp/syntax compiles it, and run
// on a Pike VM (what Go's own regexp runs): every thread advances in lock step over the input, so a match costs
// O(len(input) x len(program)) whatever the pattern. `^(a+)+$`, `(a|a)*$` or `(a*)*b` cannot backtrack, because
// nothing backtracks; and no single call can stall the render, since the time limit of the engine only checks
// between function calls. JavaScript's RegExp is used only to decide whether one code point belongs to one
// character class (a single class against a single code point, which cannot backtrack), so class semantics (Unicode
// properties, case folding under (?i)) are JavaScript's `u`/`iu` ones. The Find/Replace/Split loops follow Go's
// rules for empty matches.

export class GoRegexpError extends Error {}

/** A compiled Go regexp. */
export interface GoRegexp {
  source: string;
  /** Capture group names by index (index 0 = whole match, unnamed groups ''). */
  names: string[];
  prog: Prog;
}

/** One match: index 0 the whole match, then the groups (undefined when a group took no part); `index` its start. */
export type GoMatch = (string | undefined)[] & { 0: string; index: number };

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

// ---- character sets ----

/** Whether a code point is in one character class. */
interface CharSet {
  has(c: number): boolean;
}

/** A JavaScript class (or escape, or literal) tested against one code point at a time: no backtracking possible. */
class ClassSet implements CharSet {
  private readonly re: RegExp;
  private readonly ascii = new Int8Array(128);
  private readonly other = new Map<number, boolean>();

  constructor(src: string, fold: boolean) {
    this.re = new RegExp(`^(?:${src})$`, fold ? 'iu' : 'u');
  }

  has(c: number): boolean {
    if (c < 128) {
      let v = this.ascii[c]!;
      if (v === 0) {
        v = this.re.test(String.fromCharCode(c)) ? 1 : 2;
        this.ascii[c] = v;
      }
      return v === 1;
    }
    let v = this.other.get(c);
    if (v === undefined) {
      v = this.re.test(String.fromCodePoint(c));
      if (this.other.size < 4096) this.other.set(c, v);
    }
    return v;
  }
}

class RuneSet implements CharSet {
  constructor(private readonly cp: number) {}
  has(c: number): boolean {
    return c === this.cp;
  }
}

const charSets = new Map<string, CharSet>();

function charSet(src: string, fold: boolean, expr: string, cp?: number): CharSet {
  if (cp !== undefined && !fold) return new RuneSet(cp);
  const key = `${fold ? 'i' : '-'}${src}`;
  let set = charSets.get(key);
  if (set === undefined) {
    try {
      set = new ClassSet(src, fold);
    } catch (e) {
      throw new GoRegexpError(`error parsing regexp: ${(e as Error).message}: \`${expr}\``);
    }
    if (charSets.size > 4000) charSets.clear();
    charSets.set(key, set);
  }
  return set;
}

// ---- syntax tree ----

const BOT = 0; // \A, ^ without (?m)
const EOT = 1; // \z, $ without (?m)
const BOL = 2; // (?m)^
const EOL = 3; // (?m)$
const WORD_BOUNDARY = 4; // \b (ASCII word characters, as in Go)
const NO_WORD_BOUNDARY = 5; // \B

type Node =
  | { op: 'char'; set: CharSet }
  | { op: 'assert'; kind: number }
  | { op: 'cat' | 'alt'; subs: Node[] }
  | { op: 'star' | 'plus' | 'quest'; sub: Node; greedy: boolean }
  /** max -1: unbounded */
  | { op: 'repeat'; sub: Node; min: number; max: number; greedy: boolean }
  | { op: 'cap'; index: number; sub: Node };

const EMPTY: Node = { op: 'cat', subs: [] };

/** Go's repeatIsValid: nested counted repetitions may not multiply past n. */
function repeatIsValid(node: Node, n: number): boolean {
  let lim = n;
  if (node.op === 'repeat') {
    let m = node.max;
    if (m === 0) return true;
    if (m < 0) m = node.min;
    if (m > lim) return false;
    if (m > 0) lim = Math.floor(lim / m);
  }
  if (node.op === 'cat' || node.op === 'alt') return node.subs.every((s) => repeatIsValid(s, lim));
  if ('sub' in node) return repeatIsValid(node.sub, lim);
  return true;
}

/** Parses a Go regexp (RE2 syntax) and compiles it for the Pike VM. */
export function compileGoRegexp(expr: string): GoRegexp {
  const names: string[] = [''];
  const cps = [...expr].map((c) => c.codePointAt(0)!);
  let i = 0;
  const peek = (o = 0): string => (i + o < cps.length ? String.fromCodePoint(cps[i + o]!) : '');

  interface Flags {
    i: boolean;
    m: boolean;
    s: boolean;
    U: boolean;
  }

  // Parses an escape after the backslash (i points after '\'): JavaScript source for one code point (cp when it is
  // a single literal one), a class body when inClass, or an assertion outside a class.
  const escape = (inClass: boolean): { src: string; classBody?: string; cp?: number; assert?: number } => {
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
      case 'A':
      case 'z':
        if (inClass) fail('invalid escape sequence', `\\${c}`);
        return { src: '', assert: c === 'b' ? WORD_BOUNDARY : c === 'B' ? NO_WORD_BOUNDARY : c === 'A' ? BOT : EOT };
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

  const parseClass = (): string => {
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
        const rest = String.fromCodePoint(...cps.slice(i, i + 16));
        const m = /^\[:(\^?)([a-z]+):\]/.exec(rest);
        if (m && POSIX[m[2]!] !== undefined) {
          i += m[0].length;
          // a negated POSIX class inside a class: expanded into the complement range list
          body += m[1] ? complementRanges(POSIX[m[2]!]!) : POSIX[m[2]!];
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
    if (body === '' && !negate) return '[^\\s\\S]';
    return `[${negate ? '^' : ''}${body}]`;
  };

  const parseRepeat = (): { min: number; max: number | undefined; text: string; len: number } | undefined => {
    const rest = String.fromCodePoint(...cps.slice(i, i + 24));
    const m = /^\{(\d+)(,(\d*))?\}/.exec(rest);
    if (!m) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? undefined : Number(m[3]);
    if (min > 1000 || (max !== undefined && (max > 1000 || max < min))) fail('invalid repeat count', m[0]);
    return { min, max, text: m[0], len: [...m[0]].length };
  };

  const char = (src: string, fold: boolean, cp?: number): Node => ({ op: 'char', set: charSet(src, fold, expr, cp) });
  const cat = (seq: Node[]): Node => (seq.length === 1 ? seq[0]! : { op: 'cat', subs: seq });

  // One alternation up to the closing ')' of its group (or the end); flags set by (?flags) last to that ')'.
  const parseAlt = (outer: Flags, depth: number): Node => {
    if (depth > 1000) fail('expression nests too deeply', expr);
    const flags = { ...outer };
    const alts: Node[] = [];
    let seq: Node[] = [];
    let lastWasRepeat = false;
    while (i < cps.length) {
      const c = peek();
      if (c === ')') {
        if (depth === 0) fail('unexpected )', expr);
        break;
      }
      if (c === '|') {
        i++;
        alts.push(cat(seq));
        seq = [];
        lastWasRepeat = false;
        continue;
      }
      // quantifiers
      let quant: { text: string; min: number; max: number } | undefined;
      if (c === '*' || c === '+' || c === '?') {
        quant = { text: c, min: c === '+' ? 1 : 0, max: c === '?' ? 1 : -1 };
        i++;
      } else if (c === '{') {
        const r = parseRepeat();
        if (r) {
          quant = { text: r.text, min: r.min, max: r.max ?? -1 };
          i += r.len;
        }
      }
      if (quant !== undefined) {
        if (lastWasRepeat) fail('invalid nested repetition operator', quant.text);
        if (seq.length === 0) fail('missing argument to repetition operator', quant.text);
        let greedy = true;
        if (peek() === '?') {
          greedy = false;
          i++;
        }
        if (flags.U) greedy = !greedy;
        const sub = seq.pop()!;
        let node: Node;
        if (quant.text === '*') node = { op: 'star', sub, greedy };
        else if (quant.text === '+') node = { op: 'plus', sub, greedy };
        else if (quant.text === '?') node = { op: 'quest', sub, greedy };
        else {
          node = { op: 'repeat', sub, min: quant.min, max: quant.max, greedy };
          if ((quant.min >= 2 || quant.max >= 2) && !repeatIsValid(node, 1000)) fail('invalid repeat count', quant.text);
        }
        seq.push(node);
        lastWasRepeat = true;
        continue;
      }
      lastWasRepeat = false;
      i++;
      switch (c) {
        case '.':
          seq.push(char(flags.s ? '[\\s\\S]' : '[^\\n]', false));
          break;
        case '^':
          seq.push({ op: 'assert', kind: flags.m ? BOL : BOT });
          break;
        case '$':
          seq.push({ op: 'assert', kind: flags.m ? EOL : EOT });
          break;
        case '[':
          seq.push(char(parseClass(), flags.i));
          break;
        case '\\': {
          if (peek() === 'Q') {
            i++;
            const rest = cps.slice(i);
            let end = -1;
            for (let k = 0; k + 1 < rest.length; k++)
              if (rest[k] === 0x5c && rest[k + 1] === 0x45) {
                end = k;
                break;
              }
            const quoted = end < 0 ? rest : rest.slice(0, end);
            i += end < 0 ? rest.length : end + 2;
            // each quoted character is its own atom: a following quantifier applies to the last one
            for (const q of quoted) seq.push(char(lit(q, false), flags.i, q));
            break;
          }
          const e = escape(false);
          if (e.assert !== undefined) seq.push({ op: 'assert', kind: e.assert });
          else seq.push(char(e.src, flags.i, e.cp));
          break;
        }
        case '(': {
          const rest = String.fromCodePoint(...cps.slice(i, i + 64));
          if (rest.startsWith('?')) {
            const named = /^\?P<([A-Za-z0-9_]*)>/.exec(rest);
            if (named) {
              if (named[1] === '') fail('invalid named capture', `(${named[0]}`);
              // Go 1.19 accepts a repeated name (expansion uses the first group of that name that matched)
              i += named[0].length;
              names.push(named[1]!);
              const index = names.length - 1;
              const inner = parseAlt(flags, depth + 1);
              if (peek() !== ')') fail('missing closing )', expr);
              i++;
              seq.push({ op: 'cap', index, sub: inner });
              break;
            }
            const fm = /^\?([imsU]*(?:-[imsU]*)?)(:|\))/.exec(rest);
            if (!fm) fail('invalid or unsupported Perl syntax', `(${rest.slice(0, 2)}`);
            if ((fm[1] === '' && fm[2] === ')') || fm[1]!.endsWith('-')) fail('missing argument to repetition operator', `(${fm[0]}`);
            const nf = { ...flags };
            let on = true;
            for (const f of fm[1]!) {
              if (f === '-') on = false;
              else nf[f as keyof Flags] = on;
            }
            i += fm[0].length;
            if (fm[2] === ')') {
              // (?flags): for the rest of the current group, across its alternatives
              Object.assign(flags, nf);
              break;
            }
            const inner = parseAlt(nf, depth + 1);
            if (peek() !== ')') fail('missing closing )', expr);
            i++;
            seq.push(inner);
            break;
          }
          names.push('');
          const index = names.length - 1;
          const inner = parseAlt(flags, depth + 1);
          if (peek() !== ')') fail('missing closing )', expr);
          i++;
          seq.push({ op: 'cap', index, sub: inner });
          break;
        }
        default:
          seq.push(char(lit(cps[i - 1]!, false), flags.i, cps[i - 1]));
      }
    }
    alts.push(cat(seq));
    return alts.length === 1 ? alts[0]! : { op: 'alt', subs: alts };
  };

  const root = parseAlt({ i: false, m: false, s: false, U: false }, 0);
  return { source: expr, names, prog: compileProgram(root, names.length * 2, expr) };
}

// ---- program (Go's regexp/syntax compiler) ----

const I_CHAR = 0;
const I_SPLIT = 1; // out first, then arg
const I_NOP = 2;
const I_ASSERT = 3;
const I_SAVE = 4;
const I_MATCH = 5;

interface Inst {
  op: number;
  out: number;
  arg: number;
  set?: CharSet;
}

export interface Prog {
  insts: Inst[];
  /** Two thread queues kept between matches (taken while a match runs). */
  queues?: [Queue, Queue];
  start: number;
  /** Capture slots: 2 per group, group 0 the whole match. */
  ncap: number;
  /** The program starts with \A (Go's EmptyBeginText start condition): only tried at position 0. */
  anchored: boolean;
}

/** Beyond this many instructions a pattern is refused (Go: "expression too large"). */
const MAX_INSTS = 200_000;

interface Frag {
  start: number;
  /** Unfilled exits: instruction index and which slot. */
  outs: [number, 'out' | 'arg'][];
  nullable: boolean;
}

function compileProgram(root: Node, ncap: number, expr: string): Prog {
  const insts: Inst[] = [];
  const inst = (op: number, arg = -1, set?: CharSet): number => {
    if (insts.length >= MAX_INSTS) fail('expression too large', expr);
    insts.push({ op, out: -1, arg, set });
    return insts.length - 1;
  };
  const patch = (outs: Frag['outs'], target: number): void => {
    for (const [k, slot] of outs) insts[k]![slot] = target;
  };
  const nop = (): Frag => {
    const k = inst(I_NOP);
    return { start: k, outs: [[k, 'out']], nullable: true };
  };
  const catFrag = (a: Frag, b: Frag): Frag => {
    patch(a.outs, b.start);
    return { start: a.start, outs: b.outs, nullable: a.nullable && b.nullable };
  };
  const quest = (f: Frag, greedy: boolean): Frag => {
    const k = inst(I_SPLIT);
    if (greedy) {
      insts[k]!.out = f.start;
      return { start: k, outs: [[k, 'arg'], ...f.outs], nullable: true };
    }
    insts[k]!.arg = f.start;
    return { start: k, outs: [[k, 'out'], ...f.outs], nullable: true };
  };
  const loop = (f: Frag, greedy: boolean): Frag => {
    const k = inst(I_SPLIT);
    let outs: Frag['outs'];
    if (greedy) {
      insts[k]!.out = f.start;
      outs = [[k, 'arg']];
    } else {
      insts[k]!.arg = f.start;
      outs = [[k, 'out']];
    }
    patch(f.outs, k);
    return { start: k, outs, nullable: true };
  };
  const plus = (f: Frag, greedy: boolean): Frag => ({ start: f.start, outs: loop(f, greedy).outs, nullable: f.nullable });
  // a nullable x* is compiled as (x+)? for Go's priority order (golang.org/issue/46123)
  const star = (f: Frag, greedy: boolean): Frag => (f.nullable ? quest(plus(f, greedy), greedy) : loop(f, greedy));

  const c = (n: Node): Frag => {
    switch (n.op) {
      case 'char': {
        const k = inst(I_CHAR, -1, n.set);
        return { start: k, outs: [[k, 'out']], nullable: false };
      }
      case 'assert': {
        const k = inst(I_ASSERT, n.kind);
        return { start: k, outs: [[k, 'out']], nullable: true };
      }
      case 'cap': {
        const bra = inst(I_SAVE, n.index * 2);
        const sub = c(n.sub);
        const ket = inst(I_SAVE, n.index * 2 + 1);
        insts[bra]!.out = sub.start;
        patch(sub.outs, ket);
        return { start: bra, outs: [[ket, 'out']], nullable: sub.nullable };
      }
      case 'cat': {
        if (n.subs.length === 0) return nop();
        let f = c(n.subs[0]!);
        for (const s of n.subs.slice(1)) f = catFrag(f, c(s));
        return f;
      }
      case 'alt': {
        // a|b|c as Split(a, Split(b, c)): the same priority order as Go's nested alternation
        const subs = n.subs.map((s) => c(s));
        let f = subs[subs.length - 1]!;
        for (let k = subs.length - 2; k >= 0; k--) {
          const a = subs[k]!;
          const s = inst(I_SPLIT);
          insts[s]!.out = a.start;
          insts[s]!.arg = f.start;
          f = { start: s, outs: [...a.outs, ...f.outs], nullable: a.nullable || f.nullable };
        }
        return f;
      }
      case 'star':
        return star(c(n.sub), n.greedy);
      case 'plus':
        return plus(c(n.sub), n.greedy);
      case 'quest':
        return quest(c(n.sub), n.greedy);
      case 'repeat':
        return c(simplifyRepeat(n));
    }
  };

  const body = c(root);
  const match = inst(I_MATCH);
  patch(body.outs, match);
  let anchored = false;
  for (let pc = body.start; ; ) {
    const ins = insts[pc]!;
    if (ins.op === I_ASSERT && ins.arg === BOT) anchored = true;
    if (ins.op !== I_NOP && ins.op !== I_SAVE && ins.op !== I_ASSERT) break;
    pc = ins.out;
  }
  return { insts, start: body.start, ncap, anchored };
}

/** Go's Simplify of x{n,m}: x{0} is empty, x{n,} is n-1 copies of x then x+, x{n,m} is xx(x(x)?)? (nested). */
function simplifyRepeat(n: Extract<Node, { op: 'repeat' }>): Node {
  const { sub, min, max, greedy } = n;
  if (min === 0 && max === 0) return EMPTY;
  if (max === -1) {
    if (min === 0) return { op: 'star', sub, greedy };
    if (min === 1) return { op: 'plus', sub, greedy };
    return { op: 'cat', subs: [...Array<Node>(min - 1).fill(sub), { op: 'plus', sub, greedy }] };
  }
  if (min === 1 && max === 1) return sub;
  const prefix: Node[] = Array<Node>(min).fill(sub);
  if (max > min) {
    let suffix: Node = { op: 'quest', sub, greedy };
    for (let k = min + 1; k < max; k++) suffix = { op: 'quest', sub: { op: 'cat', subs: [sub, suffix] }, greedy };
    prefix.push(suffix);
  }
  return { op: 'cat', subs: prefix };
}

// ---- Pike VM ----

const isWordUnit = (u: number): boolean =>
  (u >= 0x30 && u <= 0x39) || (u >= 0x41 && u <= 0x5a) || (u >= 0x61 && u <= 0x7a) || u === 0x5f;

function assertAt(kind: number, s: string, p: number): boolean {
  switch (kind) {
    case BOT:
      return p === 0;
    case EOT:
      return p === s.length;
    case BOL:
      return p === 0 || s.charCodeAt(p - 1) === 0x0a;
    case EOL:
      return p === s.length || s.charCodeAt(p) === 0x0a;
    default: {
      const b = isWordUnit(s.charCodeAt(p - 1)) !== isWordUnit(s.charCodeAt(p));
      return kind === WORD_BOUNDARY ? b : !b;
    }
  }
}

/** Threads at one input position, in priority order; each pc at most once (a sparse set). */
class Queue {
  readonly sparse: Int32Array;
  readonly dense: Int32Array;
  readonly caps: (number[] | null)[];
  size = 0;

  constructor(n: number) {
    this.sparse = new Int32Array(n);
    this.dense = new Int32Array(n);
    this.caps = new Array<number[] | null>(n).fill(null);
  }
}

/**
 * Go's machine.match: the leftmost-first match starting at or after `pos` (the text before pos is context for
 * ^, \b), with ncap capture slots (0: only whether it matches). Returns the slots, or null.
 */
function pike(prog: Prog, s: string, pos: number, ncap: number): number[] | null {
  const { insts } = prog;
  const queues = prog.queues ?? [new Queue(insts.length), new Queue(insts.length)];
  prog.queues = undefined;
  try {
    return pikeRun(prog, s, pos, ncap, queues[0], queues[1]);
  } finally {
    queues[0].size = 0;
    queues[1].size = 0;
    prog.queues = queues;
  }
}

function pikeRun(prog: Prog, s: string, pos: number, ncap: number, q0: Queue, q1: Queue): number[] | null {
  const { insts, start, anchored } = prog;
  let run = q0;
  let next = q1;
  const stackPc: number[] = [];
  const stackCap: number[][] = [];

  const add = (q: Queue, pc0: number, p: number, cap0: number[]): void => {
    stackPc.push(pc0);
    stackCap.push(cap0);
    while (stackPc.length > 0) {
      let pc = stackPc.pop()!;
      let cap = stackCap.pop()!;
      for (;;) {
        const j = q.sparse[pc]!;
        if (j < q.size && q.dense[j] === pc) break;
        q.sparse[pc] = q.size;
        q.dense[q.size] = pc;
        q.caps[q.size] = null;
        q.size++;
        const ins = insts[pc]!;
        if (ins.op === I_SPLIT) {
          // depth first, out before arg
          stackPc.push(ins.arg);
          stackCap.push(cap);
          pc = ins.out;
          continue;
        }
        if (ins.op === I_NOP) {
          pc = ins.out;
          continue;
        }
        if (ins.op === I_ASSERT) {
          if (!assertAt(ins.arg, s, p)) break;
          pc = ins.out;
          continue;
        }
        if (ins.op === I_SAVE) {
          if (ins.arg < ncap) {
            cap = cap.slice();
            cap[ins.arg] = p;
          }
          pc = ins.out;
          continue;
        }
        // I_CHAR, I_MATCH: a thread
        q.caps[q.size - 1] = cap;
        break;
      }
    }
  };

  let matched: number[] | null = null;
  let cur = pos;
  for (;;) {
    if (run.size === 0) {
      if (matched !== null) break;
      if (anchored && cur !== 0) break;
    }
    if (matched === null && (!anchored || cur === 0)) {
      const cap0 = new Array<number>(ncap).fill(-1);
      if (ncap > 0) cap0[0] = cur;
      add(run, start, cur, cap0);
    }
    const c = cur < s.length ? s.codePointAt(cur)! : -1;
    const w = c > 0xffff ? 2 : 1;
    next.size = 0;
    for (let j = 0; j < run.size; j++) {
      const cap = run.caps[j];
      if (cap === null || cap === undefined) continue;
      const ins = insts[run.dense[j]!]!;
      if (ins.op === I_MATCH) {
        if (ncap === 0) return [];
        matched = cap.slice();
        matched[1] = cur;
        // leftmost-first: lower-priority threads are cut off
        break;
      }
      if (c >= 0 && ins.set!.has(c)) add(next, ins.out, cur + w, cap);
    }
    [run, next] = [next, run];
    if (c < 0) break;
    cur += w;
  }
  return matched;
}

function toMatch(s: string, cap: number[], ncap: number): GoMatch {
  const out: (string | undefined)[] = [];
  for (let g = 0; g * 2 < ncap; g++) {
    const a = cap[2 * g]!;
    const b = cap[2 * g + 1]!;
    out.push(a >= 0 && b >= 0 ? s.slice(a, b) : undefined);
  }
  return Object.assign(out, { index: cap[0]! }) as GoMatch;
}

/** The leftmost-first match at or after pos, with every group (groups = false: only the whole match). */
export function execAt(r: GoRegexp, s: string, pos: number, groups = true): GoMatch | null {
  const ncap = groups ? r.prog.ncap : 2;
  const cap = pike(r.prog, s, pos, ncap);
  return cap === null ? null : toMatch(s, cap, ncap);
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

/** regexp.FindAllString(s, n) / FindAllStringSubmatch (groups): Go's loop (no empty match right after a match). */
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
  return pike(r.prog, s, 0, 0) !== null;
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

