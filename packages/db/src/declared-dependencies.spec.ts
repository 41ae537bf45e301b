// Every dependency a workspace package declares is used by it (issue 9: "remove dependencies that are declared and
// never imported"). Used means: imported or required by one of its files (sources, tests, scripts, configuration),
// named as a string in them or in the shared jest preset its jest config loads (a transform), run as a binary or
// loaded into node (`--import`) by its scripts, a peer dependency of another dependency it uses (pg for TypeORM, @swc/core for @swc/jest), or the types
// of one it uses (@types/express for express; @types/node wherever TypeScript is).
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SKIP = new Set(['node_modules', 'dist', '.turbo', 'coverage', 'corpora', 'fixtures']);
const TEXT = /\.(?:[cm]?[jt]sx?|json|sh|ya?ml|html)$/;

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  bin?: string | Record<string, string>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

function workspacePackages(): string[] {
  const out: string[] = [];
  for (const group of ['apps', 'packages']) {
    for (const name of readdirSync(join(ROOT, group))) if (existsSync(join(ROOT, group, name, 'package.json'))) out.push(join(group, name));
  }
  for (const single of ['e2e', 'infra']) if (existsSync(join(ROOT, single, 'package.json'))) out.push(single);
  return out.sort();
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name) || name.startsWith('.')) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return TEXT.test(name) && name !== 'package.json' ? [path] : [];
  });
}

/** The names of a dependency's binaries, from its installed manifest. */
function binaries(pkgDir: string, dep: string): string[] {
  const manifest = join(ROOT, pkgDir, 'node_modules', dep, 'package.json');
  if (!existsSync(manifest)) return [];
  const { bin } = readJson<Manifest>(manifest);
  if (typeof bin === 'string') return [dep.split('/').pop()!];
  return Object.keys(bin ?? {});
}

function peersOf(pkgDir: string, dep: string): string[] {
  const manifest = join(ROOT, pkgDir, 'node_modules', dep, 'package.json');
  return existsSync(manifest) ? Object.keys(readJson<Manifest>(manifest).peerDependencies ?? {}) : [];
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Whether `text` imports, requires or names the package `dep` (or a subpath of it) as a string. */
export function mentions(text: string, dep: string): boolean {
  return new RegExp(`['"\`]${escape(dep)}(?:/[^'"\`]*)?['"\`]`).test(text);
}

/** The declared dependencies of one workspace package that nothing of it uses. */
export function unusedDependencies(pkgDir: string): string[] {
  const manifest = readJson<Manifest>(join(ROOT, pkgDir, 'package.json'));
  const declared = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})];
  let text = files(join(ROOT, pkgDir))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  if (/jest\.preset\.js/.test(text)) text += readFileSync(join(ROOT, 'jest.preset.js'), 'utf8');
  const scripts = Object.values(manifest.scripts ?? {}).join('\n');
  const runs = (bin: string): boolean => new RegExp(`(?:^|[\\s;&|(/"'])${escape(bin)}(?:$|[\\s;&|)"'])`, 'm').test(`${scripts}\n${text}`);
  // Loaded into node by a script: `node --import @swc-node/register/esm-register …`.
  const loads = (dep: string): boolean => new RegExp(`--(?:import|require|loader)[ =]${escape(dep)}(?:/|\\s|$)`, 'm').test(`${scripts}\n${text}`);
  const used = new Set(declared.filter((d) => !d.startsWith('@types/') && (mentions(text, d) || loads(d) || binaries(pkgDir, d).some(runs))));
  // Peers of what is used, until nothing changes (a peer's own peers count too).
  for (let grew = true; grew;) {
    grew = false;
    for (const d of [...used]) {
      for (const peer of peersOf(pkgDir, d)) {
        if (declared.includes(peer) && !used.has(peer)) {
          used.add(peer);
          grew = true;
        }
      }
    }
  }
  const typescript = declared.includes('typescript');
  for (const d of declared.filter((x) => x.startsWith('@types/'))) {
    const of = d.slice('@types/'.length).replace(/^(.+)__(.+)$/, '@$1/$2');
    if ((of === 'node' && typescript) || used.has(of)) used.add(d);
  }
  return declared.filter((d) => !used.has(d)).sort();
}

describe('declared dependencies', () => {
  it('counts imports, subpaths, requires and strings; not a longer name or a word in prose', () => {
    expect(mentions(`import { Module } from '@nestjs/common';`, '@nestjs/common')).toBe(true);
    expect(mentions(`import { METHOD_METADATA } from '@nestjs/common/constants.js';`, '@nestjs/common')).toBe(true);
    expect(mentions(`const pg = require("pg")`, 'pg')).toBe(true);
    expect(mentions(`await import('jose')`, 'jose')).toBe(true);
    expect(mentions(`import x from 'pg-protocol'`, 'pg')).toBe(false);
    expect(mentions(`// the pg driver and ajv`, 'ajv')).toBe(false);
  });

  it.each(workspacePackages())('%s uses every dependency it declares', (pkgDir) => {
    expect({ package: relative(ROOT, join(ROOT, pkgDir)), unused: unusedDependencies(pkgDir) }).toEqual({ package: pkgDir, unused: [] });
  });
});
