// `bash scripts/start`: the whole platform on this machine with the demo. Separate processes over the Pub/Sub
// emulator and PostgreSQL when the machine has them; otherwise everything in one process on an embedded
// PostgreSQL (PGlite) and the in-process bus, and it says so. Ctrl-C stops it.
// `bash scripts/start --agent <tenant>/<env>`: asks the running platform to start a naisd for an environment
// created by hand.
//
// It refuses to start while another start command runs (naming its PID) or while its ports are taken (naming the
// process); when any part fails to start, or stops later, it stops everything it started and prints that part's
// last log lines. The agents start after their environments exist, so a clean start logs no errors.
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { issueBootstrapToken } from '@fasit/catalog-api';
import { ConfigError } from '@fasit/config';
import { ApiCaller, DEMO, seedDemo } from './demo.js';
import { AgentSpecError, parseAgentSpec, requestAgent, serveControlSocket, type AgentRequest } from './control-socket.js';
import { startEmbeddedPlatform } from './embedded.js';
import { InstanceLockError, takeInstanceLock, type InstanceLock } from './instance-lock.js';
import { checkPortsFree, PortTakenError } from './port-check.js';
import { PartFailedError, REPO_ROOT, startProcessPlatform, stopEverythingStarted } from './processes.js';
import { platformKeys, readStartConfig, servicesEnv, type PlatformKeys, type StartConfig } from './start.config.js';

const say = (line = '') => process.stdout.write(`${line}\n`);
const complain = (line: string) => process.stderr.write(`${line}\n`);

/** Settings the local platform runs with unless the environment says otherwise. */
const LOCAL_TUNING: Record<string, string> = { FASIT_RECONCILE_INTERVAL_MS: '10000', FASIT_HEARTBEAT_INTERVAL_MS: '15000' };

/** The demo traces: every process writes its spans as JSON lines into `<run dir>/traces` (docs/decisions/0020-trace-export-in-the-demo.md). */
const demoTracing = (runDir: string): Record<string, string> => ({ FASIT_TRACING: 'file', FASIT_TRACING_DIR: join(runDir, 'traces') });

/** The web console, built by scripts/start before this runs (`pnpm --filter @fasit/web build`), served by catalog-api at /. */
const WEB_ROOT = join(REPO_ROOT, 'apps/web/dist');
/** The console when it is built (scripts/start builds it; the API runs without it otherwise, and says so). */
const webConsole = (): Record<string, string> => (existsSync(join(WEB_ROOT, 'index.html')) ? { FASIT_WEB_ROOT: WEB_ROOT } : {});

interface Running {
  apiUrl: string;
  mode: string;
  /** The database the platform runs on (for the first admin token in oidc mode). */
  databaseUrl: string;
  startAgent(a: AgentRequest): Promise<void>;
  /** Where an agent's log lines go. */
  agentLog(a: AgentRequest): string;
  stop(): Promise<void>;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { agent: { type: 'string' } }, strict: true, allowPositionals: false });
  const config = readStartConfig();
  const socket = join(config.runDir, 'control.sock');
  if (values.agent !== undefined) return startAgentOfRunningPlatform(socket, parseAgentSpec(values.agent));
  const env = { ...LOCAL_TUNING, ...demoTracing(config.runDir), ...webConsole(), ...servicesEnv(config) };
  const keys = platformKeys(config);
  mkdirSync(join(config.runDir, 'logs'), { recursive: true });
  const lock = takeInstanceLock(join(config.runDir, 'start.pid'), (cmd) => cmd.includes('launcher/dist/start.js') || cmd.includes('launcher/src/start.ts'));
  try {
    await checkPortsFree([
      { port: config.apiPort, host: config.apiHost, variable: 'FASIT_HTTP_PORT' },
      ...(config.grpcPort > 0 ? [{ port: config.grpcPort, host: config.grpcHost, variable: 'FASIT_GRPC_PORT' }] : []),
    ]);
  } catch (e) {
    lock.release();
    throw e;
  }
  return runPlatform(config, env, keys, lock, socket);
}

async function runPlatform(config: StartConfig, env: Record<string, string>, keys: PlatformKeys, lock: InstanceLock, socket: string): Promise<number> {
  const logDir = join(config.runDir, 'logs');
  let platform: Running | undefined;
  let control: Server | undefined;
  let exiting = false;
  const stopAll = async () => {
    control?.close();
    await platform?.stop().catch((e: unknown) => complain(`stopping the platform: ${e instanceof Error ? e.message : String(e)}`));
    await stopEverythingStarted(); // what had started when a signal came before the platform was up
    lock.release();
  };
  // Ctrl-C (or SIGTERM) at any moment, also while starting: stop everything started so far, then exit. A second
  // Ctrl-C while stopping changes nothing.
  const onSignal = () => {
    if (exiting) return;
    exiting = true;
    say('stopping…');
    void stopAll().then(() => process.exit(platformUp ? 0 : 130));
  };
  let platformUp = false;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const failed = async (e: unknown): Promise<number> => {
    if (exiting) return new Promise<number>(() => undefined); // stopping on a signal already: that exits

    exiting = true;
    if (e instanceof PartFailedError) {
      complain(`\nFasit stopped: ${e.part} ${e.reason}. Everything the start command started is stopped. The last lines of ${e.part}'s log:`);
      complain(
        e.logTail
          .split('\n')
          .map((l) => `  | ${l}`)
          .join('\n'),
      );
    } else {
      complain(`\nFasit stopped: ${e instanceof Error ? e.message : String(e)}. Everything the start command started is stopped.`);
    }
    await stopAll();
    return 1;
  };

  try {
    if (config.databaseUrl && config.emulator) {
      say(`starting catalog-api, then matcher, reconciler and dispatcher (logs in ${logDir})…`);
      const p = await startProcessPlatform({
        databaseUrl: config.databaseUrl,
        pubsubEmulatorHost: config.emulator,
        pubsubProjectId: config.pubsubProjectId,
        apiPort: config.apiPort,
        ...(config.grpcPort > 0 ? { grpcPort: config.grpcPort } : {}),
        agentKeySecret: keys.agentKeySecret,
        ...(keys.instructionKeys ? { instructionKeys: keys.instructionKeys } : {}),
        logDir,
        env: config.grpcPort > 0 ? env : { ...env, FASIT_GRPC_PORT: '-1' },
        onUnexpectedExit: (part, code, logTail) => {
          if (exiting) return; // stopping anyway (Ctrl-C reaches every process of the terminal's group at once)
          void failed(new PartFailedError(part.name, `stopped unexpectedly (exit code ${code ?? 'none: killed by a signal'})`, logTail)).then((c) =>
            process.exit(c),
          );
        },
      });
      platform = {
        apiUrl: p.apiUrl,
        databaseUrl: config.databaseUrl,
        mode: `separate processes (catalog-api, matcher, reconciler, dispatcher, a naisd per environment) over the Pub/Sub emulator at ${config.emulator} and PostgreSQL; logs in ${logDir}`,
        startAgent: async (a) => void (await p.startAgent(a)),
        agentLog: (a) => `log: ${join(logDir, `naisd-${a.tenant}-${a.environment}.log`)}`,
        stop: () => p.stop(),
      };
    } else {
      say(
        'WARNING: no PostgreSQL server and Pub/Sub emulator on this machine (see scripts/services.sh); falling back to an embedded PostgreSQL (PGlite) and the in-process bus, all in this one process.',
      );
      const p = await startEmbeddedPlatform({
        dataDir: `${config.stateDir}/pglite`,
        apiPort: config.apiPort,
        grpcPort: config.grpcPort,
        agentKeySecret: keys.agentKeySecret,
        ...(keys.instructionKeys ? { instructionKeys: keys.instructionKeys } : {}),
        env,
      });
      platform = {
        apiUrl: p.apiUrl,
        databaseUrl: p.databaseUrl,
        mode: 'one process: embedded PostgreSQL (PGlite) and the in-process bus',
        startAgent: (a) => p.startAgent(a),
        agentLog: () => "in the start command's process, which prints its log lines",
        stop: () => p.stop(),
      };
    }
    const running = platform;

    // oidc: every call needs a token, and nobody is an admin yet. The first admin token comes from the database
    // (docs/decisions/0008-first-admin-credential.md), not from the service.
    if (config.authMode === 'oidc') say('issuing the first admin token (with database access)…');
    const admin =
      config.authMode === 'oidc'
        ? await issueBootstrapToken(running.databaseUrl, { name: 'scripts-start', expiresInDays: 30, by: `scripts/start (PID ${process.pid})` })
        : undefined;
    const caller = new ApiCaller(running.apiUrl, admin?.token);
    say('seeding the demo…');
    const demo = await seedDemo(caller, config.registry);
    // The agents after their environments: an agent's first report names its environment, which must exist.
    say(`starting the demo's agents (naisd for ${DEMO.environments.map((e) => `${DEMO.tenant}/${e.name}`).join(', ')})…`);
    for (const e of DEMO.environments) await running.startAgent({ tenant: DEMO.tenant, environment: e.name });
    control = await serveControlSocket(socket, async (a) => {
      const found = await caller.call('GET', `/api/v1/tenants/${a.tenant}/environments/${a.environment}`);
      if (found.status === 404)
        throw new Error(`environment ${a.tenant}/${a.environment} does not exist; create it first (POST /api/v1/tenants/${a.tenant}/environments)`);
      if (found.status !== 200) throw new Error(`looking up ${a.tenant}/${a.environment} failed: ${found.status} ${JSON.stringify(found.body)}`);
      await running.startAgent(a);
      return `naisd for ${a.tenant}/${a.environment} is running (${running.agentLog(a)}); it stops with the platform`;
    });

    const api = running.apiUrl;
    const auth = admin ? ' -H "authorization: Bearer $FASIT_TOKEN"' : '';
    say('');
    say(`Fasit is running: ${running.mode}.`);
    say(
      env['FASIT_WEB_ROOT'] === undefined
        ? '  Console:        not built (pnpm --filter @fasit/web build; bash scripts/start builds it)'
        : `  Console:        ${api}/   (the web UI; ${admin ? (env['FASIT_WEB_OIDC_AUTHORITY'] ? `sign in with ${env['FASIT_WEB_OIDC_AUTHORITY']}` : 'signing in needs FASIT_WEB_OIDC_AUTHORITY and FASIT_WEB_OIDC_CLIENT_ID') : 'no sign-in in local development mode'})`,
    );
    say(`  API:            ${api}/api/v1   (OpenAPI: ${api}/api/v1/openapi.json${admin ? '' : '; local development mode: no authentication, loopback only'})`);
    if (admin) {
      say(`  Admin token:    export FASIT_TOKEN=${admin.token}`);
      say(
        `                  (a global admin API token, expires ${admin.expiresAt}; issued with database access, see docs/decisions/0008-first-admin-credential.md)`,
      );
    }
    if (keys.generated.length > 0) say(`  Keys:           ${keys.generated.join(', ')} made up for this start (not kept; set them to keep them)`);
    if (config.grpcPort > 0) say(`  gRPC:           ${config.grpcHost}:${config.grpcPort} (management API for Terraform)`);
    if (demo.assignmentId !== null) {
      say(
        `  Demo:           tenant "${DEMO.tenant}", environments ${DEMO.environments.map((e) => e.name).join(', ')}; ${demo.chart}:${demo.version} assigned to {tenant: ${DEMO.tenant}}`,
      );
      say(`  Watch it:       curl -s${auth} ${api}/api/v1/assignments/${demo.assignmentId}/status`);
    } else {
      say(
        `  Demo:           tenant "${DEMO.tenant}", environments ${DEMO.environments.map((e) => e.name).join(', ')}; WARNING: no demo feature: ${demo.problem}`,
      );
    }
    if (env['FASIT_TRACING'] === 'file')
      say(`  Traces:         ${env['FASIT_TRACING_DIR'] ?? ''}/*.jsonl (a span per line; docs/operations.md "How to read a trace")`);
    say(`  One feature:    curl -s${auth} ${api}/api/v1/tenants/${DEMO.tenant}/environments/dev/features/${DEMO.feature}`);
    say('  More agents:    bash scripts/start --agent <tenant>/<environment>   (for an environment you created)');
    say(`  Stop:           Ctrl-C (PID ${process.pid})`);
    platformUp = true;
  } catch (e) {
    return failed(e);
  }
  return new Promise<number>(() => undefined); // runs until a signal (onSignal exits) or a part fails
}

async function startAgentOfRunningPlatform(socket: string, agent: AgentRequest): Promise<number> {
  const answer = await requestAgent(socket, agent);
  if (answer.ok) {
    say(answer.message);
    return 0;
  }
  complain(
    answer.reached
      ? `naisd for ${agent.tenant}/${agent.environment} not started: ${answer.message}`
      : `no running Fasit platform answered at ${socket} (${answer.message}); start it first with bash scripts/start`,
  );
  return 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    // What a user got wrong (or what is in the way) in one line; anything else with its stack.
    const known =
      e instanceof InstanceLockError ||
      e instanceof PortTakenError ||
      e instanceof AgentSpecError ||
      e instanceof ConfigError ||
      (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'));
    complain(`Fasit did not start: ${!(e instanceof Error) ? String(e) : known ? e.message : (e.stack ?? e.message)}`);
    process.exit(1);
  },
);
