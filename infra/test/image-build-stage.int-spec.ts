// What each Dockerfile's build stage does, run here without Docker: `pnpm deploy --prod` of the service, compiled
// by docker/compile-deployed.mjs, then started the way the image's ENTRYPOINT starts it (plain node, no TypeScript
// loader, only production dependencies) against the local PostgreSQL and the Pub/Sub emulator (the in-process bus
// where this machine has no emulator), until /healthz and /readyz answer. The image itself (base image, user,
// read-only root file system) is not built here: no Docker engine.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deriveAgentKey } from '@fasit/domain';
import { createTestDatabase, freePort, type TestDatabase } from '@fasit/testing';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Inside infra/node_modules, so the script's `import '@swc/core'` resolves from this package (as the Dockerfiles
// copy it into the app's folder for the app's own devDependencies).
const COMPILER_DIR = fileURLToPath(new URL('../node_modules/.cache/fasit-image-build-stage', import.meta.url));
const OUT = mkdtempSync(join(tmpdir(), 'fasit-deploy-'));
const env = process.env;

let db: TestDatabase;
const running: ChildProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase('image');
  mkdirSync(COMPILER_DIR, { recursive: true });
  copyFileSync(join(ROOT, 'docker', 'compile-deployed.mjs'), join(COMPILER_DIR, 'compile-deployed.mjs'));
});

afterAll(async () => {
  for (const p of running) if (p.exitCode === null) p.kill('SIGKILL');
  await db.drop();
  rmSync(OUT, { recursive: true, force: true });
});

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 240_000, env: { ...env, CI: 'true' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' && !dir.endsWith('@fasit')) {
      // The @fasit packages of the deployed tree are what the compile step rewrites; look only there.
      const pnpm = join(path, '.pnpm');
      if (existsSync(pnpm))
        for (const entry of readdirSync(pnpm).filter((e) => e.startsWith('@fasit+'))) filesUnder(join(pnpm, entry, 'node_modules', '@fasit'), out);
      continue;
    }
    if (statSync(path).isDirectory()) filesUnder(path, out);
    else out.push(path);
  }
  return out;
}

async function waitFor(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before ${url} answered:\n${log()}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer in 90 s:\n${log()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function serviceEnv(app: string, port: number, databaseUrl: string): Record<string, string> {
  const base: Record<string, string> = {
    PATH: env['PATH'] ?? '',
    HOME: tmpdir(),
    NODE_ENV: 'production',
    METADATA_SERVER_DETECTION: 'none',
    FASIT_HTTP_HOST: '127.0.0.1',
    FASIT_HTTP_PORT: String(port),
    LOG_LEVEL: 'info',
    ...(env['PUBSUB_EMULATOR_HOST']
      ? { FASIT_BUS: 'pubsub', PUBSUB_EMULATOR_HOST: env['PUBSUB_EMULATOR_HOST'], PUBSUB_PROJECT_ID: `image-${port}`, FASIT_BUS_CREATE_TOPICS: 'true' }
      : { FASIT_BUS: 'memory' }),
  };
  if (app === 'naisd') {
    return {
      ...base,
      FASIT_TENANT: 'image',
      FASIT_ENVIRONMENT: 'check',
      FASIT_AGENT_KEY: deriveAgentKey('s', 'image', 'check'),
      FASIT_HELM_BIN: 'helm',
      FASIT_HEARTBEAT_INTERVAL_MS: '600000',
    };
  }
  const withDb = { ...base, DATABASE_URL: databaseUrl };
  return app === 'catalog-api' ? { ...withDb, FASIT_AUTH_MODE: 'dev', FASIT_GRPC_HOST: '127.0.0.1', FASIT_GRPC_PORT: '0' } : withDb;
}

describe("the Dockerfiles' build stage, without Docker: pnpm deploy --prod + docker/compile-deployed.mjs", () => {
  it.each(['matcher', 'reconciler', 'dispatcher', 'catalog-api', 'naisd'])(
    '%s: compiles to JavaScript only and starts with plain node from the deployed folder, answering /healthz and /readyz',
    async (app) => {
      // The image's layout: the app in /app, catalog-api in /app/apps/catalog-api next to /app/proto.
      const dir = app === 'catalog-api' ? join(OUT, app, 'apps', app) : join(OUT, app, 'app');
      run('pnpm', ['--filter', `@fasit/${app}`, 'deploy', '--prod', '--legacy', dir], ROOT);
      run('node', [join(COMPILER_DIR, 'compile-deployed.mjs'), dir], ROOT);
      if (app === 'catalog-api') cpSync(join(ROOT, 'proto'), join(OUT, app, 'proto'), { recursive: true });

      const files = filesUnder(dir);
      expect(files.some((f) => f.endsWith(join(dir, 'src', 'main.js')))).toBe(true);
      expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
      // Production dependencies only: no test runner, no TypeScript compiler.
      expect(existsSync(join(dir, 'node_modules', 'jest'))).toBe(false);
      expect(existsSync(join(dir, 'node_modules', 'typescript'))).toBe(false);

      const port = await freePort();
      let log = '';
      const child = spawn('node', ['--enable-source-maps', 'src/main.js'], { cwd: dir, env: serviceEnv(app, port, db.url), stdio: ['ignore', 'pipe', 'pipe'] });
      running.push(child);
      child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
      await waitFor(`http://127.0.0.1:${port}/healthz`, child, () => log);
      await waitFor(`http://127.0.0.1:${port}/readyz`, child, () => log);
      // catalog-api answers HTTP before its gRPC server is up and its SIGTERM handler installed: wait for the
      // line each service logs once it has started, then stop it as Kubernetes would.
      const deadline = Date.now() + 30_000;
      while (!/"msg":"[^"]*(started|listening on)/.test(log) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(log).toMatch(/"msg":"[^"]*(started|listening on)/);
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
      child.kill('SIGTERM');
      // Exit 0, or the SIGTERM Nest re-raises after its shutdown hooks ran (catalog-api), within the grace period.
      const { code, signal } = await exited;
      expect(code === 0 || signal === 'SIGTERM' ? 'stopped' : `exit ${code} ${signal}: ${log}`).toBe('stopped');
    },
    300_000,
  );
});
