// Compiles the TypeScript of every app and package (`<pkg>/src/**/*.ts`, tests excepted; not those with a `build`
// script of their own: the CLI's bundle, the web console) to JavaScript in `<pkg>/dist/`, the same tree one level
// apart, with swc and the options the tests use (legacy decorators with metadata, ES modules, inline source maps).
// Incremental: a file is compiled when its output is missing or older, and outputs whose source is gone are removed.
// `bash scripts/start` runs it before starting anything.
//
// Tests and development keep running the TypeScript source directly: each package exports `./src/index.ts` by
// default and `./dist/index.js` under the condition `fasit-build`, which only the start command sets
// (`node --conditions=fasit-build dist/main.js`).
//   usage: node scripts/build.mjs [--quiet]
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformFile } from '@swc/core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const quiet = process.argv.includes('--quiet');
const TEST_FILE = /\.(spec|int-spec|e2e-spec)\.ts$/;

export const SWC_OPTIONS = {
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

async function* files(dir, suffix) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path, suffix);
    else if (entry.name.endsWith(suffix)) yield path;
  }
}

const mtime = (path) =>
  stat(path).then(
    (s) => s.mtimeMs,
    () => -1,
  );

async function buildPackage(pkg) {
  const src = join(pkg, 'src');
  const dist = join(pkg, 'dist');
  const wanted = new Set();
  let compiled = 0;
  for await (const file of files(src, '.ts')) {
    if (TEST_FILE.test(file) || file.endsWith('.d.ts')) continue;
    const out = join(dist, relative(src, file)).replace(/\.ts$/, '.js');
    wanted.add(out);
    if ((await mtime(out)) >= (await mtime(file))) continue;
    const { code } = await transformFile(file, { ...SWC_OPTIONS, filename: file });
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, code);
    compiled++;
  }
  let removed = 0;
  for await (const file of files(dist, '.js')) {
    if (!wanted.has(file)) {
      await rm(file);
      removed++;
    }
  }
  return { compiled, removed, total: wanted.size };
}

const ownBuild = async (pkg) => {
  try {
    return JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8')).scripts?.build !== undefined;
  } catch {
    return false;
  }
};

const started = Date.now();
let compiled = 0;
let total = 0;
for (const group of ['packages', 'apps']) {
  for (const name of (await readdir(join(ROOT, group))).sort()) {
    const pkg = join(ROOT, group, name);
    // An app with its own build (the CLI's esbuild bundle, the web console's vite build into its dist/) builds itself.
    if ((await mtime(join(pkg, 'src'))) < 0 || (await ownBuild(pkg))) continue;
    const r = await buildPackage(pkg);
    compiled += r.compiled;
    total += r.total;
  }
}
if (!quiet || compiled > 0)
  process.stdout.write(`[build] ${compiled} of ${total} files compiled to dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
