// A deterministic variant of a function set for the secret-taint probe (a computed value is secret when its output depends on a secret input): the control render and
// the probe render must differ only because of the secret inputs, never because `now`, `randAlpha` or `uuidv4`
// returned something new. Each non-deterministic function is wrapped so that, within one memo scope (the control
// and probe renders of one renderValues call), the same name with the same arguments returns the same result.
import type { FunctionMap, GoFunction } from '../functions/signature.js';
import { GoTyped, type GoValue } from '../value.js';

/** Functions whose result depends on the clock, randomness or the process (Sprig names). */
export const NONDETERMINISTIC_FUNCTIONS: readonly string[] = [
  'now',
  'ago',
  // the clock when given something that is not a time (date "2006" "x" formats now), durationRound when given one
  'date',
  'dateInZone',
  'date_in_zone',
  'htmlDate',
  'htmlDateInZone',
  'durationRound',
  'randAlphaNum',
  'randAlpha',
  'randAscii',
  'randNumeric',
  'randBytes',
  'randInt',
  'uuidv4',
  'shuffle',
  'genPrivateKey',
  'genCA',
  'genCAWithKey',
  'genSelfSignedCert',
  'genSelfSignedCertWithKey',
  'genSignedCert',
  'genSignedCertWithKey',
  'bcrypt',
  'htpasswd',
  'encryptAES',
  'env',
  'expandenv',
];

let memo: Map<string, GoValue> | undefined;

function argKey(name: string, args: readonly GoValue[]): string {
  return `${name}\u0000${JSON.stringify(args, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof GoTyped ? `${v.goType}:${v.format()}` : v))}`;
}

function memoised(name: string, f: GoFunction): GoFunction {
  return {
    ...f,
    fn: (...args: GoValue[]) => {
      if (memo === undefined) return f.fn(...args);
      const key = argKey(name, args);
      if (memo.has(key)) return memo.get(key)!;
      const result = f.fn(...args);
      memo.set(key, result);
      return result;
    },
  };
}

const variants = new WeakMap<FunctionMap, FunctionMap>();

/**
 * The deterministic variant of `functions` (the same object when nothing in it is non-deterministic, so the
 * parse cache is shared). Stable per input map, so templates parsed with it stay cached.
 */
export function deterministicFunctions(functions: FunctionMap): FunctionMap {
  const hit = variants.get(functions);
  if (hit !== undefined) return hit;
  const present = NONDETERMINISTIC_FUNCTIONS.filter((n) => Object.hasOwn(functions, n));
  let variant: FunctionMap = functions;
  if (present.length > 0) {
    const copy: Record<string, GoFunction> = { ...functions };
    for (const n of present) copy[n] = memoised(n, functions[n]!);
    variant = copy;
  }
  variants.set(functions, variant);
  return variant;
}

/** Runs `body` with one memo scope: repeated calls of a wrapped function with equal arguments agree. */
export function withDeterministicScope<T>(body: () => T): T {
  const outer = memo;
  memo = new Map();
  try {
    return body();
  } finally {
    memo = outer;
  }
}
