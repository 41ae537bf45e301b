// Development mode: FASIT_AUTH_MODE=dev (the default). The catalog API has no authentication in it, every key that
// is not set falls back to its public development key (development-keys.ts), and every service listens on
// loopback only. Any other mode is a real deployment: every key must be set, and none may be a development key.
import type { Env, Spec } from './config.js';

export const modeSpec = {
  authMode: {
    env: 'FASIT_AUTH_MODE',
    type: 'enum',
    values: ['dev', 'oidc'] as const,
    default: 'dev',
    doc: 'dev: local development (no authentication at the API, public development keys for keys not set, loopback only); oidc: a real deployment (bearer tokens at the API; every key set, none a development key)',
  },
} as const satisfies Spec;

export function isDevelopmentMode(env: Env): boolean {
  const mode = env['FASIT_AUTH_MODE'];
  return mode === undefined || mode === '' || mode === 'dev';
}

/** The warning every process logs at start in development mode. */
export function developmentModeWarning(service: string): string {
  return `DEVELOPMENT MODE (FASIT_AUTH_MODE=dev): ${service} listens on loopback only, and every key that is not set is a public development key from Fasit's source, so anyone can forge what it signs or open what it seals. Never run this mode in production: set FASIT_AUTH_MODE=oidc and your own keys.`;
}
