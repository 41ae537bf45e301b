// The reflect-based helpers Sprig is built on: what counts as a slice, emptiness (template truth), %T, Kind,
// reflect.DeepEqual.
import { GoInt, GoMapOf, GoSlice, GoTyped, isGoMap, type GoValue } from '../../../value.js';

/** The items of a Go slice value ([]interface{} or a typed slice), or undefined if v is not a slice. */
export function sliceItems(v: GoValue): GoValue[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof GoSlice) return v.items;
  return undefined;
}

/** Sprig's empty(): the zero value of its type (text/template's notion of false). */
export function isEmpty(v: GoValue | undefined): boolean {
  if (v === null || v === undefined) return true;
  switch (typeof v) {
    case 'boolean':
      return !v;
    case 'string':
      return v.length === 0;
    case 'number':
      return v === 0;
    case 'bigint':
      return v === 0n;
    case 'object':
    case 'function':
    case 'symbol':
    case 'undefined':
      break;
  }
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof GoSlice) return v.items.length === 0;
  if (v instanceof GoInt) return v.value === 0n;
  if (v instanceof GoMapOf) return Object.keys(v.entries).length === 0;
  if (v instanceof GoTyped) return false;
  return Object.keys(v).length === 0;
}

/** fmt's %T */
export function typeOf(v: GoValue): string {
  if (v === null) return '<nil>';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int';
    case 'object':
    case 'function':
    case 'symbol':
    case 'undefined':
      break;
  }
  if (Array.isArray(v)) return '[]interface {}';
  if (v instanceof GoTyped) return v.goType;
  return 'map[string]interface {}';
}

/** reflect.Value.Kind().String() */
export function kindOf(v: GoValue): string {
  if (v === null) return 'invalid';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int';
    case 'object':
    case 'function':
    case 'symbol':
    case 'undefined':
      break;
  }
  if (Array.isArray(v) || v instanceof GoSlice) return 'slice';
  if (v instanceof GoInt) return v.goType;
  if (v instanceof GoMapOf) return 'map';
  if (v instanceof GoTyped) {
    const t = v.goType;
    if (t.startsWith('*')) return 'ptr';
    if (t.startsWith('[]')) return 'slice';
    if (t.startsWith('map[')) return 'map';
    return 'struct';
  }
  return 'map';
}

/** reflect.DeepEqual: same dynamic types and deeply equal contents. */
export function deepEqual(a: GoValue | undefined, b: GoValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a === null || b === null) return a === b;
  if (typeof a !== 'object' || typeof b !== 'object') {
    if (typeof a === 'number' && typeof b === 'number') return a === b;
    return typeof a === typeof b && a === b;
  }
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (a instanceof GoSlice) {
    return b instanceof GoSlice && a.elemType === b.elemType && a.items.length === b.items.length && a.items.every((x, i) => deepEqual(x, b.items[i]));
  }
  if (a instanceof GoInt) return b instanceof GoInt && a.goType === b.goType && a.value === b.value;
  if (a instanceof GoMapOf) {
    if (!(b instanceof GoMapOf) || a.goType !== b.goType) return false;
    const ka = Object.keys(a.entries);
    return ka.length === Object.keys(b.entries).length && ka.every((k) => Object.hasOwn(b.entries, k) && deepEqual(a.entries[k], b.entries[k]));
  }
  if (a instanceof GoTyped) {
    if (!(b instanceof GoTyped) || a.goType !== b.goType) return false;
    const eq = (a as Partial<{ goEqual(o: GoTyped): boolean }>).goEqual;
    return eq ? eq.call(a, b) : a === b;
  }
  if (Array.isArray(b) || b instanceof GoTyped || !isGoMap(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
}

/** The integer inside a Go integer value (plain int or a sized GoInt). */
export function intValue(v: GoValue | undefined): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (v instanceof GoInt) return v.value;
  return undefined;
}

/** A Go int64 result (Sprig's integer math returns int64). */
export function int64Value(v: bigint): GoInt {
  return new GoInt('int64', BigInt.asIntN(64, v));
}
