import { createRequire } from 'node:module';

/**
 * The CLI's version: the `version` of the package it runs from. Read at run time relative to this module, which is
 * `src/version.ts` in the repository and `dist/fasit.js` (the bundle) in the installed package: both one level
 * below the package's own package.json.
 */
export function cliVersion(): string {
  const manifest = createRequire(import.meta.url)('../package.json') as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}
