import { jestConfig } from '../../jest.preset.js';

// dist/ holds the built package (its own package.json): not part of the tests' module map.
export default jestConfig(import.meta.dirname, { modulePathIgnorePatterns: ['<rootDir>/dist/'] });
