import type { FunctionMap } from './signature.js';

// Filled in by the function sets: the pure Sprig v3.2.3 set, and the Fasit set (Sprig + Fasit functions,
// Fasit winning on a name clash).
export const functionSets: { sprig: FunctionMap; fasit: FunctionMap } = { sprig: {}, fasit: {} };
export type FunctionSetName = keyof typeof functionSets;
