// `bash scripts/start`: the whole platform on this machine with the demo. Separate processes over the Pub/Sub
// emulator and PostgreSQL when the machine has them; otherwise everything in one process on an embedded
// PostgreSQL (PGlite) and the in-process bus, and it says so. Ctrl-C stops it.
import { mkdirSync } from 'node:fs';
import { readConfig, type Spec } from '@fasit/config';
import { DEMO, seedDemo } from './demo.js';
import { startEmbeddedPlatform } from './embedded.js';
import { REPO_ROOT, startProcessPlatform } from './processes.js';

const spec = {
  databaseUrl: { env: 'DATABASE_URL', type: 'optional-string' },
  emulator: { env: 'PUBSUB_EMULATOR_HOST', type: 'optional-string' },
  registry: { env: 'OCI_REGISTRY', type: 'string', default: '127.0.0.1:55000' },
  apiPort: { env: 'FASIT_HTTP_PORT', type: 'int', default: 8080, min: 1, max: 65535 },
  grpcPort: { env: 'FASIT_GRPC_PORT', type: 'int', default: 4444, min: 1, max: 65535 },
  stateDir: { env: 'FASIT_STATE_DIR', type: 'string', default: '/tmp/fasit-local' },
} as const satisfies Spec;

const config = readConfig(spec);
const logDir = `${config.stateDir}/logs`;
mkdirSync(logDir, { recursive: true });
const say = (line: string) => process.stdout.write(`${line}\n`);
const agentKeySecret = 'local-development-agent-secret';
/** The web console, built by scripts/start before this runs (`pnpm --filter @fasit/web build`), served by catalog-api at /. */
const webRoot = `${REPO_ROOT}/apps/web/dist`;

let stop: () => Promise<void>;
let api: string;
let mode: string;
if (config.databaseUrl && config.emulator) {
  const platform = await startProcessPlatform({
    databaseUrl: config.databaseUrl,
    pubsubEmulatorHost: config.emulator,
    pubsubProjectId: 'fasit-local',
    apiPort: config.apiPort,
    grpcPort: config.grpcPort,
    agentKeySecret,
    logDir,
    env: { FASIT_RECONCILE_INTERVAL_MS: '10000', FASIT_HEARTBEAT_INTERVAL_MS: '15000', FASIT_WEB_ROOT: webRoot },
  });
  for (const e of DEMO.environments) await platform.startAgent({ tenant: DEMO.tenant, environment: e.name });
  stop = () => platform.stop();
  api = platform.apiUrl;
  mode = `separate processes (catalog-api, matcher, reconciler, dispatcher, ${DEMO.environments.length} naisd agents) over the Pub/Sub emulator at ${config.emulator} and PostgreSQL; logs in ${logDir}`;
} else {
  say('WARNING: no PostgreSQL server and Pub/Sub emulator on this machine (see scripts/services.sh); falling back to an embedded PostgreSQL (PGlite) and the in-process bus, all in this one process.');
  const platform = await startEmbeddedPlatform({ dataDir: `${config.stateDir}/pglite`, apiPort: config.apiPort, grpcPort: config.grpcPort, agentKeySecret, env: { FASIT_WEB_ROOT: webRoot }, agents: DEMO.environments.map((e) => ({ tenant: DEMO.tenant, environment: e.name })) });
  stop = () => platform.stop();
  api = platform.apiUrl;
  mode = 'one process: embedded PostgreSQL (PGlite) and the in-process bus';
}

const demo = await seedDemo(api, config.registry);
say('');
say(`Fasit is running: ${mode}.`);
say(`  Console:        ${api}/   (the web UI; no sign-in in local development mode)`);
say(`  API:            ${api}/api/v1   (OpenAPI: ${api}/api/v1/openapi.json, local development mode: no authentication, loopback only)`);
say(`  gRPC:           127.0.0.1:${config.grpcPort} (management API for Terraform)`);
if (demo.assignmentId !== null) {
  say(`  Demo:           tenant "${DEMO.tenant}", environments ${DEMO.environments.map((e) => e.name).join(', ')}; ${demo.chart}:${demo.version} assigned to {tenant: ${DEMO.tenant}}`);
  say(`  Watch it:       curl -s ${api}/api/v1/assignments/${demo.assignmentId}/status`);
} else {
  say(`  Demo:           tenant "${DEMO.tenant}", environments ${DEMO.environments.map((e) => e.name).join(', ')}; WARNING: no demo feature: ${demo.problem}`);
}
say(`  One feature:    curl -s ${api}/api/v1/tenants/${DEMO.tenant}/environments/dev/features/${DEMO.feature}`);
say('  Stop:           Ctrl-C');

const shutdown = () => {
  say('stopping…');
  void stop().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
