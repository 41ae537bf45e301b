// The start command's configuration, read from the environment once like every service's (a typo in a FASIT_*
// variable stops it, naming the variable). Every FASIT_* setting it is given also goes to the services it starts
// (`servicesEnv`), so `FASIT_AUTH_MODE=oidc FASIT_SECRET_KEYS=… bash scripts/start` runs them that way; the ones
// it sets per process (ports) and the scripts' own are not passed on.
import { childProcessEnv, ConfigError, readConfig, type ConfigOf, type Spec } from '@fasit/config';

export const startSpec = {
  databaseUrl: { env: 'DATABASE_URL', type: 'optional-string' },
  emulator: { env: 'PUBSUB_EMULATOR_HOST', type: 'optional-string' },
  pubsubProjectId: { env: 'PUBSUB_PROJECT_ID', type: 'string', default: 'fasit-local' },
  registry: { env: 'OCI_REGISTRY', type: 'string', default: '127.0.0.1:55000' },
  apiHost: { env: 'FASIT_HTTP_HOST', type: 'string', default: '127.0.0.1' },
  apiPort: { env: 'FASIT_HTTP_PORT', type: 'int', default: 8080, min: 1, max: 65535 },
  grpcHost: { env: 'FASIT_GRPC_HOST', type: 'string', default: '127.0.0.1' },
  grpcPort: { env: 'FASIT_GRPC_PORT', type: 'int', default: 4444, min: -1, max: 65535, doc: '-1 turns gRPC off' },
  authMode: { env: 'FASIT_AUTH_MODE', type: 'enum', values: ['dev', 'oidc'] as const, default: 'dev' },
  agentKeySecret: { env: 'FASIT_AGENT_KEY_SECRET', type: 'string', default: 'local-development-agent-secret' },
  stateDir: { env: 'FASIT_STATE_DIR', type: 'string', default: '/tmp/fasit-local' },
  runDir: { env: 'FASIT_RUN_DIR', type: 'optional-string', doc: 'the start command\'s own files (PID file, control socket, logs); default <FASIT_STATE_DIR>/run' },
  logLevel: { env: 'LOG_LEVEL', type: 'enum', values: ['debug', 'info', 'warn', 'error'] as const, default: 'info' },
} as const satisfies Spec;

export type StartConfig = ConfigOf<typeof startSpec> & { runDir: string };

export function readStartConfig(env: Readonly<Record<string, string | undefined>> = childProcessEnv()): StartConfig {
  const config = readConfig(startSpec, env);
  return { ...config, runDir: config.runDir ?? `${config.stateDir}/run` };
}

/** Set per process by the launcher, or the scripts' own: never passed on as given. */
const NOT_PASSED_ON = new Set(['FASIT_HTTP_PORT', 'FASIT_GRPC_PORT', 'FASIT_STATE_DIR', 'FASIT_RUN_DIR', 'FASIT_PG_PORT', 'FASIT_PUBSUB_PORT', 'FASIT_REGISTRY_PORT', 'FASIT_PUBSUB_EMULATOR']);

/**
 * The settings every service and agent gets: the FASIT_* variables given to the start command, and LOG_LEVEL.
 *
 * The catalog pulls charts only from FASIT_OCI_REGISTRIES (when it is empty: loopback in dev mode, nothing in oidc
 * mode), and the demo lives in the local registry (OCI_REGISTRY). In oidc mode without FASIT_OCI_REGISTRIES the
 * catalog gets that registry alone; in either mode a list that leaves it out is refused (the demo could not be
 * ingested), naming both variables.
 */
export function servicesEnv(config: Pick<StartConfig, 'authMode' | 'registry'>, env: Readonly<Record<string, string | undefined>> = childProcessEnv()): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && ((k.startsWith('FASIT_') && !NOT_PASSED_ON.has(k)) || k === 'LOG_LEVEL')) out[k] = v;
  }
  const listed = (out['FASIT_OCI_REGISTRIES'] ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  const registry = config.registry.toLowerCase();
  if (listed.length === 0) {
    if (config.authMode === 'oidc') out['FASIT_OCI_REGISTRIES'] = config.registry;
  } else if (!listed.includes(registry) && !listed.includes(registry.replace(/:\d+$/, ''))) {
    throw new ConfigError([`FASIT_OCI_REGISTRIES: ${listed.join(',')} leaves out the local registry ${config.registry} (OCI_REGISTRY) the start command pushes the demo feature to; add it, or leave FASIT_OCI_REGISTRIES unset`]);
  }
  return out;
}
