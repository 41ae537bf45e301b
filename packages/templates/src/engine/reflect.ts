// What the executor holds while evaluating: Go's reflect.Value, reduced to what text/template observes.
//   - INVALID      the zero reflect.Value ("no value": a missing map key, nil data, an absent template argument)
//   - Iface(v)     a value read from an interface{} slot (list element, map value): `.Type()` is interface {},
//                  and Iface(null) is a nil interface, which printing turns into <no value>
//   - a GoValue    a concrete value (constants, function results, variables)
import { GoInt, GoMapOf, GoSlice, GoTyped, isGoMap, type GoValue } from '../value.js';
import { goTypeName } from './fmt.js';

export const INVALID: unique symbol = Symbol('invalid');
export type Invalid = typeof INVALID;

export class Iface {
  constructor(readonly v: GoValue) {}
}

export type RValue = GoValue | Iface | Invalid;

/** reflect.Value.Type().String() (for error messages); INVALID has none. */
export function rTypeName(v: RValue): string {
  if (v === INVALID) return '<invalid>';
  if (v instanceof Iface || v === null) return 'interface {}';
  return goTypeName(v);
}

/** indirectInterface: a nil interface becomes INVALID, a non-nil one its concrete value. */
export function indirectInterface(v: RValue): GoValue | Invalid {
  if (v instanceof Iface) return v.v === null ? INVALID : v.v;
  if (v === null) return INVALID;
  return v;
}

/** Value.Interface() for passing to an interface{} parameter: the concrete value, or nil. */
export function toGo(v: RValue): GoValue {
  if (v === INVALID) return null;
  if (v instanceof Iface) return v.v;
  return v;
}

export type Kind = 'invalid' | 'bool' | 'int' | 'uint' | 'float' | 'string' | 'slice' | 'map' | 'interface' | 'ptr';

export function kindOf(v: RValue): Kind {
  if (v === INVALID) return 'invalid';
  if (v instanceof Iface || v === null) return 'interface';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v) || v instanceof GoSlice) return 'slice';
  if (v instanceof GoInt) return v.goType.startsWith('u') ? 'uint' : 'int';
  if (v instanceof GoMapOf || isGoMap(v)) return 'map';
  return 'ptr';
}

/** Go's isTrue; ok=false never happens for the shapes of this model. */
export function isTrue(v: RValue): boolean {
  const c = indirectInterface(v);
  if (c === INVALID || c === null) return false;
  if (typeof c === 'boolean') return c;
  if (typeof c === 'string') return c.length > 0;
  if (typeof c === 'number') return c !== 0;
  if (typeof c === 'bigint') return c !== 0n;
  if (Array.isArray(c)) return c.length > 0;
  if (c instanceof GoSlice) return c.items.length > 0;
  if (c instanceof GoInt) return c.value !== 0n;
  if (c instanceof GoMapOf) return Object.keys(c.entries).length > 0;
  if (c instanceof GoTyped) return true;
  return Object.keys(c).length > 0;
}

/** The integer value of an int-kinded value (int, int64, uint8, ...), else undefined. */
export function intValue(v: GoValue | Invalid): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (v instanceof GoInt) return v.value;
  return undefined;
}
