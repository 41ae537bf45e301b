// Used by every docker/<app>.Dockerfile after `pnpm deploy --prod`: workspace packages ship TypeScript sources,
// and Node (and @swc-node/register) refuse to load TypeScript from node_modules. This compiles every .ts file of
// the deployed app and of its @fasit/* packages to .js next to it with swc (the options the tests use: legacy
// decorators with metadata, ES modules), drops tests and .ts files, and points the packages' exports at .js.
// `pnpm deploy` may hard-link files to the workspace: never write into an existing file, replace it (write a new
// file, rename over), or the workspace's own files change too.
// usage (the Dockerfiles copy it into the app folder first, so @swc/core resolves from the app's devDependencies):
//   node apps/<app>/compile-deployed.mjs <deploy-dir>
import { readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { transformFile } from '@swc/core';

const root = process.argv[2];
if (!root) throw new Error('usage: compile-deployed.mjs <deploy-dir>');

const swcOptions = {
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

/** Writes `path` as a new inode (a hard link to the workspace is replaced, never written through). */
async function replaceFile(path, content) {
  const tmp = `${path}.compile-tmp`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

async function* tsFiles(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* tsFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield path;
  }
}

async function compileTree(dir) {
  let n = 0;
  for await (const file of tsFiles(dir)) {
    if (/\.(spec|int-spec|e2e-spec)\.ts$/.test(file)) {
      await rm(file);
      continue;
    }
    const { code } = await transformFile(file, { ...swcOptions, filename: file });
    await replaceFile(file.replace(/\.ts$/, '.js'), code);
    await rm(file);
    n++;
  }
  return n;
}

const fixExports = (value) =>
  typeof value === 'string'
    ? value.replace(/\.ts$/, '.js')
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fixExports(v)]))
      : value;

async function compilePackage(dir) {
  const n = await compileTree(join(dir, 'src'));
  // Integration tests, benchmarks and other TypeScript outside src/ are never loaded at run time (and could not
  // be: Node does not load TypeScript from node_modules). Other files (JSON schemas, protos) stay.
  await rm(join(dir, 'test'), { recursive: true, force: true });
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'src' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) for await (const file of tsFiles(path)) await rm(file);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) await rm(path);
  }
  const manifestPath = join(dir, 'package.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  if (manifest.exports) manifest.exports = fixExports(manifest.exports);
  if (typeof manifest.main === 'string') manifest.main = fixExports(manifest.main);
  await replaceFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  process.stdout.write(`compiled ${n} files in ${manifest.name}\n`);
}

const realRoot = await realpath(root);
await compilePackage(realRoot);
const seen = new Set();
const pnpmDir = join(realRoot, 'node_modules', '.pnpm');
for (const entry of await readdir(pnpmDir)) {
  if (!entry.startsWith('@fasit+')) continue;
  const scope = join(pnpmDir, entry, 'node_modules', '@fasit');
  for (const name of await readdir(scope)) {
    const dir = await realpath(join(scope, name));
    if (!dir.startsWith(`${realRoot}/`)) throw new Error(`${name} resolves outside the deploy directory (${dir}): refusing to compile in place`);
    if (seen.has(dir) || !(await stat(join(dir, 'src')).catch(() => null))) continue;
    seen.add(dir);
    await compilePackage(dir);
  }
}
