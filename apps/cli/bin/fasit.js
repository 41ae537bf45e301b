#!/usr/bin/env node
// The `fasit` bin: runs the CLI from its TypeScript source (nothing is built), from any directory. The TypeScript
// loader reads tsconfig.json from the working directory when it starts, so it starts inside this package and the
// working directory is restored before the CLI runs. From the repository root, `pnpm fasit <command>` does the same.
import { register } from 'node:module';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const cwd = process.cwd();
process.chdir(fileURLToPath(new URL('..', import.meta.url)));
try {
  register('@swc-node/register/esm', import.meta.url);
} finally {
  process.chdir(cwd);
}
await import('../src/main.ts');
