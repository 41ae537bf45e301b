// Sprig reflection functions (reflect.go) and deepEqual.
import { deepEqual, kindOf, typeOf } from './go/reflect.js';
import { def, str, type SpecMap } from './spec.js';

export const reflectionFunctions: SpecMap = {
  typeOf: def('typeOf(src interface{}) string', "The value's Go type (%T).", ['{{ typeOf 1.5 }} {{ typeOf (list) }}', 'float64 []interface {}'], (v) =>
    typeOf(v ?? null),
  ),
  typeIs: def(
    'typeIs(target string, src interface{}) bool',
    'Whether the Go type of src is target.',
    ['{{ typeIs "string" "x" }}', 'true'],
    (t, v) => str(t) === typeOf(v ?? null),
  ),
  typeIsLike: def(
    'typeIsLike(target string, src interface{}) bool',
    'Like typeIs, also accepting a pointer to target.',
    ['{{ typeIsLike "semver.Version" (semver "1.0.0") }}', 'true'],
    (t, v) => {
      const ty = typeOf(v ?? null);
      return str(t) === ty || `*${str(t)}` === ty;
    },
  ),
  kindOf: def(
    'kindOf(src interface{}) string',
    'The reflect kind of a value: string, float64, int, bool, slice, map, ptr, invalid (nil).',
    ['{{ kindOf (list) }} {{ kindOf 3 }}', 'slice int'],
    (v) => kindOf(v ?? null),
  ),
  kindIs: def(
    'kindIs(target string, src interface{}) bool',
    'Whether kindOf src is target.',
    ['{{ kindIs "map" (dict) }}', 'true'],
    (t, v) => str(t) === kindOf(v ?? null),
  ),
  deepEqual: def(
    'deepEqual(x interface{}, y interface{}) bool',
    'reflect.DeepEqual: same types and contents (1 and 1.0 differ).',
    ['{{ deepEqual (list 1 2) (list 1 2) }}', 'true'],
    (a, b) => deepEqual(a ?? null, b ?? null),
  ),
};
