// Shared Jest setup: ESM mode (NestJS 12 is ESM-only), TypeScript through swc with decorator metadata.
// Units are `src/**/*.spec.ts`, integration suites `test/*.int-spec.ts`. Results go to .jest-results.json
// so `.ci/run` can print one closing line for the whole repository.
/** @param {string} dir @param {import('jest').Config} [extra] @returns {import('jest').Config} */
export function jestConfig(dir, extra = {}) {
  return {
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.int-spec.ts', '<rootDir>/**/*.e2e-spec.ts'],
    testPathIgnorePatterns: ['/node_modules/'],
    extensionsToTreatAsEsm: ['.ts'],
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: {
            target: 'es2023',
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
          },
          module: { type: 'es6' },
        },
      ],
    },
    testTimeout: 60_000,
    ...extra,
  };
}
