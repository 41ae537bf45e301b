// Builds the `fasit` CLI as an installable package: one bundled file (esbuild; the workspace packages and npm
// dependencies it uses are inside it), the Feature.yaml JSON Schema and a package.json without dependencies.
//   node scripts/build.mjs          → dist/package/ (package.json, dist/fasit.js, schema/feature.json, README.md)
//   node scripts/build.mjs --pack   → and dist/fasit-cli-<version>.tgz (npm pack), its path printed last
// Install it anywhere with `npm install -g ./fasit-cli-<version>.tgz` (or `npx ./fasit-cli-<version>.tgz --version`).
//
// Layout inside the package: the bundle is dist/fasit.js, one level below package.json, exactly as src/*.ts is in
// the repository. The bundle reads two files relative to itself at run time, and both resolve the same way in the
// repository and in the installed package: ../package.json (its version, src/version.ts) and
// ../schema/feature.json (the schema, @fasit/feature-spec's src/schema.ts).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
// --out=<dir>: build the package there instead (tests build their own copy, so two suites never share one).
const outArg = process.argv.find((a) => a.startsWith('--out='));
const out = outArg ? outArg.slice('--out='.length) : join(root, 'dist', 'package');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const schema = fileURLToPath(import.meta.resolve('@fasit/feature-spec/schema/feature.json'));

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'schema'), { recursive: true });
await build({
  entryPoints: [join(root, 'src', 'main.ts')],
  outfile: join(out, 'dist', 'fasit.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: !process.argv.includes('--no-minify'),
  legalComments: 'linked',
  logLevel: 'warning',
  // CommonJS dependencies (ajv) bundled into an ES module still call require() for Node's built-ins.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __fasitCreateRequire } from 'node:module';\nconst require = __fasitCreateRequire(import.meta.url);",
  },
});
copyFileSync(schema, join(out, 'schema', 'feature.json'));
copyFileSync(join(root, 'README.md'), join(out, 'README.md'));
writeFileSync(
  join(out, 'package.json'),
  `${JSON.stringify(
    {
      name: manifest.name,
      version: manifest.version,
      description: 'fasit CLI for chart authors: lint Feature.yaml, render values and templates as Fasit does',
      type: 'module',
      bin: { fasit: 'dist/fasit.js' },
      files: ['dist', 'schema', 'README.md'],
      engines: { node: '>=20' },
    },
    null,
    2,
  )}\n`,
);

if (process.argv.includes('--pack')) {
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', join(root, 'dist')], { cwd: out, encoding: 'utf8' })
    .trim()
    .split('\n')
    .at(-1);
  process.stdout.write(`${join(root, 'dist', name)}\n`);
} else {
  process.stdout.write(`${out}\n`);
}
