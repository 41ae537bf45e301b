// text/template's builtin functions (Go 1.19 funcs.go) over the engine's reflect-like values.
import { compareBytewise, GoInt, GoMapOf, GoSlice, isGoMap, type GoValue } from '../value.js';
import { formatGoValue, goTypeName, sprint, sprintf, sprintln } from './fmt.js';
import { indirectInterface, INVALID, Iface, intValue, isTrue, kindOf, rTypeName, toGo, type RValue } from './reflect.js';
import { isPrint } from './strconv.js';

/** A builtin's parameter: 'value' is reflect.Value (gets the raw RValue), the rest as in GoParamType. */
export type EngineParamType = 'value' | 'any' | 'string' | 'int' | 'float64' | 'bool' | 'list' | 'map' | 'stringList';

/** An error a builtin returns (Go's `error` result); the executor reports `error calling <name>: <msg>`. */
export class BuiltinError extends Error {
  override readonly name = 'BuiltinError';
}

export interface Builtin {
  params: EngineParamType[];
  variadic?: EngineParamType;
  fn: (...args: RValue[]) => RValue;
}

// ---- index / slice / len ---------------------------------------------------------------------------------

function indexArg(index: GoValue | typeof INVALID, cap: number): number {
  if (index === INVALID) throw new BuiltinError('cannot index slice/array with nil');
  const x = intValue(index);
  if (x === undefined) throw new BuiltinError(`cannot index slice/array with type ${goTypeName(index)}`);
  if (x < 0n || x > BigInt(cap)) throw new BuiltinError(`index out of range: ${x}`);
  return Number(x);
}

/** index and len look through a pointer first (Go's indirect), so errors name the pointed-to type. */
function pointee(typeName: string): string {
  return typeName.startsWith('*') ? typeName.slice(1) : typeName;
}

function utf8(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

function index(itemIn: RValue, ...indexes: RValue[]): RValue {
  let item: RValue = indirectInterface(itemIn);
  if (item === INVALID) throw new BuiltinError('index of untyped nil');
  for (const ix of indexes) {
    const idx = indirectInterface(ix);
    const cur = indirectInterface(item);
    if (cur === INVALID) throw new BuiltinError('index of nil pointer');
    if (Array.isArray(cur) || cur instanceof GoSlice || typeof cur === 'string') {
      const len = typeof cur === 'string' ? utf8(cur).length : Array.isArray(cur) ? cur.length : cur.items.length;
      const x = indexArg(idx, len);
      if (x >= len) throw new BuiltinError(`reflect: ${typeof cur === 'string' ? 'string' : 'slice'} index out of range`);
      if (typeof cur === 'string') item = new GoInt('uint8', BigInt(utf8(cur)[x] ?? 0));
      else if (Array.isArray(cur)) item = new Iface(cur[x] ?? null);
      else item = cur.elemType === 'interface {}' ? new Iface(cur.items[x] ?? null) : (cur.items[x] ?? null);
    } else if (isGoMap(cur) || cur instanceof GoMapOf) {
      if (idx === INVALID) throw new BuiltinError('value is nil; should be of type string');
      if (typeof idx !== 'string') throw new BuiltinError(`value has type ${goTypeName(idx)}; should be string`);
      if (cur instanceof GoMapOf) {
        item = Object.hasOwn(cur.entries, idx) ? (cur.entries[idx] ?? null) : cur.zero;
      } else {
        item = new Iface(Object.hasOwn(cur, idx) ? (cur[idx] ?? null) : null);
      }
    } else {
      throw new BuiltinError(`can't index item of type ${pointee(goTypeName(cur))}`);
    }
  }
  return item;
}

function slice(itemIn: RValue, ...indexes: RValue[]): RValue {
  const item = indirectInterface(itemIn);
  if (item === INVALID) throw new BuiltinError('slice of untyped nil');
  if (indexes.length > 3) throw new BuiltinError(`too many slice indexes: ${indexes.length}`);
  let cap: number;
  let len: number;
  if (typeof item === 'string') {
    if (indexes.length === 3) throw new BuiltinError('cannot 3-index slice a string');
    cap = utf8(item).length;
    len = cap;
  } else if (Array.isArray(item) || item instanceof GoSlice) {
    cap = Array.isArray(item) ? item.length : item.items.length;
    len = cap;
  } else {
    throw new BuiltinError(`can't slice item of type ${goTypeName(item)}`);
  }
  const idx = [0, len, 0];
  indexes.forEach((ix, i) => {
    // unlike index, Go's slice does not look inside an interface{} index
    if (ix instanceof Iface || ix === null) throw new BuiltinError('cannot index slice/array with type interface {}');
    idx[i] = indexArg(ix, cap);
  });
  const [i0 = 0, i1 = 0, i2 = 0] = idx;
  if (i0 > i1) throw new BuiltinError(`invalid slice index: ${i0} > ${i1}`);
  if (indexes.length === 3 && i1 > i2) throw new BuiltinError(`invalid slice index: ${i1} > ${i2}`);
  if (typeof item === 'string') return utf8(item).subarray(i0, i1).toString('utf8');
  if (Array.isArray(item)) return item.slice(i0, i1);
  return new GoSlice(item.elemType, item.items.slice(i0, i1));
}

function length(item: RValue): RValue {
  const v = indirectInterface(item);
  if (v === INVALID) {
    if (item === INVALID) throw new BuiltinError('reflect: call of reflect.Value.Type on zero Value');
    throw new BuiltinError('len of nil pointer');
  }
  if (typeof v === 'string') return BigInt(utf8(v).length);
  if (Array.isArray(v)) return BigInt(v.length);
  if (v instanceof GoSlice) return BigInt(v.items.length);
  if (v instanceof GoMapOf) return BigInt(Object.keys(v.entries).length);
  if (isGoMap(v)) return BigInt(Object.keys(v).length);
  throw new BuiltinError(`len of type ${pointee(goTypeName(v))}`);
}

function call(fn: RValue): RValue {
  const f = indirectInterface(fn);
  if (f === INVALID) throw new BuiltinError('call of nil');
  // no value of this model is a Go func
  throw new BuiltinError(`non-function of type ${goTypeName(f)}`);
}

// ---- comparison ------------------------------------------------------------------------------------------

type BasicKind = 'invalid' | 'bool' | 'int' | 'uint' | 'float' | 'string';

function basicKind(v: GoValue | typeof INVALID): BasicKind {
  const k = kindOf(v);
  return k === 'bool' || k === 'int' || k === 'uint' || k === 'float' || k === 'string' ? k : 'invalid';
}

const errBadComparisonType = 'invalid type for comparison';
const errBadComparison = 'incompatible types for comparison';
const errNoComparison = 'missing argument for comparison';

function num(v: GoValue | typeof INVALID): bigint {
  return intValue(v) ?? 0n;
}

function isNilValue(v: GoValue | typeof INVALID): boolean {
  return v === INVALID || v === null;
}

/** A reflect.Value formatted with %v (or %s, as Go's comparison errors do). */
function formatRV(v: GoValue | typeof INVALID, verb = '%v'): string {
  if (v === INVALID) return '<invalid reflect.Value>';
  return verb === '%v' ? formatGoValue(v) : sprintf(verb, [v]);
}

function eq(arg1In: RValue, ...arg2: RValue[]): RValue {
  const arg1 = indirectInterface(arg1In);
  if (arg2.length === 0) throw new BuiltinError(errNoComparison);
  const k1 = basicKind(arg1);
  for (const argIn of arg2) {
    const arg = indirectInterface(argIn);
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (k1 === 'int' && k2 === 'uint') truth = num(arg1) >= 0n && num(arg1) === num(arg);
      else if (k1 === 'uint' && k2 === 'int') truth = num(arg) >= 0n && num(arg1) === num(arg);
      else if (arg1 !== INVALID && arg !== INVALID) throw new BuiltinError(errBadComparison);
    } else {
      switch (k1) {
        case 'bool':
        case 'float':
        case 'string':
          truth = arg1 === arg;
          break;
        case 'int':
        case 'uint':
          truth = num(arg1) === num(arg);
          break;
        case 'invalid': {
          const ka = kindOf(arg1);
          const kb = kindOf(arg);
          if (ka !== kb && ka !== 'invalid' && kb !== 'invalid') {
            throw new BuiltinError(`non-comparable types ${formatRV(arg1, '%s')}: ${rTypeName(arg1)}, ${rTypeName(arg)}: ${formatRV(arg)}`);
          }
          if (isNilValue(arg1) || isNilValue(arg)) {
            truth = isNilValue(arg) === isNilValue(arg1);
          } else {
            if (kb === 'slice' || kb === 'map') {
              throw new BuiltinError(`non-comparable type ${formatRV(arg, '%s')}: ${rTypeName(arg)}`);
            }
            truth = arg1 === arg;
          }
        }
      }
    }
    if (truth) return true;
  }
  return false;
}

function lt(arg1In: RValue, arg2In: RValue): boolean {
  const arg1 = indirectInterface(arg1In);
  const k1 = basicKind(arg1);
  if (k1 === 'invalid') throw new BuiltinError(errBadComparisonType);
  const arg2 = indirectInterface(arg2In);
  const k2 = basicKind(arg2);
  if (k2 === 'invalid') throw new BuiltinError(errBadComparisonType);
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return num(arg1) < 0n || num(arg1) < num(arg2);
    if (k1 === 'uint' && k2 === 'int') return num(arg2) >= 0n && num(arg1) < num(arg2);
    throw new BuiltinError(errBadComparison);
  }
  switch (k1) {
    case 'bool':
      throw new BuiltinError(errBadComparisonType);
    case 'float':
      return (arg1 as number) < (arg2 as number);
    case 'string':
      return compareBytewise(arg1 as string, arg2 as string) < 0;
    case 'int':
    case 'uint':
      return num(arg1) < num(arg2);
  }
}

function le(a: RValue, b: RValue): boolean {
  return lt(a, b) || eq(a, b) === true;
}

// ---- escapers --------------------------------------------------------------------------------------------

/** Go's evalArgs: one string argument as is, otherwise fmt.Sprint with nil turned into "<no value>". */
function evalArgs(args: RValue[]): string {
  if (args.length === 1) {
    const only = toGo(args[0] ?? null);
    if (typeof only === 'string') return only;
  }
  return sprint(args.map((a) => (toGo(a) === null ? '<no value>' : toGo(a))));
}

export function htmlEscapeString(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => {
    switch (c) {
      case '\0':
        return '\uFFFD';
      case '"':
        return '&#34;';
      case "'":
        return '&#39;';
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      default:
        return '&gt;';
    }
  });
}

export function jsEscapeString(s: string): string {
  let out = '';
  for (const ch of s) {
    const r = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
    }
    if (r < 0x20) out += `\\u00${r.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (r < 0x80 || isPrint(r)) out += ch;
    else out += `\\u${r.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

export function urlQueryEscape(s: string): string {
  let out = '';
  for (const b of utf8(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

// ---- the table -------------------------------------------------------------------------------------------

function asString(v: RValue): string {
  const g = toGo(v);
  return typeof g === 'string' ? g : '';
}

export const builtins: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['and', { params: ['value'], variadic: 'value', fn: (a) => a }],
  ['or', { params: ['value'], variadic: 'value', fn: (a) => a }],
  ['call', { params: ['value'], variadic: 'value', fn: call }],
  ['html', { params: [], variadic: 'any', fn: (...a) => htmlEscapeString(evalArgs(a)) }],
  ['js', { params: [], variadic: 'any', fn: (...a) => jsEscapeString(evalArgs(a)) }],
  ['urlquery', { params: [], variadic: 'any', fn: (...a) => urlQueryEscape(evalArgs(a)) }],
  ['index', { params: ['value'], variadic: 'value', fn: index }],
  ['slice', { params: ['value'], variadic: 'value', fn: slice }],
  ['len', { params: ['value'], fn: length }],
  ['not', { params: ['value'], fn: (a) => !isTrue(a ?? INVALID) }],
  ['print', { params: [], variadic: 'any', fn: (...a) => sprint(a.map(toGo)) }],
  ['printf', { params: ['string'], variadic: 'any', fn: (f, ...a) => sprintf(asString(f ?? ''), a.map(toGo)) }],
  ['println', { params: [], variadic: 'any', fn: (...a) => sprintln(a.map(toGo)) }],
  ['eq', { params: ['value'], variadic: 'value', fn: eq }],
  ['ne', { params: ['value', 'value'], fn: (a, b) => eq(a ?? INVALID, b ?? INVALID) !== true }],
  ['lt', { params: ['value', 'value'], fn: (a, b) => lt(a ?? INVALID, b ?? INVALID) }],
  ['le', { params: ['value', 'value'], fn: (a, b) => le(a ?? INVALID, b ?? INVALID) }],
  ['gt', { params: ['value', 'value'], fn: (a, b) => !le(a ?? INVALID, b ?? INVALID) }],
  ['ge', { params: ['value', 'value'], fn: (a, b) => !lt(a ?? INVALID, b ?? INVALID) }],
]);
