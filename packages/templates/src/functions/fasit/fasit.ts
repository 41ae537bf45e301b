// Fasit's own template functions with the original Fasit's argument orders. Where a name
// clashes with Sprig (join, replace, quote, b64enc) the Fasit function wins in the Fasit set.
import { GoMapOf, GoSlice, GoTyped, isGoMap, type GoMap, type GoValue } from '../../value.js';
import { goQuote, goSprint } from '../sprig/go/fmt.js';
import { GoJsonError, goJsonMarshal, goJsonUnmarshal } from '../sprig/go/json.js';
import { mapGet, mapHas, mapSet, newMap } from '../sprig/go/maps.js';
import { deepEqual, sliceItems, typeOf } from '../sprig/go/reflect.js';
import { def, fail, str, stringSlice, type SpecMap } from '../sprig/spec.js';
import { goReplaceAll } from '../sprig/go/text.js';
import { toYamlV2 } from './yaml.js';
import { compareBytewise } from '../../value.js';

function listOf(name: string, v: GoValue | undefined): GoValue[] {
  const it = sliceItems(v ?? null);
  if (it === undefined) return fail(`${name}: expected slice or array, got ${typeOf(v ?? null)}`);
  return it;
}

function mapItems(name: string, v: GoValue | undefined): GoMap[] {
  return listOf(name, v).map((item, i) => {
    if (!isGoMap(item)) return fail(`${name}: item ${i} is ${typeOf(item)}, expected a map`);
    return item;
  });
}

/** fmt's %s of a value read from a map or list: strings as they are, nil as <nil>, other scalars %!s(type=value). */
function sprintS(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (v === null) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(sprintS).join(' ')}]`;
  if (v instanceof GoSlice) return `[${v.items.map(sprintS).join(' ')}]`;
  if (isGoMap(v))
    return `map[${Object.keys(v)
      .sort(compareBytewise)
      .map((k) => `${k}:${sprintS(v[k] ?? null)}`)
      .join(' ')}]`;
  if (v instanceof GoMapOf) return v.format();
  return `%!s(${typeOf(v)}=${goSprint(v)})`;
}

/** Go == on interface values: same dynamic type and value; maps and slices are not comparable. */
function goEquals(a: GoValue, b: GoValue, name: string): boolean {
  const uncomparable = (x: GoValue): boolean => Array.isArray(x) || x instanceof GoSlice || isGoMap(x) || x instanceof GoMapOf;
  if (typeOf(a) !== typeOf(b)) return false;
  if (uncomparable(a)) return fail(`${name}: runtime error: comparing uncomparable type ${typeOf(a)}`);
  if (a instanceof GoTyped) return deepEqual(a, b);
  return a === b;
}

function filterBy(name: string, key: GoValue | undefined, value: GoValue | undefined, list: GoValue | undefined, keep: boolean): GoValue[] {
  const k = str(key);
  return mapItems(name, list).filter((m) => goEquals(mapGet(m, k) ?? null, value ?? null, name) === keep);
}

export const fasitFunctions: SpecMap = {
  mapOf: def(
    'mapOf(keyField string, valueField string, listOfMaps interface{}) map[string]interface{}',
    'A map from item[keyField] to item[valueField] for each map in the list (items missing either are skipped).',
    ['{{ mapOf "name" "project_id" (list (dict "name" "dev" "project_id" "p1") (dict "name" "x")) }}', 'map[dev:p1]'],
    (kf, vf, list) => {
      const keyField = str(kf);
      const valueField = str(vf);
      const out = newMap();
      for (const m of mapItems('mapOf', list)) {
        if (!mapHas(m, keyField) || !mapHas(m, valueField)) continue;
        const key = mapGet(m, keyField) ?? null;
        if (typeof key !== 'string') return fail(`mapOf: interface conversion: interface {} is ${typeOf(key)}, not string`);
        mapSet(out, key, mapGet(m, valueField) ?? null);
      }
      return out;
    },
  ),
  mapJoin: def(
    'mapJoin(sep string, m interface{}) []string',
    'A list of `key + sep + value` strings, one per map entry, sorted by key.',
    ['{{ mapJoin "=" (dict "b" "2" "a" "1") }}', '[a=1 b=2]'],
    (sep, m) => {
      const s = str(sep);
      let entries: Record<string, GoValue>;
      if (isGoMap(m ?? null)) entries = m as GoMap;
      else if (m instanceof GoMapOf) entries = m.entries;
      else return fail(`mapJoin: expected map, got ${typeOf(m ?? null)}`);
      return stringSlice(
        Object.keys(entries)
          .sort(compareBytewise)
          .map((k) => `${k}${s}${sprintS(entries[k] ?? null)}`),
      );
    },
  ),
  environmentsAsMap: def(
    'environmentsAsMap(keyList string, envs interface{}) map[string]interface{}',
    'A map from each environment\'s name to a map of only the listed keys (comma separated); every item needs a non-empty "name".',
    ['{{ environmentsAsMap "project_id" (list (dict "name" "dev" "project_id" "p1" "x" 1)) | toJSON }}', '{"dev":{"project_id":"p1"}}'],
    (kl, envs) => {
      const keys = str(kl).split(',');
      const out = newMap();
      mapItems('environmentsAsMap', envs).forEach((env, i) => {
        const name = mapGet(env, 'name');
        if (typeof name !== 'string') {
          return fail(
            `environmentsAsMap: environment ${i} has ${name === undefined ? 'no "name"' : `a "name" of type ${typeOf(name)}`}; every item needs a string "name"`,
          );
        }
        if (name === '') return fail(`environmentsAsMap: environment ${i} has an empty "name"; every item needs a non-empty "name"`);
        const picked = newMap();
        for (const k of Object.keys(env)) if (keys.includes(k)) mapSet(picked, k, env[k] ?? null);
        mapSet(out, name, picked);
      });
      return out;
    },
  ),
  prefixedValues: def(
    'prefixedValues(m interface{}, prefix string) []interface{}',
    'The values of map entries whose key starts with prefix, sorted by their string form (a non-map gives [prefix]).',
    ['{{ prefixedValues (dict "db_b" "2" "db_a" "1" "x" "3") "db_" }}', '[1 2]'],
    (m, p) => {
      const prefix = str(p);
      const mm = m ?? null;
      if (!isGoMap(mm)) return [prefix];
      return Object.keys(mm)
        .filter((k) => k.startsWith(prefix))
        .map((k) => mm[k] ?? null)
        .sort((a, b) => compareBytewise(goSprint(a), goSprint(b)));
    },
  ),
  subdomain: def(
    'subdomain(ctx interface{}, sub string) string',
    '`sub.TENANT.cloud.nais.io` in the management environment, `sub.ENV.TENANT.cloud.nais.io` elsewhere; call as `subdomain . "x"`.',
    ['{{ subdomain (dict "Kind" "tenant" "Tenant" (dict "Name" "acme") "Env" (dict "name" "dev")) "console" }}', 'console.dev.acme.cloud.nais.io'],
    (ctx, sub) => {
      const c = ctx ?? null;
      if (!isGoMap(c)) return fail(`subdomain: expected the template's root context (.), got ${typeOf(c)}`);
      const tenant = mapGet(c, 'Tenant') ?? null;
      const tenantName = isGoMap(tenant) ? mapGet(tenant, 'Name') : undefined;
      if (typeof tenantName !== 'string') return fail('subdomain: the context has no .Tenant.Name');
      let domain = `${tenantName}.cloud.nais.io`;
      if (mapGet(c, 'Kind') !== 'management') {
        const env = mapGet(c, 'Env') ?? null;
        const envName = isGoMap(env) ? mapGet(env, 'name') : undefined;
        if (typeof envName !== 'string') return fail('subdomain: the context has no .Env.name');
        domain = `${envName}.${domain}`;
      }
      return `${str(sub)}.${domain}`;
    },
  ),
  eachOf: def(
    'eachOf(list interface{}, key string) []interface{}',
    'The value of key in each map of the list (maps without the key are skipped).',
    ['{{ eachOf (list (dict "name" "dev") (dict "name" "prod") (dict)) "name" }}', '[dev prod]'],
    (list, key) => {
      const k = str(key);
      return mapItems('eachOf', list)
        .filter((m) => mapHas(m, k))
        .map((m) => mapGet(m, k) ?? null);
    },
  ),
  toJSON: def('toJSON(v interface{}) string', 'Encodes a value as JSON (map keys sorted).', ['{{ toJSON (list "a" 1) }}', '["a",1]'], (v) => {
    try {
      return goJsonMarshal(v ?? null);
    } catch (e) {
      return fail((e as Error).message);
    }
  }),
  fromJSON: def(
    'fromJSON(s string) map[string]interface{}',
    'Decodes a JSON object into a map (anything but an object is an error).',
    ['{{ (fromJSON "{\\"a\\":1}").a }}', '1'],
    (s) => {
      let v: GoValue;
      try {
        v = goJsonUnmarshal(str(s));
      } catch (e) {
        if (e instanceof GoJsonError) return fail(e.message);
        throw e;
      }
      if (v === null) return newMap();
      if (!isGoMap(v))
        return fail(
          `json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : 'number'} into Go value of type map[string]interface {}`,
        );
      return v;
    },
  ),
  toYAML: def(
    'toYAML(v interface{}) string',
    'Encodes a value as YAML (block style, ends with a newline).',
    ['{{ toYAML (dict "a" (list 1 2)) }}', 'a:\n- 1\n- 2\n'],
    (v) => toYamlV2(v ?? null),
  ),
  join: def(
    'join(sep string, list interface{}) string',
    'Joins the items of a list with sep (each item printed with %v, so nil items print as `<nil>`); a non-list is an error.',
    ['{{ list "a" 1 | join "," }}', 'a,1'],
    (sep, list) => listOf('join', list).map(goSprint).join(str(sep)),
  ),
  filter: def(
    'filter(key string, value interface{}, listOfMaps interface{}) []interface{}',
    'The maps in the list whose item[key] equals value (same type and value).',
    ['{{ eachOf (filter "kind" "tenant" (list (dict "name" "dev" "kind" "tenant") (dict "name" "mgmt" "kind" "management"))) "name" }}', '[dev]'],
    (key, value, list) => filterBy('filter', key, value, list, true),
  ),
  exclude: def(
    'exclude(key string, value interface{}, listOfMaps interface{}) []interface{}',
    'The maps in the list whose item[key] does not equal value.',
    ['{{ eachOf (exclude "kind" "tenant" (list (dict "name" "dev" "kind" "tenant") (dict "name" "mgmt" "kind" "management"))) "name" }}', '[mgmt]'],
    (key, value, list) => filterBy('exclude', key, value, list, false),
  ),
  replace: def(
    'replace(s string, old string, new string) string',
    'Replaces every old in s with new. Note the order: `replace .Env.name "-gcp" ""` (not Sprig\'s `replace old new s`).',
    ['{{ replace "prod-gcp" "-gcp" "" }}', 'prod'],
    (s, o, n) => goReplaceAll(str(s), str(o), str(n)),
  ),
  b64enc: def(
    'b64enc(v interface{}) string',
    'Base64 of a string; nil gives "" (any other type is an error).',
    ['{{ b64enc "hello" }}|{{ b64enc nil }}', 'aGVsbG8=|'],
    (v) => {
      if (v === null || v === undefined) return '';
      if (typeof v !== 'string') return fail('expected string to b64enc');
      return Buffer.from(v, 'utf8').toString('base64');
    },
  ),
  quote: def(
    'quote(v interface{}) string',
    'The value as a double-quoted Go string literal (strconv.Quote); nil gives "" (other types are quoted in their %v form).',
    ['{{ quote "a\\"b" }}|{{ quote nil }}', '"a\\"b"|'],
    (v) => {
      if (v === null || v === undefined) return '';
      return goQuote(typeof v === 'string' ? v : goSprint(v));
    },
  ),
};
