// The start command's configuration, read from the environment once like every service's (a typo in a FASIT_*
// variable stops it, naming the variable). Every FASIT_* setting it is given also goes to the services it starts
// (`servicesEnv`), so `FASIT_AUTH_MODE=oidc FASIT_SECRET_KEYS=… bash scripts/start` runs them that way; the ones
// it sets per process (ports) and the scripts' own are not passed on.
import { randomBytes } from 'node:crypto';
import {
  childProcessEnv,
  ConfigError,
  DEVELOPMENT_KEYS,
  generateInstructionKeys,
  parseInstructionSigningKey,
  readConfig,
  type ConfigOf,
  type Spec,
} from '@fasit/config';
import type { InstructionKeys } from './processes.js';

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
  agentKeySecret: {
    env: 'FASIT_AGENT_KEY_SECRET',
    type: 'optional-string',
    doc: 'unset: the development secret in dev mode, a fresh random one per start in oidc mode',
  },
  instructionSigningKey: {
    env: 'FASIT_INSTRUCTION_SIGNING_KEY',
    type: 'optional-string',
    doc: 'unset: the development key in dev mode, a fresh key pair per start in oidc mode',
  },
  instructionPublicKeys: { env: 'FASIT_INSTRUCTION_PUBLIC_KEYS', type: 'optional-string', doc: 'unset: the public half of FASIT_INSTRUCTION_SIGNING_KEY' },
  stateDir: { env: 'FASIT_STATE_DIR', type: 'string', default: '/tmp/fasit-local' },
  runDir: {
    env: 'FASIT_RUN_DIR',
    type: 'optional-string',
    doc: "the start command's own files (PID file, control socket, logs); default <FASIT_STATE_DIR>/run",
  },
  logLevel: { env: 'LOG_LEVEL', type: 'enum', values: ['debug', 'info', 'warn', 'error'] as const, default: 'info' },
} as const satisfies Spec;

export type StartConfig = ConfigOf<typeof startSpec> & { runDir: string };

export function readStartConfig(env: Readonly<Record<string, string | undefined>> = childProcessEnv()): StartConfig {
  const config = readConfig(startSpec, env);
  return { ...config, runDir: config.runDir ?? `${config.stateDir}/run` };
}

/** Set per process by the launcher, or the scripts' own: never passed on as given. */
const NOT_PASSED_ON = new Set([
  'FASIT_HTTP_PORT',
  'FASIT_GRPC_PORT',
  'FASIT_STATE_DIR',
  'FASIT_RUN_DIR',
  'FASIT_PG_PORT',
  'FASIT_PUBSUB_PORT',
  'FASIT_REGISTRY_PORT',
  'FASIT_PUBSUB_EMULATOR',
  // the platform's keys go where they belong (platformKeys): the private instruction key to the dispatcher alone
  'FASIT_AGENT_KEY_SECRET',
  'FASIT_INSTRUCTION_SIGNING_KEY',
  'FASIT_INSTRUCTION_PUBLIC_KEYS',
]);

export interface PlatformKeys {
  agentKeySecret: string;
  /** Undefined: the services' development keys (dev mode only). */
  instructionKeys?: InstructionKeys;
  /** What the start command made up for this start (printed, so nobody mistakes them for kept keys). */
  generated: string[];
}

/**
 * The keys the platform runs with. Given ones are used (the public instruction keys default to the signing key's
 * public half). Not given: in dev mode the services' public development keys; in oidc mode, where the services
 * refuse development keys, a fresh agent secret and instruction key pair for this start — every agent is started
 * by this start command and gets them, so nothing outlives them.
 */
export function platformKeys(config: Pick<StartConfig, 'authMode' | 'agentKeySecret' | 'instructionSigningKey' | 'instructionPublicKeys'>): PlatformKeys {
  const generated: string[] = [];
  const oidc = config.authMode === 'oidc';
  let agentKeySecret = config.agentKeySecret;
  if (agentKeySecret === undefined) {
    if (oidc) generated.push('FASIT_AGENT_KEY_SECRET');
    agentKeySecret = oidc ? randomBytes(32).toString('hex') : DEVELOPMENT_KEYS.FASIT_AGENT_KEY_SECRET;
  }
  if (config.instructionSigningKey === undefined) {
    if (config.instructionPublicKeys !== undefined) {
      throw new ConfigError([
        'FASIT_INSTRUCTION_PUBLIC_KEYS: given without FASIT_INSTRUCTION_SIGNING_KEY, so no instruction would verify; give both, or neither',
      ]);
    }
    if (!oidc) return { agentKeySecret, generated };
    generated.push('FASIT_INSTRUCTION_SIGNING_KEY', 'FASIT_INSTRUCTION_PUBLIC_KEYS');
    return { agentKeySecret, instructionKeys: generateInstructionKeys('scripts-start'), generated };
  }
  let publicKeys = config.instructionPublicKeys;
  if (publicKeys === undefined) {
    try {
      publicKeys = JSON.stringify({ keys: [parseInstructionSigningKey(config.instructionSigningKey).publicJwk] });
    } catch (e) {
      throw new ConfigError([`FASIT_INSTRUCTION_SIGNING_KEY: ${(e as Error).message}`]);
    }
  }
  return { agentKeySecret, instructionKeys: { signingKey: config.instructionSigningKey, publicKeys }, generated };
}

/**
 * The settings every service and agent gets: the FASIT_* variables given to the start command, and LOG_LEVEL.
 *
 * The catalog pulls charts only from FASIT_OCI_REGISTRIES (when it is empty: loopback in dev mode, nothing in oidc
 * mode), and the demo lives in the local registry (OCI_REGISTRY). In oidc mode without FASIT_OCI_REGISTRIES the
 * catalog gets that registry alone; in either mode a list that leaves it out is refused (the demo could not be
 * ingested), naming both variables.
 */
export function servicesEnv(
  config: Pick<StartConfig, 'authMode' | 'registry'>,
  env: Readonly<Record<string, string | undefined>> = childProcessEnv(),
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && ((k.startsWith('FASIT_') && !NOT_PASSED_ON.has(k)) || k === 'LOG_LEVEL')) out[k] = v;
  }
  const listed = (out['FASIT_OCI_REGISTRIES'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const registry = config.registry.toLowerCase();
  if (listed.length === 0) {
    if (config.authMode === 'oidc') out['FASIT_OCI_REGISTRIES'] = config.registry;
  } else if (!listed.includes(registry) && !listed.includes(registry.replace(/:\d+$/, ''))) {
    throw new ConfigError([
      `FASIT_OCI_REGISTRIES: ${listed.join(',')} leaves out the local registry ${config.registry} (OCI_REGISTRY) the start command pushes the demo feature to; add it, or leave FASIT_OCI_REGISTRIES unset`,
    ]);
  }
  return out;
}
