import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted byte-wise (UTF-8, as Go's encoding/json writes maps) at every level: equal values
 * give byte-identical text. Keys such as `__proto__` are kept as data.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort(compareUtf8)) {
      Object.defineProperty(out, k, { value: sortDeep((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v;
}

function compareUtf8(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The desired-state hash: SHA-256 over canonical JSON of the values, the feature version and the chart digest. */
export function desiredStateHash(values: unknown, version: string, chartDigest: string): string {
  return createHash('sha256').update(canonicalJson(values)).update('\n').update(version).update('\n').update(chartDigest).digest('hex');
}

/**
 * The hash of a release's values, the one both sides of drift compute: naisd over what `helm get values --output
 * json` prints for a release, the reconciler over the values it rendered (which naisd writes to the values file helm
 * reads). SHA-256 (hex) of their canonical JSON; no values at all (helm prints `null`) hash as an empty map.
 */
export function valuesHash(values: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(values ?? {}))
    .digest('hex');
}
