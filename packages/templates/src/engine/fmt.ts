// Go's fmt package (Sprint, Sprintln, Sprintf) over the Go value model, ported from Go 1.19's fmt/print.go and
// fmt/format.go: verbs, flags, width, precision, argument indexes, and the %!verb(type=value) error forms.
import { GoInt, GoMapOf, GoSlice, GoTyped, installFormatter, isGoMap, sortedKeys, type GoValue } from '../value.js';
import { canBackquote, formatFloat, isPrint, quote, quoteRune, quoteToASCII } from './strconv.js';

/** reflect.TypeOf(v).String() for a non-nil value. */
export function goTypeName(v: GoValue): string {
  if (v === null) return '<nil>';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'bigint') return 'int';
  if (Array.isArray(v)) return '[]interface {}';
  if (v instanceof GoTyped) return v.goType;
  return 'map[string]interface {}';
}

function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

const ldigits = '0123456789abcdefx';
const udigits = '0123456789ABCDEFX';
const TWO64 = 1n << 64n;

/** An element being printed: `iface` marks a value held in an interface{} slot (list items, map values). */
interface Elem {
  v: GoValue;
  iface: boolean;
}

class Printer {
  buf = '';
  // flags
  widPresent = false;
  precPresent = false;
  minus = false;
  plus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;
  wid = 0;
  prec = 0;
  // state
  arg: GoValue | undefined = undefined;
  hasArg = false;
  value: Elem | undefined = undefined;
  erroring = false;
  reordered = false;
  goodArgNum = true;

  clearflags(): void {
    this.widPresent = false;
    this.precPresent = false;
    this.minus = false;
    this.plus = false;
    this.sharp = false;
    this.space = false;
    this.zero = false;
    this.plusV = false;
    this.sharpV = false;
  }

  // ---- format.go ----

  writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.zero ? '0' : ' ').repeat(n);
  }

  pad(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.wid - runeCount(s);
    if (!this.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  fmtBoolean(v: boolean): void {
    this.pad(v ? 'true' : 'false');
  }

  fmtUnicode(u: bigint): void {
    let prec = 4;
    if (this.precPresent && this.prec > 4) prec = this.prec;
    let s = u.toString(16).toUpperCase();
    if (s.length < prec) s = s.padStart(prec, '0');
    s = `U+${s}`;
    if (this.sharp && u <= 0x10ffffn && isPrint(Number(u))) s += ` '${String.fromCodePoint(Number(u))}'`;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  fmtInteger(value: bigint, base: number, isSigned: boolean, verb: string, digits: string): void {
    let u = value;
    const negative = isSigned && u < 0n;
    if (negative) u = -u;
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = oldZero;
        return;
      }
    } else if (this.zero && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--;
    }
    let s = u.toString(base);
    if (digits === udigits) s = s.toUpperCase();
    if (s.length < prec) s = s.padStart(prec, '0');
    if (this.sharp) {
      switch (base) {
        case 2:
          s = `0b${s}`;
          break;
        case 8:
          if (s[0] !== '0') s = `0${s}`;
          break;
        case 16:
          s = `0${digits[16] ?? 'x'}${s}`;
          break;
      }
    }
    if (verb === 'O') s = `0o${s}`;
    if (negative) s = `-${s}`;
    else if (this.plus) s = `+${s}`;
    else if (this.space) s = ` ${s}`;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  truncateString(s: string): string {
    if (this.precPresent) {
      let n = this.prec;
      let i = 0;
      for (const ch of s) {
        n--;
        if (n < 0) return s.slice(0, i);
        i += ch.length;
      }
    }
    return s;
  }

  fmtS(s: string): void {
    this.pad(this.truncateString(s));
  }

  fmtSx(s: string, digits: string): void {
    const bytes = Buffer.from(s, 'utf8');
    let length = bytes.length;
    if (this.precPresent && this.prec < length) length = this.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.space) {
        if (this.sharp) width *= 2;
        width += length - 1;
      } else if (this.sharp) {
        width += 2;
      }
    } else {
      if (this.widPresent) this.writePadding(this.wid);
      return;
    }
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width);
    let out = '';
    if (this.sharp) out += `0${digits[16] ?? 'x'}`;
    for (let i = 0; i < length; i++) {
      if (this.space && i > 0) {
        out += ' ';
        if (this.sharp) out += `0${digits[16] ?? 'x'}`;
      }
      const c = bytes[i] ?? 0;
      out += (digits[c >> 4] ?? '') + (digits[c & 0xf] ?? '');
    }
    this.buf += out;
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width);
  }

  fmtQ(str: string): void {
    const s = this.truncateString(str);
    if (this.sharp && canBackquote(s)) {
      this.pad(`\`${s}\``);
      return;
    }
    this.pad(this.plus ? quoteToASCII(s) : quote(s));
  }

  fmtC(c: bigint): void {
    let r = c > 0x10ffffn || c < 0n ? 0xfffd : Number(c);
    if (r >= 0xd800 && r <= 0xdfff) r = 0xfffd;
    this.pad(String.fromCodePoint(r));
  }

  fmtQc(c: bigint): void {
    const r = c > 0x10ffffn || c < 0n ? 0xfffd : Number(c);
    this.pad(quoteRune(r, this.plus));
  }

  fmtFloatF(v: number, verb: string, precIn: number): void {
    const prec = this.precPresent ? this.prec : precIn;
    let num = formatFloat(v, verb, prec);
    if (num[0] === '-' || num[0] === '+') {
      // keep
    } else {
      num = `+${num}`;
    }
    if (this.space && num[0] === '+' && !this.plus) num = ` ${num.slice(1)}`;
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = this.zero;
      this.zero = false;
      if (num[1] === 'N' && !this.space && !this.plus) num = num.slice(1);
      this.pad(num);
      this.zero = oldZero;
      return;
    }
    if (this.sharp && verb !== 'b') {
      let digits = 0;
      switch (verb) {
        case 'v':
        case 'g':
        case 'G':
        case 'x':
          digits = prec;
          if (digits === -1) digits = 6;
      }
      let tail = '';
      let hasDecimalPoint = false;
      let sawNonzeroDigit = false;
      let body = num;
      for (let i = 1; i < body.length; i++) {
        const ch = body[i];
        if (ch === '.') {
          hasDecimalPoint = true;
        } else if (ch === 'p' || ch === 'P') {
          tail = body.slice(i);
          body = body.slice(0, i);
          break;
        } else if ((ch === 'e' || ch === 'E') && verb !== 'x' && verb !== 'X') {
          tail = body.slice(i);
          body = body.slice(0, i);
          break;
        } else {
          if (ch !== '0') sawNonzeroDigit = true;
          if (sawNonzeroDigit) digits--;
        }
      }
      if (!hasDecimalPoint) {
        if (body.length === 2 && body[1] === '0') digits--;
        body += '.';
      }
      while (digits > 0) {
        body += '0';
        digits--;
      }
      num = body + tail;
    }
    if (this.plus || num[0] !== '+') {
      if (this.zero && this.widPresent && this.wid > num.length) {
        this.buf += num[0];
        this.writePadding(this.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  // ---- print.go ----

  badVerb(verb: string): void {
    this.erroring = true;
    this.buf += `%!${verb}(`;
    if (this.hasArg && this.arg !== undefined && this.arg !== null) {
      this.buf += `${goTypeName(this.arg)}=`;
      this.printArg(this.arg, 'v');
    } else if (this.value !== undefined && this.value.v !== null) {
      this.buf += `${goTypeName(this.value.v)}=`;
      this.printValue(this.value, 'v', 0);
    } else {
      this.buf += '<nil>';
    }
    this.buf += ')';
    this.erroring = false;
  }

  fmtBool(v: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.fmtBoolean(v);
    else this.badVerb(verb);
  }

  fmt0x64(v: bigint, leading0x: boolean): void {
    const sharp = this.sharp;
    this.sharp = leading0x;
    this.fmtInteger(v, 16, false, 'v', ldigits);
    this.sharp = sharp;
  }

  fmtIntegerVerb(v: bigint, isSigned: boolean, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.sharpV && !isSigned) this.fmt0x64(v, true);
        else this.fmtInteger(v, 10, isSigned, verb, ldigits);
        break;
      case 'd':
        this.fmtInteger(v, 10, isSigned, verb, ldigits);
        break;
      case 'b':
        this.fmtInteger(v, 2, isSigned, verb, ldigits);
        break;
      case 'o':
      case 'O':
        this.fmtInteger(v, 8, isSigned, verb, ldigits);
        break;
      case 'x':
        this.fmtInteger(v, 16, isSigned, verb, ldigits);
        break;
      case 'X':
        this.fmtInteger(v, 16, isSigned, verb, udigits);
        break;
      case 'c':
        this.fmtC(v < 0n ? v + TWO64 : v);
        break;
      case 'q':
        this.fmtQc(v < 0n ? v + TWO64 : v);
        break;
      case 'U':
        this.fmtUnicode(v < 0n ? v + TWO64 : v);
        break;
      default:
        this.badVerb(verb);
    }
  }

  fmtFloat(v: number, verb: string): void {
    switch (verb) {
      case 'v':
        this.fmtFloatF(v, 'g', -1);
        break;
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        this.fmtFloatF(v, verb, -1);
        break;
      case 'f':
      case 'e':
      case 'E':
        this.fmtFloatF(v, verb, 6);
        break;
      case 'F':
        this.fmtFloatF(v, 'f', 6);
        break;
      default:
        this.badVerb(verb);
    }
  }

  fmtString(v: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.sharpV) this.fmtQ(v);
        else this.fmtS(v);
        break;
      case 's':
        this.fmtS(v);
        break;
      case 'x':
        this.fmtSx(v, ldigits);
        break;
      case 'X':
        this.fmtSx(v, udigits);
        break;
      case 'q':
        this.fmtQ(v);
        break;
      default:
        this.badVerb(verb);
    }
  }

  /** Types that implement fmt.Stringer (every GoTyped that is not a slice, sized int or typed map). */
  handleMethods(verb: string): boolean {
    if (this.erroring) return false;
    const a = this.arg;
    if (!(a instanceof GoTyped) || a instanceof GoSlice || a instanceof GoInt || a instanceof GoMapOf) return false;
    if (this.sharpV) {
      this.fmtS(a.format());
      return true;
    }
    switch (verb) {
      case 'v':
      case 's':
      case 'x':
      case 'X':
      case 'q':
        this.fmtString(a.format(), verb);
        return true;
    }
    return false;
  }

  /** bool, float64, int and string; false for anything else. */
  printBasic(v: GoValue, verb: string): boolean {
    if (typeof v === 'boolean') this.fmtBool(v, verb);
    else if (typeof v === 'number') this.fmtFloat(v, verb);
    else if (typeof v === 'bigint') this.fmtIntegerVerb(v, true, verb);
    else if (typeof v === 'string') this.fmtString(v, verb);
    else return false;
    return true;
  }

  printArg(arg: GoValue, verb: string): void {
    this.arg = arg;
    this.hasArg = true;
    this.value = undefined;
    if (arg === null) {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb);
      return;
    }
    if (verb === 'T') {
      this.fmtS(goTypeName(arg));
      return;
    }
    if (verb === 'p') {
      // Go prints the address of a map, slice or pointer; there is none here, so print a stable stand-in.
      if (typeof arg === 'object' && !(arg instanceof GoInt)) this.fmt0x64(0xc000010000n, !this.sharp);
      else this.badVerb(verb);
      return;
    }
    if (this.printBasic(arg, verb)) return;
    if (arg instanceof GoInt) {
      this.fmtIntegerVerb(arg.value, !arg.goType.startsWith('u'), verb);
      return;
    }
    if (!this.handleMethods(verb)) this.printValue({ v: arg, iface: false }, verb, 0);
  }

  printValue(value: Elem, verb: string, depth: number): void {
    if (depth > 0 && value.v !== null && !value.iface) {
      this.arg = value.v;
      this.hasArg = true;
      if (this.handleMethods(verb)) return;
    }
    this.arg = undefined;
    this.hasArg = false;
    this.value = value;
    const f = value.v;
    if (value.iface) {
      if (f === null) {
        if (this.sharpV) this.buf += 'interface {}(nil)';
        else this.buf += '<nil>';
      } else {
        this.printValue({ v: f, iface: false }, verb, depth + 1);
      }
      return;
    }
    if (f === null) {
      // an untyped nil reached below the top level
      if (verb === 'v') this.buf += '<nil>';
      else this.badVerb(verb);
      return;
    }
    if (this.printBasic(f, verb)) return;
    if (f instanceof GoInt) {
      this.fmtIntegerVerb(f.value, !f.goType.startsWith('u'), verb);
      return;
    }
    if (Array.isArray(f) || f instanceof GoSlice) {
      const items = Array.isArray(f) ? f : f.items;
      const iface = Array.isArray(f) || f.elemType === 'interface {}';
      if (this.sharpV) {
        this.buf += `${goTypeName(f)}{`;
        items.forEach((it, i) => {
          if (i > 0) this.buf += ', ';
          this.printValue({ v: it, iface }, verb, depth + 1);
        });
        this.buf += '}';
      } else {
        this.buf += '[';
        items.forEach((it, i) => {
          if (i > 0) this.buf += ' ';
          this.printValue({ v: it, iface }, verb, depth + 1);
        });
        this.buf += ']';
      }
      return;
    }
    if (isGoMap(f) || f instanceof GoMapOf) {
      const entries: Readonly<Record<string, GoValue>> = f instanceof GoMapOf ? f.entries : f;
      const iface = !(f instanceof GoMapOf) || f.elemType === 'interface {}';
      if (this.sharpV) this.buf += `${goTypeName(f)}{`;
      else this.buf += 'map[';
      sortedKeys(entries).forEach((k, i) => {
        if (i > 0) this.buf += this.sharpV ? ', ' : ' ';
        this.printValue({ v: k, iface: false }, verb, depth + 1);
        this.buf += ':';
        this.printValue({ v: entries[k] ?? null, iface }, verb, depth + 1);
      });
      this.buf += this.sharpV ? '}' : ']';
      return;
    }
    // another Go type reached with a verb its String method does not serve
    if (f instanceof GoTyped) {
      if (verb === 'v' || verb === 's') this.buf += f.format();
      else this.badVerb(verb);
    }
  }

  intFromArg(a: readonly GoValue[], argNum: number): { num: number; isInt: boolean; newArgNum: number } {
    let num = 0;
    let isInt = false;
    let newArgNum = argNum;
    if (argNum < a.length) {
      const v = a[argNum];
      if (typeof v === 'bigint') {
        num = Number(v);
        isInt = true;
      } else if (v instanceof GoInt) {
        num = Number(v.value);
        isInt = true;
      }
      newArgNum = argNum + 1;
      if (num > 1e6 || num < -1e6) {
        num = 0;
        isInt = false;
      }
    }
    return { num, isInt, newArgNum };
  }

  argNumber(argNum: number, format: string, i: number, numArgs: number): [number, number, boolean] {
    if (format.length <= i || format[i] !== '[') return [argNum, i, false];
    this.reordered = true;
    const { index, wid, ok } = parseArgNumber(format.slice(i));
    if (ok && index >= 0 && index < numArgs) return [index, i + wid, true];
    this.goodArgNum = false;
    return [argNum, i + wid, ok];
  }

  doPrintf(format: string, a: readonly GoValue[]): void {
    const end = format.length;
    let argNum = 0;
    let afterIndex = false;
    this.reordered = false;
    let i = 0;
    formatLoop: while (i < end) {
      this.goodArgNum = true;
      const lasti = i;
      while (i < end && format[i] !== '%') i++;
      if (i > lasti) this.buf += format.slice(lasti, i);
      if (i >= end) break;
      i++;
      this.clearflags();
      simpleFormat: for (; i < end; i++) {
        const c = format[i] ?? '';
        switch (c) {
          case '#':
            this.sharp = true;
            break;
          case '0':
            this.zero = !this.minus;
            break;
          case '+':
            this.plus = true;
            break;
          case '-':
            this.minus = true;
            this.zero = false;
            break;
          case ' ':
            this.space = true;
            break;
          default:
            if (c >= 'a' && c <= 'z' && argNum < a.length) {
              if (c === 'v') {
                this.sharpV = this.sharp;
                this.sharp = false;
                this.plusV = this.plus;
                this.plus = false;
              }
              this.printArg(a[argNum] ?? null, c);
              argNum++;
              i++;
              continue formatLoop;
            }
            break simpleFormat;
        }
      }
      [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
      if (i < end && format[i] === '*') {
        i++;
        const r = this.intFromArg(a, argNum);
        this.wid = r.num;
        this.widPresent = r.isInt;
        argNum = r.newArgNum;
        if (!this.widPresent) this.buf += '%!(BADWIDTH)';
        if (this.wid < 0) {
          this.wid = -this.wid;
          this.minus = true;
          this.zero = false;
        }
        afterIndex = false;
      } else {
        const r = parsenum(format, i, end);
        this.wid = r.num;
        this.widPresent = r.isnum;
        i = r.newi;
        if (afterIndex && this.widPresent) this.goodArgNum = false;
      }
      if (i + 1 < end && format[i] === '.') {
        i++;
        if (afterIndex) this.goodArgNum = false;
        [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
        if (i < end && format[i] === '*') {
          i++;
          const r = this.intFromArg(a, argNum);
          this.prec = r.num;
          this.precPresent = r.isInt;
          argNum = r.newArgNum;
          if (this.prec < 0) {
            this.prec = 0;
            this.precPresent = false;
          }
          if (!this.precPresent) this.buf += '%!(BADPREC)';
          afterIndex = false;
        } else {
          const r = parsenum(format, i, end);
          this.prec = r.num;
          this.precPresent = r.isnum;
          i = r.newi;
          if (!this.precPresent) {
            this.prec = 0;
            this.precPresent = true;
          }
        }
      }
      if (!afterIndex) [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
      if (i >= end) {
        this.buf += '%!(NOVERB)';
        break;
      }
      const cp = format.codePointAt(i) ?? 0;
      const verb = String.fromCodePoint(cp);
      i += verb.length;
      if (verb === '%') {
        this.buf += '%';
      } else if (!this.goodArgNum) {
        this.buf += `%!${verb}(BADINDEX)`;
      } else if (argNum >= a.length) {
        this.buf += `%!${verb}(MISSING)`;
      } else {
        if (verb === 'v') {
          this.sharpV = this.sharp;
          this.sharp = false;
          this.plusV = this.plus;
          this.plus = false;
        }
        this.printArg(a[argNum] ?? null, verb);
        argNum++;
      }
    }
    if (!this.reordered && argNum < a.length) {
      this.clearflags();
      this.buf += '%!(EXTRA ';
      a.slice(argNum).forEach((arg, k) => {
        if (k > 0) this.buf += ', ';
        if (arg === null) {
          this.buf += '<nil>';
        } else {
          this.buf += `${goTypeName(arg)}=`;
          this.printArg(arg, 'v');
        }
      });
      this.buf += ')';
    }
  }
}

function parsenum(s: string, start: number, end: number): { num: number; isnum: boolean; newi: number } {
  if (start >= end) return { num: 0, isnum: false, newi: end };
  let num = 0;
  let isnum = false;
  let newi = start;
  for (; newi < end && (s[newi] ?? '') >= '0' && (s[newi] ?? '') <= '9'; newi++) {
    if (num > 1e6 || num < -1e6) return { num: 0, isnum: false, newi: end };
    num = num * 10 + (s.charCodeAt(newi) - 48);
    isnum = true;
  }
  return { num, isnum, newi };
}

function parseArgNumber(format: string): { index: number; wid: number; ok: boolean } {
  if (format.length < 3) return { index: 0, wid: 1, ok: false };
  for (let i = 1; i < format.length; i++) {
    if (format[i] === ']') {
      const r = parsenum(format, 1, i);
      if (!r.isnum || r.newi !== i) return { index: 0, wid: i + 1, ok: false };
      return { index: r.num - 1, wid: i + 1, ok: true };
    }
  }
  return { index: 0, wid: 1, ok: false };
}

/** fmt.Sprint */
export function sprint(args: readonly GoValue[]): string {
  const p = new Printer();
  let prevString = false;
  args.forEach((arg, argNum) => {
    const isString = typeof arg === 'string';
    if (argNum > 0 && !isString && !prevString) p.buf += ' ';
    p.printArg(arg, 'v');
    prevString = isString;
  });
  return p.buf;
}

/** fmt.Sprintln */
export function sprintln(args: readonly GoValue[]): string {
  const p = new Printer();
  args.forEach((arg, argNum) => {
    if (argNum > 0) p.buf += ' ';
    p.printArg(arg, 'v');
  });
  return `${p.buf}\n`;
}

/** fmt.Sprintf */
export function sprintf(format: string, args: readonly GoValue[]): string {
  const p = new Printer();
  p.doPrintf(format, args);
  return p.buf;
}

/** fmt.Sprint of one value: Go's `%v`. */
export function formatGoValue(v: GoValue): string {
  const p = new Printer();
  p.printArg(v, 'v');
  return p.buf;
}

installFormatter(formatGoValue);
