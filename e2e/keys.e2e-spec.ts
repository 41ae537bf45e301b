// No default secrets outside development mode, checked on the real entry points (each app's src/main.ts as its
// own process, as `bash scripts/start` and the images run them): a service started for a real deployment
// (FASIT_AUTH_MODE=oidc) without its keys, or with the public development keys, stops at once with a message
// naming every such variable; in development mode the same processes start on the development keys and say so.
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { childProcessEnv, DEVELOPMENT_KEYS } from '@fasit/config';
import { deriveAgentKey } from '@fasit/domain';
import { REPO_ROOT } from '@fasit/launcher';
import { createTestDatabase, freePort } from '@fasit/testing';

interface Exit {
  code: number | null;
  output: string;
}

/** Starts `apps/<app>/src/main.ts` with exactly `env` (plus PATH and the like: no FASIT_* of this process). */
function startApp(app: string, env: Record<string, string>) {
  const base = childProcessEnv();
  for (const k of Object.keys(base)) if (k.startsWith('FASIT_') || k === 'NODE_OPTIONS') delete base[k];
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'src/main.ts'], {
    cwd: join(REPO_ROOT, 'apps', app),
    env: { ...base, METADATA_SERVER_DETECTION: 'none', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code) => resolve({ code, output })));
  return { child, exited, output: () => output };
}

async function refusal(app: string, env: Record<string, string>): Promise<Exit> {
  const p = startApp(app, env);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 90_000);
  const exit = await p.exited;
  clearTimeout(timer);
  return exit;
}

// What each service needs besides its keys, and the keys it reads.
const SERVICES = {
  'catalog-api': { env: { FASIT_GRPC_PORT: '-1' }, keys: ['FASIT_SECRET_KEYS'] },
  reconciler: { env: {}, keys: ['FASIT_SECRET_KEYS', 'FASIT_AGENT_KEY_SECRET'] },
  dispatcher: { env: {}, keys: ['FASIT_AGENT_KEY_SECRET', 'FASIT_INSTRUCTION_SIGNING_KEY'] },
  naisd: { env: { FASIT_TENANT: 'acme', FASIT_ENVIRONMENT: 'prod' }, keys: ['FASIT_AGENT_KEY', 'FASIT_INSTRUCTION_PUBLIC_KEYS'] },
} as const;
type Service = keyof typeof SERVICES;
const names = Object.keys(SERVICES) as Service[];

const publicKeys: Record<string, string> = DEVELOPMENT_KEYS;

describe('keys outside development mode: every service and naisd, as their own processes', () => {
  it.each(names)('%s without its keys stops at start, naming each missing key', async (app) => {
    const { code, output } = await refusal(app, { FASIT_AUTH_MODE: 'oidc', FASIT_HTTP_HOST: '0.0.0.0', FASIT_HTTP_PORT: '0', ...SERVICES[app].env });
    expect(code).toBe(1);
    for (const key of SERVICES[app].keys) expect(output).toContain(`${key}: required outside development mode (FASIT_AUTH_MODE=dev)`);
  });

  it.each(names.filter((n) => n !== 'naisd'))('%s with the public development keys stops at start, naming each', async (app) => {
    const keys = Object.fromEntries(SERVICES[app].keys.map((k) => [k, publicKeys[k]!]));
    const { code, output } = await refusal(app, { FASIT_AUTH_MODE: 'oidc', FASIT_HTTP_HOST: '0.0.0.0', FASIT_HTTP_PORT: '0', ...SERVICES[app].env, ...keys });
    expect(code).toBe(1);
    for (const key of SERVICES[app].keys) expect(output).toContain(`${key}: is a public development key (it is in Fasit's source)`);
  });

  it('naisd with the agent key derived from the public development secret, and the development instruction key, stops at start', async () => {
    const key = deriveAgentKey(DEVELOPMENT_KEYS.FASIT_AGENT_KEY_SECRET, 'acme', 'prod');
    const { code, output } = await refusal('naisd', {
      FASIT_AUTH_MODE: 'oidc',
      FASIT_HTTP_HOST: '0.0.0.0',
      FASIT_HTTP_PORT: '0',
      ...SERVICES.naisd.env,
      FASIT_AGENT_KEY: key,
      FASIT_INSTRUCTION_PUBLIC_KEYS: DEVELOPMENT_KEYS.FASIT_INSTRUCTION_PUBLIC_KEYS,
    });
    expect(code).toBe(1);
    expect(output).toContain("FASIT_AGENT_KEY: is a public development key (it is in Fasit's source)");
    expect(output).toContain("FASIT_INSTRUCTION_PUBLIC_KEYS: is a public development key (it is in Fasit's source)");
  });

  it('development mode listens on loopback only', async () => {
    const { code, output } = await refusal('dispatcher', { FASIT_HTTP_HOST: '0.0.0.0' });
    expect(code).toBe(1);
    expect(output).toContain(
      'FASIT_HTTP_HOST: 0.0.0.0 is not a loopback address; development mode (FASIT_AUTH_MODE=dev, the default) listens on loopback only',
    );
  });
});

describe('development mode (FASIT_AUTH_MODE unset): the public development keys, and a warning', () => {
  it('the dispatcher and naisd start without any key and warn that their keys are public', async () => {
    const db = await createTestDatabase('keys');
    const started = await Promise.all(
      (['dispatcher', 'naisd'] as const).map(async (app) => {
        const port = await freePort();
        const env: Record<string, string> =
          app === 'naisd' ? { FASIT_TENANT: 'acme', FASIT_ENVIRONMENT: 'dev', FASIT_BUS: 'memory' } : { DATABASE_URL: db.url, FASIT_BUS: 'memory' };
        return { app, port, p: startApp(app, { ...env, FASIT_HTTP_PORT: String(port) }) };
      }),
    );
    try {
      for (const { app, port, p } of started) {
        const deadline = Date.now() + 90_000;
        let ready = false;
        while (!ready && Date.now() < deadline && p.child.exitCode === null) {
          ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
            (r) => r.ok,
            () => false,
          );
          if (!ready) await new Promise((r) => setTimeout(r, 200));
        }
        expect({ app, ready, output: ready ? '' : p.output() }).toEqual({ app, ready: true, output: '' });
        expect(p.output()).toContain('DEVELOPMENT MODE (FASIT_AUTH_MODE=dev)');
        expect(p.output()).toContain('public development key');
      }
    } finally {
      for (const { p } of started) p.child.kill('SIGTERM');
      await Promise.all(started.map(({ p }) => p.exited));
      await db.drop();
    }
  });
});
