// The machine-readable function reference: every function of both sets with its Go signature, a one-line
// description and an example with its exact output. Used by docs/template-functions.md, the UI and the CLI.
import { fasitFunctions } from './fasit/fasit.js';
import { sprigGroups } from './sprig/index.js';

export interface FunctionReferenceEntry {
  name: string;
  /** 'fasit' for Fasit's own functions, 'sprig' for Sprig's. */
  origin: 'sprig' | 'fasit';
  group: string;
  signature: string;
  description: string;
  /** A template using the function (rendered with the set the function belongs to)... */
  example: string;
  /** ...and its exact output. */
  output: string;
  /** Fasit functions that replace a Sprig function of the same name in the Fasit set. */
  overridesSprig: boolean;
  /** The sets that contain this entry's behaviour under this name. */
  sets: ReadonlyArray<'sprig' | 'fasit'>;
}

function build(): FunctionReferenceEntry[] {
  const out: FunctionReferenceEntry[] = [];
  for (const [name, spec] of Object.entries(fasitFunctions)) {
    const overridesSprig = Object.values(sprigGroups).some((g) => Object.hasOwn(g, name));
    out.push({ name, origin: 'fasit', group: 'fasit', ...spec.doc, overridesSprig, sets: ['fasit'] });
  }
  for (const [group, specs] of Object.entries(sprigGroups)) {
    for (const [name, spec] of Object.entries(specs)) {
      const shadowed = Object.hasOwn(fasitFunctions, name);
      out.push({ name, origin: 'sprig', group, ...spec.doc, overridesSprig: false, sets: shadowed ? ['sprig'] : ['sprig', 'fasit'] });
    }
  }
  return out;
}

export const functionReference: readonly FunctionReferenceEntry[] = build();
