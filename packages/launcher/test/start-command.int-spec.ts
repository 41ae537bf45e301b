// The start command as a newcomer meets it (compiled, as `bash scripts/start` runs it), each platform on its own
// database, Pub/Sub project (the emulator), ports and run directory, with the local OCI registry and the real helm
// (client-side dry run: no Kubernetes API server runs here). It refuses a second instance and a taken port naming
// the PID; a part that fails stops everything with that part's last log lines; FASIT_* settings reach the services
// (oidc mode: no token → 401, the printed admin token works, the demo deploys on the keys it made up); a clean start logs no error; the "Watch it" line
// names the demo's own assignment after a restart; `--agent t/e` starts a naisd in the running platform, in the
// process platform and in the embedded one (PGlite and the in-process bus, where it runs in the start command).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pushChart } from '@fasit/testing';
import {
  alive,
  buildOnce,
  childrenOf,
  errorLines,
  interrupt,
  runStart,
  spawnStart,
  startEnvironment,
  waitRunning,
  type StartedCommand,
  type StartEnvironment,
} from './start-command.js';

beforeAll(() => buildOnce(), 300_000);

const watchIt = (output: string): string => /Watch it: +curl -s (?:-H "[^"]+" )?(\S+)/.exec(output)?.[1] ?? '(no Watch it line)';

describe('bash scripts/start (the compiled start command; Pub/Sub emulator, PostgreSQL, local OCI registry, helm dry-run without a Kubernetes API)', () => {
  describe('one platform, started twice', () => {
    let s: StartEnvironment;
    beforeAll(async () => (s = await startEnvironment()));
    afterAll(async () => s.cleanup());

    it('runs, logs no error, refuses a second start naming the PID, starts an agent for an environment made by hand, and names the demo assignment again after a restart', async () => {
      const first = spawnStart(s.env);
      try {
        await startedTwice(first);
      } finally {
        await interrupt(first);
      }
    }, 1_500_000);

    async function startedTwice(first: StartedCommand): Promise<void> {
      const output = await waitRunning(first);
      const parts = childrenOf(first.child.pid!);
      expect(parts.length).toBe(7); // catalog-api, matcher, reconciler, dispatcher, naisd for mgmt, dev, prod

      // The demo deploys; nothing logged an error (the agents started after their environments existed).
      const status = watchIt(output);
      const demo = (await (await fetch(status.replace(/\/status$/, ''))).json()) as { target: unknown; version: string };
      expect(demo).toMatchObject({ target: { tenant: 'demo' }, version: '0.1.0' });
      await waitFor(async () => ((await (await fetch(status)).json()) as { state: string }).state === 'DEPLOYED', 'the demo assignment DEPLOYED');
      expect(errorLines(s.runDir)).toEqual([]);

      // A second start command: refused, naming the first one's PID; it starts nothing.
      const second = spawnStart(s.env);
      expect(await second.exited).toBe(1);
      expect(second.stderr()).toContain(`another Fasit start command is running (PID ${first.child.pid}:`);
      expect(childrenOf(first.child.pid!).sort()).toEqual(parts.sort());

      // Another run directory, the same API port: refused, naming the process that holds the port (the catalog).
      const sameTenantPort = spawnStart({ ...s.env, FASIT_RUN_DIR: `${s.runDir}-other` });
      expect(await sameTenantPort.exited).toBe(1);
      const catalogPid = parts.find(
        (p) =>
          readFileSync(`/proc/${p}/cmdline`, 'utf8') !== '' &&
          spawnSync('readlink', [`/proc/${p}/cwd`], { encoding: 'utf8' })
            .stdout.trim()
            .endsWith('apps/catalog-api'),
      );
      expect(sameTenantPort.stderr()).toContain(`port 127.0.0.1:${s.apiPort} (FASIT_HTTP_PORT) is in use by PID ${catalogPid} (`);

      // An environment created by hand gets its agent from `scripts/start --agent`; a missing one is refused.
      const created = await fetch(`${s.api}/tenants/demo/environments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'byhand', kind: 'tenant' }),
      });
      expect(created.status).toBe(201);
      const agentEnv = { ...s.env, FASIT_STATE_DIR: s.env['FASIT_STATE_DIR']! };
      const ok = await runStart(['--agent', 'demo/byhand'], agentEnv);
      expect([ok.status, ok.stdout.trim(), ok.stderr]).toEqual([
        0,
        `naisd for demo/byhand is running (log: ${join(s.runDir, 'logs', 'naisd-demo-byhand.log')}); it stops with the platform`,
        '',
      ]);
      expect(childrenOf(first.child.pid!)).toHaveLength(8);
      const missing = await runStart(['--agent', 'demo/nowhere'], agentEnv);
      expect([missing.status, missing.stderr.trim()]).toEqual([
        1,
        'naisd for demo/nowhere not started: environment demo/nowhere does not exist; create it first (POST /api/v1/tenants/demo/environments)',
      ]);
      const bad = await runStart(['--agent', 'Demo'], agentEnv);
      expect([bad.status, bad.stderr.trim()]).toEqual([
        1,
        'Fasit did not start: --agent "Demo": expected <tenant>/<environment>, each a DNS label (lowercase letters, digits, "-")',
      ]);

      // Another assignment of the demo feature (the README's walkthrough: 0.2.0 to prod), then Ctrl-C and a restart.
      const v2 = await pushChart('demo-feature', { repoPath: `start-${randomBytes(3).toString('hex')}`, version: '0.2.0' });
      const prod = await fetch(`${s.api}/assignments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chart: v2.ref, version: '0.2.0', target: { tenant: 'demo', env: 'prod' } }),
      });
      expect(prod.status).toBe(201);
      const everyPart = childrenOf(first.child.pid!);
      expect(await interrupt(first)).toEqual({ code: 0 });
      expect(everyPart.filter(alive)).toEqual([]);
      expect(existsSync(join(s.runDir, 'start.pid'))).toBe(false);

      const again = spawnStart(s.env);
      try {
        const restarted = await waitRunning(again);
        expect(watchIt(restarted)).toBe(status);
        expect(restarted).toContain('oci://');
        expect(restarted).toContain('demo-feature:0.1.0 assigned to {tenant: demo}');
      } finally {
        await interrupt(again);
      }
    }
  });

  it("stops everything it started when a part fails (no helm for the agents), showing that part's last log lines", async () => {
    const s = await startEnvironment({ FASIT_HELM_BIN: '/nonexistent/helm' });
    try {
      const started = spawnStart(s.env);
      const seen = new Set<number>();
      const watcher = setInterval(() => childrenOf(started.child.pid!).forEach((p) => seen.add(p)), 100);
      const code = await started.exited;
      clearInterval(watcher);
      expect(code).toBe(1);
      expect(started.stderr()).toContain(
        "Fasit stopped: naisd-demo-mgmt exited with 1 while starting. Everything the start command started is stopped. The last lines of naisd-demo-mgmt's log:",
      );
      expect(started.stderr()).toMatch(/\| .*\/nonexistent\/helm.*ENOENT/);
      expect(seen.size).toBeGreaterThanOrEqual(5); // the control plane and the first agent had started
      expect([...seen].filter(alive)).toEqual([]);
      expect(existsSync(join(s.runDir, 'start.pid'))).toBe(false);
      // Its port is free again: a start with helm runs on it.
      const again = spawnStart({ ...s.env, FASIT_HELM_BIN: '' });
      try {
        await waitRunning(again);
      } finally {
        await interrupt(again);
      }
    } finally {
      await s.cleanup();
    }
  }, 1_200_000);

  it('passes FASIT_* settings to the services: in oidc mode a call without a token gets 401, the admin token it prints works', async () => {
    const s = await startEnvironment({
      FASIT_AUTH_MODE: 'oidc',
      FASIT_SECRET_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      FASIT_AGENT_KEY_SECRET: randomBytes(32).toString('base64url'),
    });
    const started = spawnStart(s.env);
    try {
      const output = await waitRunning(started);
      const anonymous = await fetch(`${s.api}/tenants`);
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as { code: string }).code).toBe('UNAUTHENTICATED');
      const token = /Admin token: +export FASIT_TOKEN=(fasit_\S+)/.exec(output)?.[1];
      expect(token).toBeDefined();
      const tenants = await fetch(`${s.api}/tenants`, { headers: { authorization: `Bearer ${token}` } });
      expect(tenants.status).toBe(200);
      expect(((await tenants.json()) as { name: string }[]).map((t) => t.name)).toEqual(['demo']);
      expect(output).toContain('Watch it:       curl -s -H "authorization: Bearer $FASIT_TOKEN" ');
      // The services refuse development keys in oidc mode: the start command made up the agent secret and the
      // instruction key pair, and the demo deploys with them (the agents verified the dispatcher's signatures).
      expect(output).toContain('Keys:           FASIT_INSTRUCTION_SIGNING_KEY, FASIT_INSTRUCTION_PUBLIC_KEYS made up for this start');
      const status = watchIt(output);
      const auth = { headers: { authorization: `Bearer ${token}` } };
      await waitFor(
        async () => ((await (await fetch(status, auth)).json()) as { state: string }).state === 'DEPLOYED',
        'the demo assignment DEPLOYED in oidc mode',
      );
      expect(errorLines(s.runDir)).toEqual([]);
    } finally {
      expect(await interrupt(started)).toEqual({ code: 0 });
      await s.cleanup();
    }
  }, 1_200_000);

  it("embedded mode (no PostgreSQL server, no emulator: PGlite and the in-process bus): --agent starts a naisd in the start command's process, and it reports", async () => {
    const s = await startEnvironment();
    const env = Object.fromEntries(Object.entries(s.env).filter(([k]) => !['DATABASE_URL', 'PUBSUB_EMULATOR_HOST', 'PUBSUB_PROJECT_ID'].includes(k)));
    const started = spawnStart(env);
    try {
      const output = await waitRunning(started);
      expect(output).toContain('Fasit is running: one process: embedded PostgreSQL (PGlite) and the in-process bus.');
      const created = await fetch(`${s.api}/tenants/demo/environments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'byhand', kind: 'tenant' }),
      });
      expect(created.status).toBe(201);
      const status = watchIt(output);
      const byhand = async () =>
        ((await (await fetch(status)).json()) as { environments: { environment: string; state: string; message: string | null }[] }).environments.find(
          (e) => e.environment === 'byhand',
        );
      await waitFor(async () => (await byhand())?.message === 'naisd has not reported yet', 'the demo assignment waiting for an agent in demo/byhand');

      const ok = await runStart(['--agent', 'demo/byhand'], env);
      expect([ok.status, ok.stdout.trim(), ok.stderr]).toEqual([
        0,
        "naisd for demo/byhand is running (in the start command's process, which prints its log lines); it stops with the platform",
        '',
      ]);
      // The agent reports: the environment leaves "naisd has not reported yet" (FAILED: the demo's secret is
      // configured for the demo's own environments only).
      let state: string | undefined;
      await waitFor(async () => !['PENDING', undefined].includes((state = (await byhand())?.state)), 'the agent of demo/byhand to report');
      expect(state).toMatch(/^(FAILED|DEPLOYED)$/);
    } finally {
      expect(await interrupt(started)).toEqual({ code: 0 });
      await s.cleanup();
    }
  }, 1_200_000);
});

/**
 * Polls until `check` holds. A poll whose connection the server closed under it (undici's "fetch failed: other side
 * closed", a keep-alive connection reused as the busy server drops it) is polled again; the deadline still holds.
 */
async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (e) {
      // By name, not `instanceof TypeError`: under jest, fetch's errors come from another realm than the test's.
      if (!(e instanceof Object && 'name' in e && e.name === 'TypeError' && 'message' in e && e.message === 'fetch failed')) throw e;
      lastError = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`, { cause: lastError });
    await new Promise((r) => setTimeout(r, 500));
  }
}
