import type { GoMap, GoValue } from '../value.js';

/**
 * A JSON value as Go's encoding/json decodes it into interface{}: numbers become float64 (JS number), objects
 * map[string]interface{}, arrays []interface{}. `undefined` (absent) becomes nil. Throws on values JSON cannot hold.
 */
export function fromJson(value: unknown): GoValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`fromJson: ${value} is not a JSON number`);
    return value;
  }
  if (typeof value === 'object') {
    {
      if (Array.isArray(value)) return value.map((v: unknown) => fromJson(v));
      const out: GoMap = {};
      for (const [k, v] of Object.entries(value)) {
        // defineProperty so that a "__proto__" key stays an ordinary entry
        if (v !== undefined) Object.defineProperty(out, k, { value: fromJson(v), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
  }
  throw new TypeError(`fromJson: a ${typeof value} is not JSON`);
}
