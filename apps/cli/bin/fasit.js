#!/usr/bin/env node
// The `fasit` bin: registers the TypeScript loader, then runs the CLI from source (workspace packages export
// TypeScript, nothing is built). From the repository root, `pnpm fasit <command>` does the same.
import '@swc-node/register/esm-register';

await import('../src/main.ts');
