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

export type GoValue = null | boolean | string | number | bigint | GoValue[] | GoMap | GoTyped;

export interface GoMap {
  [key: string]: GoValue;
}

/** A value whose Go type is not one of the JSON shapes. `goType` is what `%T` and `typeOf` print. */
export abstract class GoTyped {
  abstract readonly goType: string;
  /** What `{{ . }}` / `%v` prints. */
  abstract format(): string;
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
export function sortedKeys(m: GoMap): string[] {
  return Object.keys(m).sort(compareBytewise);
}

export function compareBytewise(a: string, b: string): number {
  if (a === b) return 0;
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return Buffer.compare(ab, bb);
}

/** Go's `%v` / default print formatting of a value. Engine owns the exact rules; this is the shared entry point. */
export function formatValue(v: GoValue): string {
  return formatter(v);
}

let formatter: (v: GoValue) => string = (v) => String(v);

/** The engine installs its exact Go formatter here at module load (avoids a cycle between value and printf). */
export function installFormatter(f: (v: GoValue) => string): void {
  formatter = f;
}
