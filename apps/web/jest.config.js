import { jestConfig } from '../../jest.preset.js';

// Browser tests: the real platform (separate service processes, PostgreSQL, the Pub/Sub emulator, the OCI registry,
// helm) and Debian's Chromium driven by playwright-core.
export default jestConfig(import.meta.dirname, { testMatch: ['<rootDir>/test/**/*.browser-spec.ts'], testTimeout: 240_000 });
