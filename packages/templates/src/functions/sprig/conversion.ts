// Sprig conversions and integer/float math (numeric.go and functions.go): integer math converts every argument
// with spf13/cast (float64 truncates, strings parse with Go literal prefixes, anything else is 0) and returns int64.
import type { GoValue } from '../../value.js';
import { atoi, parseGoInt, toFloat64, toInt64 } from './go/cast.js';
import { goSprint } from './go/fmt.js';
import { int64Value } from './go/reflect.js';
import { def, fail, int, str, type SpecMap } from './spec.js';

/** Decimal arithmetic like shopspring/decimal on float64 inputs: exact on the shortest decimal forms. */
function decimalOp(a: GoValue, rest: GoValue[], op: '+' | '-' | '*' | '/'): number {
  let acc = toDecimal(toFloat64(a));
  for (const x of rest) acc = applyDec(acc, toDecimal(toFloat64(x)), op);
  return Number(fromDecimal(acc));
}

interface Dec {
  n: bigint;
  scale: number;
}

function toDecimal(f: number): Dec {
  if (!Number.isFinite(f)) return fail(`Cannot create a Decimal from ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  const s = f.toExponential();
  const [mant = '0', expStr = '0'] = s.split('e');
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const scale = digits.length - 1 - exp;
  let n = BigInt(digits);
  if (neg) n = -n;
  if (scale < 0) return { n: n * 10n ** BigInt(-scale), scale: 0 };
  return { n, scale };
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const s = Math.max(a.scale, b.scale);
  return [a.n * 10n ** BigInt(s - a.scale), b.n * 10n ** BigInt(s - b.scale), s];
}

function applyDec(a: Dec, b: Dec, op: '+' | '-' | '*' | '/'): Dec {
  switch (op) {
    case '+': {
      const [x, y, s] = align(a, b);
      return { n: x + y, scale: s };
    }
    case '-': {
      const [x, y, s] = align(a, b);
      return { n: x - y, scale: s };
    }
    case '*':
      return { n: a.n * b.n, scale: a.scale + b.scale };
    case '/': {
      if (b.n === 0n) return fail('decimal division by zero');
      // shopspring DivisionPrecision: the quotient rounded (half away from zero) to 16 decimal places
      const prec = 16;
      let num = a.n * 10n ** BigInt(prec + 1 + b.scale);
      let den = b.n * 10n ** BigInt(a.scale);
      if (den < 0n) {
        num = -num;
        den = -den;
      }
      const q = num / den;
      let r = q / 10n;
      const last = q % 10n;
      if (last >= 5n) r += 1n;
      else if (last <= -5n) r -= 1n;
      return { n: r, scale: prec };
    }
  }
}

function fromDecimal(d: Dec): string {
  const neg = d.n < 0n;
  let s = (neg ? -d.n : d.n).toString();
  if (d.scale > 0) {
    s = s.padStart(d.scale + 1, '0');
    s = `${s.slice(0, s.length - d.scale)}.${s.slice(s.length - d.scale)}`;
  }
  return (neg ? '-' : '') + s;
}

function intArgs(vs: GoValue[]): bigint[] {
  return vs.map((v) => toInt64(v));
}

/** Go's round helper in Sprig: scale by 10^places, ceil when the fractional part reaches roundOn. */
function round(a: GoValue, p: bigint, rOpt: GoValue[]): number {
  const roundOn = rOpt.length > 0 ? (rOpt[0] as number) : 0.5;
  const val = toFloat64(a);
  const pow = 10 ** Number(p);
  const digit = pow * val;
  const div = digit - Math.trunc(digit);
  const r = div >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

export const conversionFunctions: SpecMap = {
  atoi: def('atoi(a string) int', 'Parses a decimal integer string (0 when it is not one).', ['{{ atoi "42" }}', '42'], (a) => atoi(str(a)) ?? 0n),
  int: def(
    'int(v interface{}) int',
    'Converts to int: floats truncate, strings parse with Go prefixes ("0x1F" 31, "010" 8), bools 1/0, else 0.',
    ['{{ int "0x1F" }} {{ int 3.9 }}', '31 3'],
    (v) => toInt64(v ?? null),
  ),
  int64: def('int64(v interface{}) int64', 'Like int, as an int64.', ['{{ int64 "42" }}', '42'], (v) => int64Value(toInt64(v ?? null))),
  float64: def('float64(v interface{}) float64', 'Converts to float64 (strings parsed, else 0).', ['{{ float64 "1.5" }}', '1.5'], (v) => toFloat64(v ?? null)),
  toDecimal: def(
    'toDecimal(v interface{}) int64',
    'Reads a value as an octal (Unix permission) number: "0777" gives 511.',
    ['{{ toDecimal "0777" }}', '511'],
    (v) => int64Value(parseGoInt(goSprint(v ?? null), 8) ?? 0n),
  ),
  add1: def('add1(i interface{}) int64', 'i + 1 (as int64).', ['{{ add1 41 }}', '42'], (v) => int64Value(toInt64(v ?? null) + 1n)),
  add: def('add(i ...interface{}) int64', 'The sum of the arguments, as int64 (floats truncate first).', ['{{ add 1 2 3 }}', '6'], (...vs) =>
    int64Value(intArgs(vs).reduce((a, b) => BigInt.asIntN(64, a + b), 0n)),
  ),
  sub: def('sub(a interface{}, b interface{}) int64', 'a - b (as int64).', ['{{ sub 5 2 }}', '3'], (a, b) =>
    int64Value(toInt64(a ?? null) - toInt64(b ?? null)),
  ),
  mul: def('mul(a interface{}, v ...interface{}) int64', 'The product of the arguments (as int64).', ['{{ mul 2 3 4 }}', '24'], (a, ...vs) =>
    int64Value(intArgs(vs).reduce((x, y) => BigInt.asIntN(64, x * y), toInt64(a ?? null))),
  ),
  div: def('div(a interface{}, b interface{}) int64', 'Integer division a / b, truncated (as int64).', ['{{ div 7 2 }}', '3'], (a, b) => {
    const y = toInt64(b ?? null);
    if (y === 0n) return fail('runtime error: integer divide by zero');
    return int64Value(toInt64(a ?? null) / y);
  }),
  mod: def('mod(a interface{}, b interface{}) int64', 'a modulo b (sign of a, as in Go).', ['{{ mod 7 3 }}', '1'], (a, b) => {
    const y = toInt64(b ?? null);
    if (y === 0n) return fail('runtime error: integer divide by zero');
    return int64Value(toInt64(a ?? null) % y);
  }),
  max: def('max(a interface{}, i ...interface{}) int64', 'The largest argument (as int64).', ['{{ max 1 5 3 }}', '5'], (a, ...vs) =>
    int64Value(intArgs(vs).reduce((x, y) => (y > x ? y : x), toInt64(a ?? null))),
  ),
  biggest: def('biggest(a interface{}, i ...interface{}) int64', 'Old name of max.', ['{{ biggest 2 9 }}', '9'], (a, ...vs) =>
    int64Value(intArgs(vs).reduce((x, y) => (y > x ? y : x), toInt64(a ?? null))),
  ),
  min: def('min(a interface{}, i ...interface{}) int64', 'The smallest argument (as int64).', ['{{ min 4 2 9 }}', '2'], (a, ...vs) =>
    int64Value(intArgs(vs).reduce((x, y) => (y < x ? y : x), toInt64(a ?? null))),
  ),
  maxf: def('maxf(a interface{}, i ...interface{}) float64', 'The largest argument as float64.', ['{{ maxf 1.5 2.5 0.1 }}', '2.5'], (a, ...vs) =>
    vs.reduce<number>((x, y) => goMax(x, toFloat64(y ?? null)), toFloat64(a ?? null)),
  ),
  minf: def('minf(a interface{}, i ...interface{}) float64', 'The smallest argument as float64.', ['{{ minf 1.5 2.5 0.1 }}', '0.1'], (a, ...vs) =>
    vs.reduce<number>((x, y) => goMin(x, toFloat64(y ?? null)), toFloat64(a ?? null)),
  ),
  floor: def('floor(a interface{}) float64', 'Rounds down to a whole number (float64).', ['{{ floor 1.7 }}', '1'], (a) => Math.floor(toFloat64(a ?? null))),
  ceil: def('ceil(a interface{}) float64', 'Rounds up to a whole number (float64).', ['{{ ceil 1.2 }}', '2'], (a) => Math.ceil(toFloat64(a ?? null))),
  round: def(
    'round(a interface{}, p int, rOpt ...float64) float64',
    'Rounds to p decimal places (half up by default; the optional third argument is the rounding threshold).',
    ['{{ round 3.14159 2 }}', '3.14'],
    (a, p, ...r) => round(a ?? null, int(p), r),
  ),
  add1f: def('add1f(i interface{}) float64', 'i + 1 in decimal arithmetic.', ['{{ add1f 1.5 }}', '2.5'], (v) => decimalOp(v ?? null, [1n], '+')),
  addf: def('addf(i ...interface{}) float64', 'The sum in decimal arithmetic (0.1 + 0.2 = 0.3).', ['{{ addf 0.1 0.2 }}', '0.3'], (...vs) =>
    decimalOp(0, vs, '+'),
  ),
  subf: def('subf(a interface{}, v ...interface{}) float64', 'a minus the rest, in decimal arithmetic.', ['{{ subf 1 0.9 }}', '0.1'], (a, ...vs) =>
    decimalOp(a ?? null, vs, '-'),
  ),
  mulf: def('mulf(a interface{}, v ...interface{}) float64', 'The product in decimal arithmetic.', ['{{ mulf 0.5 1000 }}', '500'], (a, ...vs) =>
    decimalOp(a ?? null, vs, '*'),
  ),
  divf: def('divf(a interface{}, v ...interface{}) float64', 'a divided by the rest, in decimal arithmetic.', ['{{ divf 10 4 }}', '2.5'], (a, ...vs) =>
    decimalOp(a ?? null, vs, '/'),
  ),
};

/** math.Max / math.Min (NaN wins, -0 < +0). */
function goMax(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  return Math.max(x, y);
}

function goMin(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  return Math.min(x, y);
}
