// Sprig dict functions (dict.go): map[string]interface{} values are plain objects, mutated in place by set,
// unset and merge exactly as Go mutates the map it was given.
import { GoMapOf, GoSlice, GoTyped, compareBytewise, isGoMap, type GoMap, type GoValue } from '../../value.js';
import { strval } from './go/fmt.js';
import { mapDelete, mapGet, mapHas, mapSet, newMap } from './go/maps.js';
import { isEmpty, typeOf } from './go/reflect.js';
import { alias, def, fail, map, str, stringSlice, type SpecMap } from './spec.js';

function needMap(v: GoValue | undefined): GoMap {
  const m = map(v);
  if (m === null) return fail('assignment to entry in nil map');
  return m;
}

/** mergo 0.3.x deepMerge of map[string]interface{} values (what Sprig's merge/mergeOverwrite do). */
function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const key of Object.keys(src)) {
    const s = src[key] ?? null;
    const has = mapHas(dst, key);
    const d = has ? (mapGet(dst, key) ?? null) : undefined;
    if (s === null) {
      if (overwrite) mapSet(dst, key, null);
      continue;
    }
    const srcIsMap = isGoMap(s);
    const srcIsSlice = Array.isArray(s) || s instanceof GoSlice;
    if (srcIsMap && d !== undefined && d !== null && isGoMap(d)) mergeInto(d, s, overwrite);
    // mergo's slice branch stores the source slice first when overwriting
    if (srcIsSlice && overwrite) mapSet(dst, key, s);
    if (d !== undefined && !isEmpty(d) && (srcIsMap || srcIsSlice)) continue;
    if (overwrite || d === undefined || isEmpty(d)) mapSet(dst, key, s);
  }
}

function merge(dst: GoValue | undefined, srcs: GoValue[], overwrite: boolean): GoValue {
  const d = map(dst) ?? newMap();
  for (const s of srcs) {
    const src = map(s);
    if (src) mergeInto(d, src, overwrite);
  }
  return d;
}

/** copystructure.Copy for template values. */
export function deepCopy(v: GoValue): GoValue {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(deepCopy);
  if (v instanceof GoSlice) return new GoSlice(v.elemType, v.items.map(deepCopy));
  if (v instanceof GoMapOf) {
    const e = newMap();
    for (const k of Object.keys(v.entries)) mapSet(e, k, deepCopy(v.entries[k] ?? null));
    return new GoMapOf(v.elemType, e, v.zero);
  }
  if (v instanceof GoTyped) return v;
  const out = newMap();
  for (const k of Object.keys(v)) mapSet(out, k, deepCopy(v[k] ?? null));
  return out;
}

function digFromDict(dict: GoMap, d: GoValue, ks: string[]): GoValue {
  const [k, ...ns] = ks as [string, ...string[]];
  if (!mapHas(dict, k)) return d;
  const step = mapGet(dict, k) ?? null;
  if (ns.length === 0) return step;
  if (!isGoMap(step)) return fail(`interface conversion: interface {} is ${typeOf(step)}, not map[string]interface {}`);
  return digFromDict(step, d, ns);
}

const mergeSpec = def(
  'merge(dst map[string]interface{}, srcs ...map[string]interface{}) interface{}',
  'Deep-merges srcs into dst (mutating dst); values already set in dst win, empty ones ("", 0, false) are filled.',
  ['{{ merge (dict "a" 1 "b" (dict "x" 1)) (dict "a" 2 "b" (dict "y" 2)) | toJson }}', '{"a":1,"b":{"x":1,"y":2}}'],
  (dst, ...srcs) => merge(dst, srcs, false),
);

const mergeOverwriteSpec = def(
  'mergeOverwrite(dst map[string]interface{}, srcs ...map[string]interface{}) interface{}',
  'Deep-merges srcs into dst (mutating dst); source values win, even empty ones; nested maps are merged.',
  ['{{ mergeOverwrite (dict "a" 1 "n" (dict "x" 1 "y" 2)) (dict "a" 2 "n" (dict "y" 3)) | toJson }}', '{"a":2,"n":{"x":1,"y":3}}'],
  (dst, ...srcs) => merge(dst, srcs, true),
);

const deepCopySpec = def(
  'deepCopy(i interface{}) interface{}',
  'A deep copy of a value (maps and lists copied recursively).',
  ['{{ $c := deepCopy (dict "a" 1) }}{{ $_ := set $c "a" 2 }}{{ $c.a }}', '2'],
  (v) => {
    if (v === null || v === undefined) return fail('reflect: call of reflect.Value.Type on zero Value');
    return deepCopy(v);
  },
);

export const dictFunctions: SpecMap = {
  dict: def(
    'dict(v ...interface{}) map[string]interface{}',
    'Makes a map from key/value pairs (keys converted to strings; a missing last value is "").',
    ['{{ dict "a" 1 "b" "x" }}', 'map[a:1 b:x]'],
    (...vs) => {
      const m = newMap();
      for (let i = 0; i < vs.length; i += 2) mapSet(m, strval(vs[i] ?? null), i + 1 < vs.length ? (vs[i + 1] ?? null) : '');
      return m;
    },
  ),
  get: def(
    'get(d map[string]interface{}, key string) interface{}',
    'The value at key, or "" when the key is missing.',
    ['{{ get (dict "a" 1) "a" }}|{{ get (dict "a" 1) "b" }}', '1|'],
    (d, k) => {
      const m = map(d);
      const key = str(k);
      return m && mapHas(m, key) ? (mapGet(m, key) ?? null) : '';
    },
  ),
  set: def(
    'set(d map[string]interface{}, key string, value interface{}) map[string]interface{}',
    'Sets key in the map (mutating it) and returns the map.',
    ['{{ $d := dict }}{{ $_ := set $d "a" 1 }}{{ $d.a }}', '1'],
    (d, k, v) => {
      const m = needMap(d);
      mapSet(m, str(k), v ?? null);
      return m;
    },
  ),
  unset: def(
    'unset(d map[string]interface{}, key string) map[string]interface{}',
    'Deletes key from the map (mutating it) and returns the map.',
    ['{{ $d := dict "a" 1 "b" 2 }}{{ $_ := unset $d "a" }}{{ keys $d }}', '[b]'],
    (d, k) => {
      const m = map(d);
      if (m) mapDelete(m, str(k));
      return m ?? newMap();
    },
  ),
  hasKey: def(
    'hasKey(d map[string]interface{}, key string) bool',
    'Whether the map has key (even with a nil value).',
    ['{{ hasKey (dict "a" nil) "a" }}', 'true'],
    (d, k) => {
      const m = map(d);
      return m !== null && mapHas(m, str(k));
    },
  ),
  pluck: def(
    'pluck(key string, d ...map[string]interface{}) []interface{}',
    'The values of key in each map that has it.',
    ['{{ pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) }}', '[1 3]'],
    (k, ...ds) => {
      const key = str(k);
      const out: GoValue[] = [];
      for (const d of ds) {
        const m = map(d);
        if (m && mapHas(m, key)) out.push(mapGet(m, key) ?? null);
      }
      return out;
    },
  ),
  keys: def(
    'keys(dicts ...map[string]interface{}) []string',
    'The keys of one or more maps (Go returns them in random order; here sorted per map — use sortAlpha to be portable).',
    ['{{ keys (dict "b" 1 "a" 2) | sortAlpha }}', '[a b]'],
    (...ds) => stringSlice(ds.flatMap((d) => Object.keys(map(d) ?? {}).sort(compareBytewise))),
  ),
  pick: def(
    'pick(dict map[string]interface{}, keys ...string) map[string]interface{}',
    'A new map with only the given keys.',
    ['{{ pick (dict "a" 1 "b" 2 "c" 3) "a" "c" }}', 'map[a:1 c:3]'],
    (d, ...ks) => {
      const m = map(d);
      const out = newMap();
      for (const k of ks) if (m && mapHas(m, str(k))) mapSet(out, str(k), mapGet(m, str(k)) ?? null);
      return out;
    },
  ),
  omit: def(
    'omit(dict map[string]interface{}, keys ...string) map[string]interface{}',
    'A new map without the given keys.',
    ['{{ omit (dict "a" 1 "b" 2 "c" 3) "a" "c" }}', 'map[b:2]'],
    (d, ...ks) => {
      const m = map(d);
      const drop = new Set(ks.map((k) => str(k)));
      const out = newMap();
      if (m) for (const k of Object.keys(m)) if (!drop.has(k)) mapSet(out, k, m[k] ?? null);
      return out;
    },
  ),
  merge: mergeSpec,
  mustMerge: alias(mergeSpec, 'mustMerge', 'Like merge, returning an error instead of panicking.'),
  mergeOverwrite: mergeOverwriteSpec,
  mustMergeOverwrite: alias(mergeOverwriteSpec, 'mustMergeOverwrite', 'Like mergeOverwrite, returning an error instead of panicking.'),
  values: def(
    'values(dict map[string]interface{}) []interface{}',
    'The values of a map (random order in Go; here in key order — sort to be portable).',
    ['{{ values (dict "a" 1 "b" 2) }}', '[1 2]'],
    (d) => {
      const m = map(d) ?? {};
      return Object.keys(m)
        .sort(compareBytewise)
        .map((k) => m[k] ?? null);
    },
  ),
  deepCopy: deepCopySpec,
  mustDeepCopy: alias(deepCopySpec, 'mustDeepCopy', 'Like deepCopy, returning an error instead of panicking.'),
  dig: def(
    'dig(ps ...interface{}) interface{}',
    'Walks nested maps by keys: `dig "a" "b" "default" $map`; the default when a key is missing.',
    ['{{ dig "image" "tag" "latest" (dict "image" (dict "tag" "1.2")) }}', '1.2'],
    (...ps) => {
      if (ps.length < 3) return fail('dig needs at least three arguments');
      const last = ps[ps.length - 1] ?? null;
      if (!isGoMap(last)) return fail(`interface conversion: interface {} is ${typeOf(last)}, not map[string]interface {}`);
      const ks = ps.slice(0, -2).map((k) => {
        if (typeof k !== 'string') return fail(`interface conversion: interface {} is ${typeOf(k ?? null)}, not string`);
        return k;
      });
      return digFromDict(last, ps[ps.length - 2] ?? null, ks);
    },
  ),
};
