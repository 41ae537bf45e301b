import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { fromJson, parseTemplate } from '../engine/index.js';
import { renderFunctionDocs } from './docs.js';
import { functionReference, functionSets, omittedSprigFunctions } from './index.js';
import { paramsOf } from './sprig/spec.js';

const docsPath = fileURLToPath(new URL('../../../../docs/template-functions.md', import.meta.url));

describe('function reference', () => {
  it('documents every function of both sets, once per origin', () => {
    const documented = new Set(functionReference.map((e) => `${e.origin}:${e.name}`));
    for (const name of Object.keys(functionSets.sprig)) expect(documented).toContain(`sprig:${name}`);
    for (const name of Object.keys(functionSets.fasit)) {
      expect(documented.has(`fasit:${name}`) || documented.has(`sprig:${name}`)).toBe(true);
    }
    expect(documented.size).toBe(functionReference.length);
  });

  it('declares parameters exactly as the documented Go signature says', () => {
    for (const e of functionReference) {
      const set = e.origin === 'fasit' ? functionSets.fasit : functionSets.sprig;
      const f = set[e.name]!;
      expect({ name: e.name, ...paramsOf(e.signature) }).toEqual({
        name: e.name,
        params: f.params,
        ...(f.variadic ? { variadic: f.variadic } : {}),
      });
    }
  });

  it.each(functionReference.map((e) => [`${e.origin}:${e.name}`, e] as const))('%s example renders as documented', (_n, e) => {
    const functions = e.origin === 'fasit' ? functionSets.fasit : functionSets.sprig;
    const out = parseTemplate(e.example, { functions, name: e.name }).execute(fromJson(null), { missingkey: 'default' });
    expect(out).toBe(e.output);
  });

  it('does not define the functions it lists as left out', () => {
    for (const name of Object.keys(omittedSprigFunctions)) expect(functionSets.fasit[name]).toBeUndefined();
  });

  it('keeps docs/template-functions.md in step with the code', () => {
    // Regenerate with: node --import @swc-node/register/esm-register packages/templates/src/functions/generate-docs.ts
    expect(readFileSync(docsPath, 'utf8')).toBe(renderFunctionDocs());
  });
});
