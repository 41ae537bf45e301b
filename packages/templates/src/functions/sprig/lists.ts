// Sprig list functions (list.go, numeric.go until/untilStep/seq). Lists are Go slices: a []interface{} (JS
// array) or a typed slice such as []string (GoSlice); every function returns a new []interface{} and never
// mutates its input.
import { GoSlice, type GoValue } from '../../value.js';
import { toInt64 } from './go/cast.js';
import { deepEqual, isEmpty, kindOf, sliceItems } from './go/reflect.js';
import { alias, def, fail, int, toIndex, type FunctionSpec, type SpecMap } from './spec.js';

/** reflect.TypeOf(v).Kind() of a non-slice argument, as Sprig's error messages print it. */
function kindName(v: GoValue): string {
  if (v === null) return fail('runtime error: invalid memory address or nil pointer dereference');
  return kindOf(v);
}

function items(v: GoValue | undefined, what: string): GoValue[] {
  const x = v ?? null;
  const it = sliceItems(x);
  if (it === undefined) return fail(`Cannot ${what} on type ${kindName(x)}`);
  return it;
}

/** Defines f and mustF: Sprig's non-must variant panics with the same error the must variant returns. */
function withMust(name: string, spec: FunctionSpec): SpecMap {
  const must = `must${name[0]!.toUpperCase()}${name.slice(1)}`;
  return { [name]: spec, [must]: alias(spec, must, `Like ${name}, but returns the error to the template instead of panicking.`) };
}

export function untilStep(start: bigint, stop: bigint, step: bigint): GoSlice {
  const v: GoValue[] = [];
  const limit = 10_000_000;
  if (stop < start) {
    if (step >= 0n) return new GoSlice('int', v);
    for (let i = start; i > stop; i += step) {
      v.push(i);
      if (v.length > limit) fail('untilStep: too many items');
    }
    return new GoSlice('int', v);
  }
  if (step <= 0n) return new GoSlice('int', v);
  for (let i = start; i < stop; i += step) {
    v.push(i);
    if (v.length > limit) fail('untilStep: too many items');
  }
  return new GoSlice('int', v);
}

function seq(params: bigint[]): string {
  const join = (s: GoSlice): string => s.items.map(String).join(' ');
  switch (params.length) {
    case 0:
      return '';
    case 1: {
      const start = 1n;
      const end = params[0]!;
      const inc = end < start ? -1n : 1n;
      return join(untilStep(start, end + inc, inc));
    }
    case 2: {
      const [start, end] = params as [bigint, bigint];
      const step = end < start ? -1n : 1n;
      return join(untilStep(start, end + step, step));
    }
    case 3: {
      const [start, step, end] = params as [bigint, bigint, bigint];
      let inc = 1n;
      if (end < start) {
        inc = -1n;
        if (step > 0n) return '';
      }
      return join(untilStep(start, end + inc, step));
    }
    default:
      return '';
  }
}

/** Go's int(f) for the float arithmetic in Sprig's chunk (NaN and infinities give math.MinInt64). */
function goInt(f: number): number {
  return Number.isFinite(f) ? Math.trunc(f) : Number.MIN_SAFE_INTEGER;
}

/** Sprig's chunk, float arithmetic included (so a size of 0 or below panics as Go does, or yields nothing). */
function chunk(size: number, list: GoValue[]): GoSlice {
  const l = list.length;
  const cs = goInt(Math.floor((l - 1) / size) + 1);
  if (cs < 0) return fail('runtime error: makeslice: len out of range');
  const out: GoValue[] = [];
  for (let i = 0; i < cs; i++) {
    let clen = size;
    if (i === cs - 1) {
      clen = goInt(Math.floor(l % size));
      if (clen === 0) clen = size;
    }
    if (clen < 0) return fail('runtime error: makeslice: len out of range');
    const part: GoValue[] = [];
    for (let j = 0; j < clen; j++) {
      const ix = i * size + j;
      if (ix >= l) return fail(`runtime error: index out of range [${ix}] with length ${l}`);
      part.push(list[ix]!);
    }
    out.push(part);
  }
  return new GoSlice('[]interface {}', out);
}

export const listFunctions: SpecMap = {
  list: def('list(v ...interface{}) []interface{}', 'Makes a list of its arguments.', ['{{ list 1 "a" 2.5 }}', '[1 a 2.5]'], (...vs) => [...vs]),
  tuple: def('tuple(v ...interface{}) []interface{}', 'Old name of list.', ['{{ tuple 1 2 }}', '[1 2]'], (...vs) => [...vs]),
  ...withMust(
    'append',
    def('append(list interface{}, v interface{}) []interface{}', 'A new list with v added at the end.', ['{{ append (list 1 2) 3 }}', '[1 2 3]'], (l, v) => [
      ...items(l, 'push'),
      v ?? null,
    ]),
  ),
  ...withMust(
    'push',
    def('push(list interface{}, v interface{}) []interface{}', 'Same as append.', ['{{ push (list 1 2) 3 }}', '[1 2 3]'], (l, v) => [
      ...items(l, 'push'),
      v ?? null,
    ]),
  ),
  ...withMust(
    'prepend',
    def(
      'prepend(list interface{}, v interface{}) []interface{}',
      'A new list with v added at the front.',
      ['{{ prepend (list 2 3) 1 }}', '[1 2 3]'],
      (l, v) => [v ?? null, ...items(l, 'prepend')],
    ),
  ),
  ...withMust(
    'first',
    def('first(list interface{}) interface{}', 'The first item (nil for an empty list).', ['{{ first (list 1 2 3) }}', '1'], (l) => {
      const it = items(l, 'find first');
      return it.length ? it[0]! : null;
    }),
  ),
  ...withMust(
    'last',
    def('last(list interface{}) interface{}', 'The last item (nil for an empty list).', ['{{ last (list 1 2 3) }}', '3'], (l) => {
      const it = items(l, 'find last');
      return it.length ? it[it.length - 1]! : null;
    }),
  ),
  ...withMust(
    'rest',
    def('rest(list interface{}) []interface{}', 'All but the first item.', ['{{ rest (list 1 2 3) }}', '[2 3]'], (l) => items(l, 'find rest').slice(1)),
  ),
  ...withMust(
    'initial',
    def('initial(list interface{}) []interface{}', 'All but the last item.', ['{{ initial (list 1 2 3) }}', '[1 2]'], (l) =>
      items(l, 'find initial').slice(0, -1),
    ),
  ),
  ...withMust(
    'reverse',
    def('reverse(v interface{}) []interface{}', 'The items in reverse order.', ['{{ reverse (list 1 2 3) }}', '[3 2 1]'], (l) =>
      [...items(l, 'find reverse')].reverse(),
    ),
  ),
  ...withMust(
    'uniq',
    def('uniq(list interface{}) []interface{}', 'The list without duplicates (first occurrence kept).', ['{{ uniq (list 1 2 1 3) }}', '[1 2 3]'], (l) => {
      const out: GoValue[] = [];
      for (const x of items(l, 'find uniq')) if (!out.some((y) => deepEqual(x, y))) out.push(x);
      return out;
    }),
  ),
  ...withMust(
    'without',
    def(
      'without(list interface{}, omit ...interface{}) []interface{}',
      'The list without the given items.',
      ['{{ without (list 1 2 3 2) 2 }}', '[1 3]'],
      (l, ...omit) => items(l, 'find without').filter((x) => !omit.some((o) => deepEqual(x, o))),
    ),
  ),
  ...withMust(
    'has',
    def(
      'has(needle interface{}, haystack interface{}) bool',
      'Whether the list contains needle (types must match: 2 is not 2.0).',
      ['{{ has 2 (list 1 2 3) }}', 'true'],
      (needle, hay) => {
        if (hay === null || hay === undefined) return false;
        return items(hay, 'find has').some((x) => deepEqual(needle, x));
      },
    ),
  ),
  ...withMust(
    'compact',
    def(
      'compact(list interface{}) []interface{}',
      'The list without empty items ("", 0, false, nil, empty lists/maps).',
      ['{{ compact (list 1 "" 0 "a" nil) }}', '[1 a]'],
      (l) => items(l, 'compact').filter((x) => !isEmpty(x)),
    ),
  ),
  ...withMust(
    'slice',
    def(
      'slice(list interface{}, indices ...interface{}) interface{}',
      'list[start:end]: `slice $l 1 3`, `slice $l 2` (to the end); lists only (replaces the builtin slice).',
      ['{{ slice (list 1 2 3 4) 1 3 }}', '[2 3]'],
      (l, ...idx) => {
        const x = l ?? null;
        const it = sliceItems(x);
        if (it === undefined) return fail(`list should be type of slice or array but ${kindName(x)}`);
        if (it.length === 0) return null;
        const start = idx.length > 0 ? Number(toInt64(idx[0]!)) : 0;
        const end = idx.length > 1 ? Number(toInt64(idx[1]!)) : it.length;
        if (start < 0 || end < start || end > it.length) return fail('reflect: slice index out of range');
        const part = it.slice(start, end);
        return x instanceof GoSlice ? new GoSlice(x.elemType, part) : part;
      },
    ),
  ),
  concat: def('concat(lists ...interface{}) interface{}', 'Joins several lists into one.', ['{{ concat (list 1 2) (list 3) }}', '[1 2 3]'], (...lists) => {
    const out: GoValue[] = [];
    for (const l of lists) {
      const it = sliceItems(l);
      if (it === undefined) return fail(`Cannot concat type ${kindName(l)} as list`);
      out.push(...it);
    }
    return out;
  }),
  ...withMust(
    'chunk',
    def(
      'chunk(size int, list interface{}) [][]interface{}',
      'Splits a list into lists of size items (the last may be shorter).',
      ['{{ chunk 2 (list 1 2 3 4 5) }}', '[[1 2] [3 4] [5]]'],
      (size, l) => chunk(toIndex(int(size)), items(l, 'chunk')),
    ),
  ),
  until: def('until(count int) []int', 'The integers 0 … count-1 (counting down for a negative count).', ['{{ until 3 }}', '[0 1 2]'], (c) => {
    const count = int(c);
    return untilStep(0n, count, count < 0n ? -1n : 1n);
  }),
  untilStep: def(
    'untilStep(start int, stop int, step int) []int',
    'The integers from start up to (not including) stop by step.',
    ['{{ untilStep 0 10 3 }}', '[0 3 6 9]'],
    (a, b, c) => untilStep(int(a), int(b), int(c)),
  ),
  seq: def(
    'seq(params ...int) string',
    'Like the seq command: `seq 3` = "1 2 3", `seq 2 5`, `seq 0 2 10` (start, step, end); space separated.',
    ['{{ seq 0 2 10 }}', '0 2 4 6 8 10'],
    (...ps) => seq(ps.map((p) => int(p))),
  ),
};
