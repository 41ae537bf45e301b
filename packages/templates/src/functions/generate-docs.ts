// Writes docs/template-functions.md (repository root) from the function reference.
// Run from the repository root: node --import @swc-node/register/esm-register packages/templates/src/functions/generate-docs.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderFunctionDocs } from './docs.js';

const target = fileURLToPath(new URL('../../../../docs/template-functions.md', import.meta.url));
writeFileSync(target, renderFunctionDocs());
process.stdout.write(`wrote ${target}\n`);
