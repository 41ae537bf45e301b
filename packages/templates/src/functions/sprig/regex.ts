// Sprig regex functions on Go's regexp (go/regexp.ts: re2js, RE2 syntax, linear in the input). The non-must
// variants compile with regexp.MustCompile, so an invalid pattern fails the render too (except regexMatch, which is false).
import { GoRegexpError, findAll, findString, goRegexp, matchString, quoteMeta, replaceAll, split, type GoRegexp } from './go/regexp.js';
import { def, fail, int, str, stringSlice, toIndex, type FunctionSpec, type SpecMap } from './spec.js';
import type { GoValue } from '../../value.js';

function compile(expr: GoValue | undefined, must: boolean): GoRegexp {
  try {
    return goRegexp(str(expr));
  } catch (e) {
    if (!(e instanceof GoRegexpError)) throw e;
    // MustCompile panics with "regexp: Compile(`x`): error parsing regexp: ..."
    return fail(must ? e.message : `regexp: Compile(${JSON.stringify(str(expr))}): ${e.message}`);
  }
}

function pair(name: string, signature: string, description: string, example: [string, string], impl: (r: GoRegexp, ...rest: GoValue[]) => GoValue): SpecMap {
  const must = `must${name[0]!.toUpperCase()}${name.slice(1)}`;
  const base: FunctionSpec = def(`${name}${signature}`, description, example, (re, ...rest) => impl(compile(re, false), ...rest));
  const mustSpec: FunctionSpec = def(
    `${must}${signature}`,
    `Like ${name}, but an invalid pattern is returned as an error.`,
    [example[0].replace(name, must), example[1]],
    (re, ...rest) => impl(compile(re, true), ...rest),
  );
  return { [name]: base, [must]: mustSpec };
}

export const regexFunctions: SpecMap = {
  regexMatch: def(
    'regexMatch(regex string, s string) bool',
    'Whether s contains a match of the regular expression (false for an invalid pattern).',
    ['{{ regexMatch "^[0-9]+\\\\.[0-9]+$" "1.27" }}', 'true'],
    (re, s) => {
      try {
        return matchString(goRegexp(str(re)), str(s));
      } catch (e) {
        if (e instanceof GoRegexpError) return false;
        throw e;
      }
    },
  ),
  mustRegexMatch: def(
    'mustRegexMatch(regex string, s string) bool',
    'Like regexMatch, but an invalid pattern is an error.',
    ['{{ mustRegexMatch "^a" "abc" }}', 'true'],
    (re, s) => matchString(compile(re, true), str(s)),
  ),
  ...pair(
    'regexFindAll',
    '(regex string, s string, n int) []string',
    'All matches (at most n; n < 0 for all).',
    ['{{ regexFindAll "[0-9]+" "a1b22c333" -1 }}', '[1 22 333]'],
    (r, s, n) => stringSlice(findAll(r, str(s), toIndex(int(n))).map((m) => m[0])),
  ),
  ...pair('regexFind', '(regex string, s string) string', 'The first match, or "".', ['{{ regexFind "[0-9]+" "ab12cd34" }}', '12'], (r, s) =>
    findString(r, str(s)),
  ),
  ...pair(
    'regexReplaceAll',
    '(regex string, s string, repl string) string',
    'Replaces every match in s with repl, expanding $1, ${1}, ${name} (a name runs as far as letters, digits and _ go: use ${1}x).',
    ['{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}', '-W-xxW-'],
    (r, s, repl) => replaceAll(r, str(s), str(repl), false),
  ),
  ...pair(
    'regexReplaceAllLiteral',
    '(regex string, s string, repl string) string',
    'Replaces every match in s with repl taken literally (no $ expansion).',
    ['{{ regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}" }}', '-${1}-${1}-'],
    (r, s, repl) => replaceAll(r, str(s), str(repl), true),
  ),
  ...pair(
    'regexSplit',
    '(regex string, s string, n int) []string',
    'Splits s around the matches (at most n parts; n < 0 for all).',
    ['{{ regexSplit "[-.]" "dev.acme-x" -1 }}', '[dev acme x]'],
    (r, s, n) => stringSlice(split(r, str(s), toIndex(int(n))) ?? []),
  ),
  regexQuoteMeta: def(
    'regexQuoteMeta(s string) string',
    'Escapes the regular expression metacharacters in s.',
    ['{{ regexQuoteMeta "1.2.3+x" }}', '1\\.2\\.3\\+x'],
    (s) => quoteMeta(str(s)),
  ),
};
