import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortDeep((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** The desired-state hash: SHA-256 over canonical JSON of the values, the feature version and the chart digest. */
export function desiredStateHash(values: unknown, version: string, chartDigest: string): string {
  return createHash('sha256').update(canonicalJson(values)).update('\n').update(version).update('\n').update(chartDigest).digest('hex');
}
