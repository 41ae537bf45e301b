// A computed value's template output is parsed as YAML, as the original does with gopkg.in/yaml.v2 unmarshalling
// into interface{}. yaml.v2 resolves plain scalars by YAML 1.1 rules, so this schema does the same (on top of
// js-yaml's failsafe schema: strings, sequences, mappings):
//
//   null   ``, `~`, `null`, `Null`, `NULL`
//   bool   `true/True/TRUE`, `false/...`, `yes/Yes/YES`, `no/...`, `on/...`, `off/...`, `y/Y`, `n/N`
//   int    Go's strconv.ParseInt(s, 0, 64) after dropping `_`: `12`, `+3`, `-0x1F`, `0o17`, `0755` (octal), `0b101`
//   float  `1.5`, `1e3`, `.5`, `08` (not an octal int)... and `.inf`, `-.Inf`, `.nan`
//   string everything else, timestamps included (yaml.v2 keeps a timestamp-looking scalar a string in interface{})
//
// Quoted scalars are always strings. `<<` merge keys work. Duplicate keys: the last wins (as yaml.v2 does).
// An empty output (or only comments) is null. Only the first document counts.
import yaml from 'js-yaml';

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSES = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const INFS = new Set(['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']);
const NEG_INFS = new Set(['-.inf', '-.Inf', '-.INF']);
const NANS = new Set(['.nan', '.NaN', '.NAN']);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's strconv.ParseInt(s, 0, 64) (and ParseUint as yaml.v2 falls back to it); undefined when it fails. */
export function parseGoInt(text: string): bigint | undefined {
  let s = text;
  let negative = false;
  if (s.startsWith('+') || s.startsWith('-')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  let digits: string;
  let radix: number;
  if (/^0[xX]/.test(s)) [digits, radix] = [s.slice(2), 16];
  else if (/^0[oO]/.test(s)) [digits, radix] = [s.slice(2), 8];
  else if (/^0[bB]/.test(s)) [digits, radix] = [s.slice(2), 2];
  else if (s.length > 1 && s.startsWith('0')) [digits, radix] = [s.slice(1), 8];
  else [digits, radix] = [s, 10];
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[radix as 2 | 8 | 10 | 16];
  if (!valid.test(digits)) return undefined;
  let value = 0n;
  for (const ch of digits) value = value * BigInt(radix) + BigInt(parseInt(ch, radix));
  if (negative) value = -value;
  if (value < INT64_MIN || value > UINT64_MAX) return undefined;
  return value;
}

function resolveScalar(raw: string): { ok: true; value: unknown } | { ok: false } {
  if (NULLS.has(raw)) return { ok: true, value: null };
  if (TRUES.has(raw)) return { ok: true, value: true };
  if (FALSES.has(raw)) return { ok: true, value: false };
  const first = raw[0];
  if (first !== undefined && '+-.0123456789'.includes(first)) {
    const plain = raw.replaceAll('_', '');
    const asInt = parseGoInt(plain);
    if (asInt !== undefined) return { ok: true, value: Number(asInt) };
    if (YAML_FLOAT.test(plain)) return { ok: true, value: Number.parseFloat(plain) };
    if (INFS.has(raw)) return { ok: true, value: Number.POSITIVE_INFINITY };
    if (NEG_INFS.has(raw)) return { ok: true, value: Number.NEGATIVE_INFINITY };
    if (NANS.has(raw)) return { ok: true, value: Number.NaN };
  }
  return { ok: false };
}

const nullType = new yaml.Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: string | null) => data === null || NULLS.has(data),
  construct: () => null,
});
const boolType = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && (TRUES.has(data) || FALSES.has(data)),
  construct: (data: string) => TRUES.has(data),
});
const intType = new yaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && /^[-+0-9]/.test(data) && parseGoInt(data.replaceAll('_', '')) !== undefined,
  construct: (data: string) => Number(parseGoInt(data.replaceAll('_', '')) ?? 0n),
});
const floatType = new yaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string | null) => {
    if (data === null) return false;
    const r = resolveScalar(data);
    return r.ok && typeof r.value === 'number';
  },
  construct: (data: string) => {
    const r = resolveScalar(data);
    return r.ok ? r.value : Number.NaN;
  },
});

// `<<` merge keys (js-yaml applies a merge when the key resolves to this tag)
const mergeType = new yaml.Type('tag:yaml.org,2002:merge', {
  kind: 'scalar',
  resolve: (data: string | null) => data === '<<' || data === null,
});

/** YAML 1.1 scalar resolution as yaml.v2 does it. Order matters: null, bool, int, then float. */
export const YAML_V2_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
  implicit: [nullType, boolType, intType, floatType, mergeType],
});

/** Parses a template's output as yaml.v2 would. Throws the YAML error (message starts with `yaml: `). */
export function parseTemplateOutput(text: string): unknown {
  return parseYamlV2(text);
}

/** A single-line plain scalar that needs no YAML parser: letters, digits and `_./@+-`, not starting like an indicator
 * (nor `...`, the document end marker). */
const SIMPLE_PLAIN = /^(?:[A-Za-z0-9_]|[-+.][0-9.])[A-Za-z0-9_./@+-]*$/;
/** A double-quoted string without escapes or line breaks. */
const SIMPLE_QUOTED = /^"[^"\\\n\r]*"$/;

/** Parses YAML as Go's gopkg.in/yaml.v2 does into interface{} (YAML 1.1 scalars, timestamps stay strings). */
export function parseYamlV2(text: string): unknown {
  // fast paths for the outputs most templates produce: `"some string"`, `true`, `3`, `name`
  const trimmed = trimSpacesAndNewlines(text);
  if (SIMPLE_QUOTED.test(trimmed)) return trimmed.slice(1, -1);
  if (trimmed === '' || (SIMPLE_PLAIN.test(trimmed) && !trimmed.startsWith('...'))) {
    const r = resolveScalar(trimmed);
    return r.ok ? r.value : trimmed;
  }
  return parseYamlV2Slow(text);
}

function trimSpacesAndNewlines(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === ' ' || text[start] === '\n')) start++;
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\n')) end--;
  return text.slice(start, end);
}

/** The full js-yaml parse with the yaml.v2 schema (exported for tests comparing it with the fast paths). */
export function parseYamlV2Slow(text: string): unknown {
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text, null, { schema: YAML_V2_SCHEMA, json: true });
  } catch (e) {
    const reason = e instanceof yaml.YAMLException ? (e.reason ?? e.message) : e instanceof Error ? e.message : String(e);
    const line = e instanceof yaml.YAMLException && e.mark !== undefined ? `line ${e.mark.line + 1}: ` : '';
    throw new Error(`yaml: ${line}${reason}`);
  }
  // js-yaml builds plain objects (a "__proto__" key stays an own entry) with string keys
  const doc = docs[0] ?? null;
  // Aliases share nodes: expand them into a tree (as yaml.v2 does), refusing a node that contains itself and a
  // "billion laughs" document whose expansion is out of proportion to its size.
  return text.includes('*') ? expandAliases(doc, MAX_EXPANSION_FACTOR * text.length + 10_000) : doc;
}

/** An aliased document may expand to at most this many nodes per byte of text. */
export const MAX_EXPANSION_FACTOR = 100;

function expandAliases(root: unknown, limit: number): unknown {
  let visits = 0;
  const path = new Set<object>();
  const copy = (v: unknown): unknown => {
    if (++visits > limit) throw new Error('yaml: document contains excessive aliasing');
    if (v === null || typeof v !== 'object') return v;
    if (path.has(v)) throw new Error('yaml: anchor value contains itself');
    path.add(v);
    try {
      if (Array.isArray(v)) return v.map(copy);
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        Object.defineProperty(out, k, { value: copy(x), enumerable: true, writable: true, configurable: true });
      }
      return out;
    } finally {
      path.delete(v);
    }
  };
  return copy(root);
}
