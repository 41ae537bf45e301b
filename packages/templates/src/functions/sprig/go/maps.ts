// Safe access to GoMap plain objects: a Go map key such as "constructor" or "__proto__" must behave like any
// other key, never reach Object.prototype.
import type { GoMap, GoValue } from '../../../value.js';

export function newMap(): GoMap {
  return {};
}

export function mapHas(m: GoMap, key: string): boolean {
  return Object.hasOwn(m, key);
}

export function mapGet(m: GoMap, key: string): GoValue | undefined {
  return Object.hasOwn(m, key) ? m[key] : undefined;
}

export function mapSet(m: GoMap, key: string, value: GoValue): void {
  if (key === '__proto__') {
    Object.defineProperty(m, key, { value, enumerable: true, configurable: true, writable: true });
  } else {
    m[key] = value;
  }
}

export function mapDelete(m: GoMap, key: string): void {
  if (Object.hasOwn(m, key)) delete m[key];
}
