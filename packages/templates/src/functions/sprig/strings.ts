// Sprig string functions (strings.go and the string entries of functions.go in Sprig 3.2.3).
import { GoMapOf, compareBytewise, type GoValue } from '../../value.js';
import { goQuote, goSprint, strslice, strval } from './go/fmt.js';
import { newMap, mapSet } from './go/maps.js';
import { sliceItems } from './go/reflect.js';
import {
  abbreviateFull,
  deleteWhiteSpace,
  goRepeat,
  goReplaceAll,
  goSplitN,
  goTitle,
  goToLower,
  goToUpper,
  initials,
  swapCase,
  toCamelCase,
  toKebabCase,
  toSnakeCase,
  trimCutset,
  trimSpace,
  uncapitalize,
  wrapCustom,
} from './go/text.js';
import { byteLen, byteSlice } from './go/unicode.js';
import { alias, def, fail, int, str, stringSlice, toIndex, type SpecMap } from './spec.js';

function repeat(count: number, s: string): string {
  try {
    return goRepeat(s, count);
  } catch (e) {
    return fail((e as Error).message);
  }
}

function splitMap(parts: string[]): GoValue {
  const m = newMap();
  parts.forEach((p, i) => mapSet(m, `_${i}`, p));
  return new GoMapOf('string', m, '');
}

function sliceBounds(a: number, b: number, len: number): never {
  if (b > len || b < 0) return fail(`runtime error: slice bounds out of range [:${b}] with length ${len}`);
  return fail(`runtime error: slice bounds out of range [${a}:${b}]`);
}

/** Sprig's substring: s[:end] when start < 0, s[start:] when end < 0 or past the end, else s[start:end]. */
function substring(start: number, end: number, s: string): string {
  const len = byteLen(s);
  if (start < 0) {
    if (end < 0 || end > len) sliceBounds(0, end, len);
    return byteSlice(s, 0, end);
  }
  if (end < 0 || end > len) {
    if (start > len) fail(`runtime error: slice bounds out of range [${start}:${len}]`);
    return byteSlice(s, start);
  }
  if (start > end) sliceBounds(start, end, len);
  return byteSlice(s, start, end);
}

const trimAll = def(
  'trimAll(cutset string, s string) string',
  'Removes every leading and trailing character of s that appears in cutset (strings.Trim, arguments swapped for pipelines).',
  ['{{ "$$5$" | trimAll "$" }}', '5'],
  (a, b) => trimCutset(str(b), str(a)),
);

const join = def(
  'join(sep string, v interface{}) string',
  'Joins the items of a list with sep; items go through toString and nil items are dropped (a non-list becomes one item).',
  ['{{ join "-" (list 1 2.5 "x") }}', '1-2.5-x'],
  (sep, v) => strslice(v ?? null).join(str(sep)),
);

const quote = def(
  'quote(str ...interface{}) string',
  'Wraps each non-nil argument in double quotes with Go escaping (%q of its string form) and joins them with spaces.',
  ['{{ quote "say \\"hi\\"" }}', '"say \\"hi\\""'],
  (...vs) =>
    vs
      .filter((v) => v !== null)
      .map((v) => goQuote(strval(v)))
      .join(' '),
);

const replace = def(
  'replace(old string, new string, src string) string',
  'Replaces every occurrence of old in src with new (Sprig order, so it pipes: `s | replace "a" "b"`).',
  ['{{ "a-b-c" | replace "-" "_" }}', 'a_b_c'],
  (o, n, s) => goReplaceAll(str(s), str(o), str(n)),
);

export const stringFunctions: SpecMap = {
  hello: def('hello() string', 'Returns "Hello!" (a Sprig test helper).', ['{{ hello }}', 'Hello!'], () => 'Hello!'),
  abbrev: def(
    'abbrev(width int, s string) string',
    'Truncates s to width bytes with a trailing "..." (unchanged when width < 4 or s fits).',
    ['{{ abbrev 5 "hello world" }}', 'he...'],
    (w, s) => {
      const width = toIndex(int(w));
      if (width < 4) return str(s);
      return abbreviateFull(str(s), 0, width) ?? '';
    },
  ),
  abbrevboth: def(
    'abbrevboth(left int, right int, s string) string',
    'Abbreviates s on both sides: keeps text from offset left, at most right bytes wide, marking cuts with "...".',
    ['{{ abbrevboth 5 10 "1234 5678 9123" }}', '...5678...'],
    (l, r, s) => {
      const left = toIndex(int(l));
      const right = toIndex(int(r));
      if (right < 4 || (left > 0 && right < 7)) return str(s);
      return abbreviateFull(str(s), left, right) ?? '';
    },
  ),
  trunc: def(
    'trunc(c int, s string) string',
    'Keeps the first c bytes of s; a negative c keeps the last -c bytes.',
    ['{{ trunc 5 "hello world" }}|{{ trunc -5 "hello world" }}', 'hello|world'],
    (cv, sv) => {
      const c = toIndex(int(cv));
      const s = str(sv);
      const len = byteLen(s);
      if (c < 0 && len + c > 0) return byteSlice(s, len + c);
      if (c >= 0 && len > c) return byteSlice(s, 0, c);
      return s;
    },
  ),
  trim: def('trim(s string) string', 'Removes leading and trailing white space.', ['[{{ trim "  padded \\n" }}]', '[padded]'], (s) => trimSpace(str(s))),
  upper: def('upper(s string) string', 'Converts to upper case (rune by rune, as Go does: ß stays ß).', ['{{ upper "hello" }}', 'HELLO'], (s) =>
    goToUpper(str(s)),
  ),
  lower: def('lower(s string) string', 'Converts to lower case.', ['{{ lower "HELLO" }}', 'hello'], (s) => goToLower(str(s))),
  title: def('title(s string) string', 'Upper-cases the first letter of every word (Go strings.Title).', ['{{ title "hello world" }}', 'Hello World'], (s) =>
    goTitle(str(s)),
  ),
  untitle: def('untitle(s string) string', 'Lower-cases the first letter of every word.', ['{{ untitle "Hello World" }}', 'hello world'], (s) =>
    uncapitalize(str(s)),
  ),
  substr: def(
    'substr(start int, end int, s string) string',
    'Byte substring s[start:end]; a negative start means from 0, a negative or too large end means to the end.',
    ['{{ substr 0 3 "kubernetes" }}', 'kub'],
    (a, b, s) => substring(toIndex(int(a)), toIndex(int(b)), str(s)),
  ),
  repeat: def('repeat(count int, str string) string', 'Repeats str count times.', ['{{ "-" | repeat 5 }}', '-----'], (c, s) => repeat(toIndex(int(c)), str(s))),
  trimall: alias(trimAll, 'trimall', 'Deprecated alias of trimAll.'),
  trimAll,
  trimSuffix: def(
    'trimSuffix(suffix string, s string) string',
    'Removes suffix from the end of s if present.',
    ['{{ trimSuffix "-" "name-" }}', 'name'],
    (a, b) => {
      const s = str(b);
      const suf = str(a);
      return suf !== '' && s.endsWith(suf) ? s.slice(0, s.length - suf.length) : s;
    },
  ),
  trimPrefix: def(
    'trimPrefix(prefix string, s string) string',
    'Removes prefix from the start of s if present.',
    ['{{ trimPrefix "v" "v1.2.3" }}', '1.2.3'],
    (a, b) => {
      const s = str(b);
      const pre = str(a);
      return s.startsWith(pre) ? s.slice(pre.length) : s;
    },
  ),
  nospace: def('nospace(s string) string', 'Removes all white space.', ['{{ "my env name" | nospace }}', 'myenvname'], (s) => deleteWhiteSpace(str(s))),
  initials: def('initials(s string) string', 'The first letter of every white-space separated word.', ['{{ initials "John Ronald Reuel" }}', 'JRR'], (s) =>
    initials(str(s)),
  ),
  swapcase: def('swapcase(s string) string', 'Swaps upper and lower case.', ['{{ swapcase "Hello World" }}', 'hELLO wORLD'], (s) => swapCase(str(s))),
  snakecase: def(
    'snakecase(s string) string',
    'Converts camelCase or spaced words to snake_case.',
    ['{{ snakecase "HTTPServerName" }}', 'http_server_name'],
    (s) => toSnakeCase(str(s)),
  ),
  camelcase: def(
    'camelcase(s string) string',
    'Converts words separated by _, - or spaces to CamelCase (the rest of each word is lower-cased: fooBar → Foobar).',
    ['{{ camelcase "onprem_osl" }}', 'OnpremOsl'],
    (s) => toCamelCase(str(s)),
  ),
  kebabcase: def('kebabcase(s string) string', 'Converts camelCase or spaced words to kebab-case.', ['{{ kebabcase "FooBar" }}', 'foo-bar'], (s) =>
    toKebabCase(str(s)),
  ),
  wrap: def(
    'wrap(length int, s string) string',
    'Wraps text at length columns, breaking at spaces (long words are not split).',
    ['{{ wrap 10 "the quick brown fox" }}', 'the quick\nbrown fox'],
    (l, s) => wrapCustom(str(s), toIndex(int(l)), '', false),
  ),
  wrapWith: def(
    'wrapWith(length int, sep string, str string) string',
    'Like wrap, with sep as the line separator; long words are split.',
    ['{{ wrapWith 5 "\\t" "Hello World" }}', 'Hello\tWorld'],
    (l, sep, s) => wrapCustom(str(s), toIndex(int(l)), str(sep), true),
  ),
  contains: def('contains(substr string, str string) bool', 'Whether str contains substr.', ['{{ contains "prod" "prod-gcp" }}', 'true'], (a, b) =>
    str(b).includes(str(a)),
  ),
  hasPrefix: def('hasPrefix(prefix string, str string) bool', 'Whether str starts with prefix.', ['{{ hasPrefix "prod" "prod-gcp" }}', 'true'], (a, b) =>
    str(b).startsWith(str(a)),
  ),
  hasSuffix: def('hasSuffix(suffix string, str string) bool', 'Whether str ends with suffix.', ['{{ hasSuffix "-gcp" "prod-gcp" }}', 'true'], (a, b) =>
    str(b).endsWith(str(a)),
  ),
  quote,
  squote: def(
    'squote(str ...interface{}) string',
    'Wraps each non-nil argument in single quotes (no escaping) and joins them with spaces.',
    ['{{ squote "it\'s" 3.5 }}', "'it's' '3.5'"],
    (...vs) =>
      vs
        .filter((v) => v !== null)
        .map((v) => `'${goSprint(v)}'`)
        .join(' '),
  ),
  cat: def('cat(v ...interface{}) string', 'Joins the non-nil arguments with spaces.', ['{{ cat "a" nil 1 }}', 'a 1'], (...vs) =>
    vs
      .filter((v) => v !== null)
      .map(goSprint)
      .join(' '),
  ),
  indent: def('indent(spaces int, v string) string', 'Indents every line of v by spaces spaces.', ['{{ indent 2 "a\\nb" }}', '  a\n  b'], (n, v) => {
    const pad = repeat(toIndex(int(n)), ' ');
    return pad + str(v).replaceAll('\n', `\n${pad}`);
  }),
  nindent: def('nindent(spaces int, v string) string', 'Like indent, with a newline in front.', ['x:{{ nindent 2 "a: 1" }}', 'x:\n  a: 1'], (n, v) => {
    const pad = repeat(toIndex(int(n)), ' ');
    return `\n${pad}${str(v).replaceAll('\n', `\n${pad}`)}`;
  }),
  replace,
  plural: def(
    'plural(one string, many string, count int) string',
    'one if count is 1, otherwise many.',
    ['{{ plural "env" "envs" 3 }}', 'envs'],
    (one, many, n) => (int(n) === 1n ? str(one) : str(many)),
  ),
  toString: def('toString(v interface{}) string', 'Converts any value to its string form (%v).', ['{{ toString 1.5 }}', '1.5'], (v) => strval(v ?? null)),
  toStrings: def(
    'toStrings(v interface{}) []string',
    'Converts a list to a []string (nil items dropped); a non-list becomes a one-item list.',
    ['{{ toStrings (list 1 nil "a") }}', '[1 a]'],
    (v) => stringSlice(strslice(v ?? null)),
  ),
  split: def(
    'split(sep string, orig string) map[string]string',
    'Splits orig on sep into a map with keys _0, _1, ...',
    ['{{ (split "." "a.b.c")._1 }}', 'b'],
    (sep, s) => splitMap(goSplitN(str(s), str(sep), -1)),
  ),
  splitList: def('splitList(sep string, orig string) []string', 'Splits orig on sep into a list.', ['{{ splitList "," "a,b,,c" }}', '[a b  c]'], (sep, s) =>
    stringSlice(goSplitN(str(s), str(sep), -1)),
  ),
  splitn: def(
    'splitn(sep string, n int, orig string) map[string]string',
    'Splits orig on sep into at most n parts, as a map with keys _0, _1, ...',
    ['{{ splitn "." 2 "a.b.c" }}', 'map[_0:a _1:b.c]'],
    (sep, n, s) => splitMap(goSplitN(str(s), str(sep), toIndex(int(n)))),
  ),
  join,
  sortAlpha: def(
    'sortAlpha(list interface{}) []string',
    'Sorts a list of strings (items converted with toString) in byte order.',
    ['{{ sortAlpha (list "b" "C" "a") }}', '[C a b]'],
    (v) => {
      const x = v ?? null;
      if (sliceItems(x) === undefined) return stringSlice([strval(x)]);
      return stringSlice([...strslice(x)].sort(compareBytewise));
    },
  ),
};
