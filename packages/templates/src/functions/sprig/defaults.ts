// Sprig defaults.go: default/empty/coalesce/all/any/ternary, the JSON helpers, and `fail` (flow control).
import type { GoValue } from '../../value.js';
import { goJsonDecode, goJsonMarshal, goJsonUnmarshal } from './go/json.js';
import { isEmpty } from './go/reflect.js';
import { alias, bool, def, fail, str, type SpecMap } from './spec.js';

function marshal(v: GoValue, opts: { indent?: string; escapeHTML?: boolean }, must: boolean): string {
  try {
    return goJsonMarshal(v, opts);
  } catch (e) {
    if (must) return fail((e as Error).message);
    return '';
  }
}

const toJson = def(
  'toJson(v interface{}) string',
  'Encodes a value as JSON (map keys sorted; "" when it cannot be encoded).',
  ['{{ toJson (dict "b" 1.5 "a" (list true nil)) }}', '{"a":[true,null],"b":1.5}'],
  (v) => marshal(v ?? null, {}, false),
);
const toPrettyJson = def(
  'toPrettyJson(v interface{}) string',
  'Encodes a value as indented JSON (two spaces).',
  ['{{ toPrettyJson (dict "a" 1) }}', '{\n  "a": 1\n}'],
  (v) => marshal(v ?? null, { indent: '  ' }, false),
);
const toRawJson = def(
  'toRawJson(v interface{}) string',
  'Encodes a value as JSON without escaping <, > and &.',
  ['{{ toRawJson (dict "q" "a<b") }}', '{"q":"a<b"}'],
  (v) => marshal(v ?? null, { escapeHTML: false }, false),
);

export const defaultFunctions: SpecMap = {
  default: def(
    'default(d interface{}, given ...interface{}) interface{}',
    'given when it is set and not empty, otherwise d (`.x | default "y"`).',
    ['{{ "" | default "fallback" }}|{{ 0 | default 3 }}', 'fallback|3'],
    (d, ...given) => (given.length === 0 || isEmpty(given[0]) ? (d ?? null) : (given[0] ?? null)),
  ),
  empty: def(
    'empty(given interface{}) bool',
    'Whether a value is empty: nil, false, 0, "", or an empty list or map.',
    ['{{ empty "" }} {{ empty (list 1) }}', 'true false'],
    (v) => isEmpty(v),
  ),
  coalesce: def(
    'coalesce(v ...interface{}) interface{}',
    'The first non-empty argument (nil if all are empty).',
    ['{{ coalesce 0 "" "x" }}', 'x'],
    (...vs) => vs.find((v) => !isEmpty(v)) ?? null,
  ),
  all: def('all(v ...interface{}) bool', 'Whether every argument is non-empty.', ['{{ all 1 "a" true }}', 'true'], (...vs) => vs.every((v) => !isEmpty(v))),
  any: def('any(v ...interface{}) bool', 'Whether some argument is non-empty.', ['{{ any 0 "" "a" }}', 'true'], (...vs) => vs.some((v) => !isEmpty(v))),
  ternary: def(
    'ternary(vt interface{}, vf interface{}, v bool) interface{}',
    'vt if v is true, else vf (`cond | ternary "yes" "no"`).',
    ['{{ true | ternary "yes" "no" }}', 'yes'],
    (vt, vf, v) => (bool(v) ? (vt ?? null) : (vf ?? null)),
  ),
  fromJson: def(
    'fromJson(v string) interface{}',
    'Decodes JSON (numbers become float64); nil when the input is not valid JSON.',
    ['{{ (fromJson "{\\"a\\":[1,2]}").a }}', '[1 2]'],
    (v) => goJsonDecode(str(v)).value,
  ),
  mustFromJson: def('mustFromJson(v string) interface{}', 'Like fromJson, but invalid JSON is an error.', ['{{ mustFromJson "[1]" }}', '[1]'], (v) => {
    try {
      return goJsonUnmarshal(str(v));
    } catch (e) {
      return fail((e as Error).message);
    }
  }),
  toJson,
  mustToJson: { ...alias(toJson, 'mustToJson', 'Like toJson, but a value that cannot be encoded is an error.'), fn: (v) => marshal(v ?? null, {}, true) },
  toPrettyJson,
  mustToPrettyJson: {
    ...alias(toPrettyJson, 'mustToPrettyJson', 'Like toPrettyJson, but a value that cannot be encoded is an error.'),
    fn: (v) => marshal(v ?? null, { indent: '  ' }, true),
  },
  toRawJson,
  mustToRawJson: {
    ...alias(toRawJson, 'mustToRawJson', 'Like toRawJson, but a value that cannot be encoded is an error.'),
    fn: (v) => marshal(v ?? null, { escapeHTML: false }, true),
  },
  fail: def('fail(msg string) string', 'Stops rendering with an error carrying msg.', ['{{ if false }}{{ fail "unsupported" }}{{ end }}ok', 'ok'], (m) =>
    fail(str(m)),
  ),
};
