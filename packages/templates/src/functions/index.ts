import { fasitFunctions } from './fasit/fasit.js';
import type { FunctionMap } from './signature.js';
import { sprigFunctions } from './sprig/index.js';

// The pure Sprig v3.2.3 set, and the Fasit set (Sprig + Fasit functions, Fasit winning on a name clash).
export const functionSets: { sprig: FunctionMap; fasit: FunctionMap } = {
  sprig: sprigFunctions,
  fasit: { ...sprigFunctions, ...fasitFunctions },
};
export type FunctionSetName = keyof typeof functionSets;

export { fasitFunctions, sprigFunctions };
export { omittedSprigFunctions } from './sprig/index.js';
export { functionReference, type FunctionReferenceEntry } from './reference.js';
export { renderFunctionDocs } from './docs.js';
