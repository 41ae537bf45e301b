// The Go value model shared by the engine and every template function.
//
// Templates run over JSON data decoded the way Go's encoding/json does it, and Go's text/template semantics
// depend on the dynamic Go type of each value (an int constant is not a float64, `printf "%d"` of a float64
// prints `%!d(float64=3)`). So every value a template sees is one of these JavaScript shapes:
//
//   Go                         JavaScript
//   nil                        null                 (undefined never appears inside the engine)
//   bool                       boolean
//   string                     string
//   float64 (every JSON number) number
//   int / int64 / rune          bigint              (template constants `2`, `'a'`, results of len, add, ...)
//   []interface{}              GoValue[]            (plain Array)
//   map[string]interface{}     GoMap                (plain object, own enumerable string keys)
//   any other Go type          GoTyped              (e.g. []string, semver.Version, []byte): carries its Go type name
//
// Maps print and iterate in Go's byte-wise sorted key order (see `sortedKeys`).

import type { GoFunction } from './functions/signature.js';

export type GoValue = null | boolean | string | number | bigint | GoValue[] | GoMap | GoTyped;

export interface GoMap {
  [key: string]: GoValue;
}

/** A value whose Go type is not one of the JSON shapes. `goType` is what `%T` and `typeOf` print. */
export abstract class GoTyped {
  abstract readonly goType: string;
  /** What `{{ . }}` / `%v` prints. */
  abstract format(): string;
  /**
   * An exported Go method callable from a template as `(x).Name arg...` (e.g. semver's `.Compare`, `.Major`).
   * The receiver is already bound. Default: no methods, so `.Name` is "can't evaluate field Name".
   */
  method(_name: string): GoFunction | undefined {
    return undefined;
  }
}

/** Go integer types other than plain `int` (which is a bare bigint). */
export type GoIntType = 'int64' | 'int32' | 'int16' | 'int8' | 'uint' | 'uint64' | 'uint32' | 'uint16' | 'uint8';

/**
 * A Go integer of a sized type, e.g. the int64 that Sprig's `add`, `int64`, `max` return. Prints like an int,
 * compares with ints (`eq (add 1 2) 3` is true), but like Go it is not assignable to an `int` parameter.
 */
export class GoInt extends GoTyped {
  constructor(
    readonly goType: GoIntType,
    readonly value: bigint,
  ) {
    super();
  }
  format(): string {
    return this.value.toString();
  }
}

/**
 * A Go map with string keys and a concrete element type, e.g. map[string]string from Sprig's `split`.
 * Field access, `index`, `range`, `len` work as on a map; a missing key reads as `zero` (the element type's zero).
 */
export class GoMapOf extends GoTyped {
  constructor(
    readonly elemType: string,
    readonly entries: Readonly<Record<string, GoValue>>,
    readonly zero: GoValue,
  ) {
    super();
  }
  get goType(): string {
    return `map[string]${this.elemType}`;
  }
  format(): string {
    return `map[${sortedKeys(this.entries)
      .map((k) => `${k}:${formatValue(this.entries[k] ?? null)}`)
      .join(' ')}]`;
  }
}

/** A Go slice of a concrete element type such as []string: prints like a list, reports its own type. */
export class GoSlice extends GoTyped {
  constructor(
    readonly elemType: string,
    readonly items: GoValue[],
  ) {
    super();
  }
  get goType(): string {
    return `[]${this.elemType}`;
  }
  format(): string {
    return `[${this.items.map((v) => formatValue(v)).join(' ')}]`;
  }
}

export function isGoMap(v: GoValue | undefined): v is GoMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoTyped);
}

/** Go sorts map[string] keys by bytes (UTF-8), which differs from UTF-16 order outside the BMP. */
export function sortedKeys(m: GoMap | Readonly<Record<string, GoValue>>): string[] {
  return Object.keys(m).sort(compareBytewise);
}

export function compareBytewise(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // UTF-8 byte order is code point order. UTF-16 code units follow it too, except that surrogates (which
      // encode code points above U+FFFF) sort below U+E000..U+FFFF.
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs === ys) return x < y ? -1 : 1;
      return xs ? 1 : -1;
    }
  }
  return a.length < b.length ? -1 : 1;
}

/** Go's `%v` / default print formatting of a value. Engine owns the exact rules; this is the shared entry point. */
export function formatValue(v: GoValue): string {
  return formatter(v);
}

// Replaced by the engine's Go formatter as soon as the engine module loads.
let formatter: (v: GoValue) => string = (v) => (v instanceof GoTyped ? v.format() : typeof v === 'object' && v !== null ? JSON.stringify(v) : `${v}`);

/** The engine installs its exact Go formatter here at module load (avoids a cycle between value and printf). */
export function installFormatter(f: (v: GoValue) => string): void {
  formatter = f;
}
