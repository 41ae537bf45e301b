import { jestConfig } from '../jest.preset.js';

export default jestConfig(import.meta.dirname, { testTimeout: 240_000 });
