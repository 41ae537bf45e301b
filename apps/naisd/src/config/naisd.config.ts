// naisd's configuration: read once at start from the environment through @fasit/config, validated as a whole.
import { busSpec, DEVELOPMENT_KEYS, instructionTrustSpec, logSpec, tracingSpec, modeSpec, readConfig, type ConfigOf, type Env, type Spec } from '@fasit/config';
import { deriveAgentKey } from '@fasit/domain';

export const DEFAULT_INSECURE_REGISTRIES = 'localhost,127.0.0.1,[::1]';

/** The agent key the control plane derives from the public development FASIT_AGENT_KEY_SECRET. */
const developmentAgentKey = (env: Env): string =>
  deriveAgentKey(DEVELOPMENT_KEYS.FASIT_AGENT_KEY_SECRET, env['FASIT_TENANT'] ?? '', env['FASIT_ENVIRONMENT'] ?? '');

export const naisdSpec = {
  ...modeSpec,
  ...busSpec,
  ...logSpec,
  ...tracingSpec,
  tenant: { env: 'FASIT_TENANT', type: 'string', doc: 'the tenant this agent belongs to' },
  environment: { env: 'FASIT_ENVIRONMENT', type: 'string', doc: 'the environment (cluster) this agent runs in' },
  agentKey: {
    env: 'FASIT_AGENT_KEY',
    type: 'key',
    minLength: 32,
    list: true,
    devDefault: developmentAgentKey,
    how: 'HMAC-SHA256 of "fasit-agent:<tenant>/<environment>" under the control plane\'s FASIT_AGENT_KEY_SECRET, 64 hex characters (infra/helm/naisd/README.md); "new,old" while rotating',
    doc: "this environment's key (deriveAgentKey on the control plane): signs its reports (the first) and opens its values (any)",
  },
  ...instructionTrustSpec,
  kubeconfig: {
    env: 'FASIT_KUBECONFIG',
    type: 'optional-string',
    doc: 'kubeconfig of the cluster to install into; unset = dry-run (helm --dry-run=client with the memory driver, no cluster)',
  },
  helmBin: { env: 'FASIT_HELM_BIN', type: 'string', default: 'helm', doc: 'the helm 4 binary' },
  helmKillGraceMs: {
    env: 'FASIT_HELM_KILL_GRACE_MS',
    type: 'int',
    default: 30_000,
    min: 0,
    doc: "how long after helm's own --timeout naisd kills a helm that has not exited and reports the deploy failed",
  },
  namespace: { env: 'FASIT_NAISD_NAMESPACE', type: 'string', default: 'nais-system', doc: 'namespace releases are installed into' },
  insecureRegistries: {
    env: 'FASIT_INSECURE_REGISTRIES',
    type: 'string',
    default: DEFAULT_INSECURE_REGISTRIES,
    doc: 'comma-separated registry hosts (host or host:port) pulled with --plain-http',
  },
  heartbeatIntervalMs: { env: 'FASIT_HEARTBEAT_INTERVAL_MS', type: 'int', default: 60_000, min: 100 },
  inventoryIntervalMs: { env: 'FASIT_INVENTORY_INTERVAL_MS', type: 'int', default: 900_000, min: 100 },
  logFlushIntervalMs: {
    env: 'FASIT_LOG_FLUSH_INTERVAL_MS',
    type: 'int',
    default: 2_000,
    min: 10,
    doc: 'how often buffered helm output is sent as log reports',
  },
  httpHost: { env: 'FASIT_HTTP_HOST', type: 'string', default: '127.0.0.1', loopbackInDevelopment: true },
  httpPort: { env: 'FASIT_HTTP_PORT', type: 'int', default: 8080, min: 0, max: 65535, doc: '/healthz and /readyz (0 = any free port)' },
  instructions: {
    env: 'FASIT_INSTRUCTIONS',
    type: 'enum',
    values: ['v2', 'v3'] as const,
    default: 'v2',
    doc: "where instructions come from: v2, the environment's own topic (naisd.instructions.v2.<tenant>.<environment>); v3, its filtered subscription on its shard (naisd.instructions.v3.shard-<k>, decision 0024), announced to the dispatcher in the heartbeat",
  },
  agentVersion: { env: 'FASIT_AGENT_VERSION', type: 'string', default: '0.1.0', doc: 'reported in heartbeats (the image tag in production)' },
  image: {
    env: 'FASIT_NAISD_IMAGE',
    type: 'optional-string',
    doc: 'the image this naisd runs (the chart sets it): its self-upgrade Job runs the helm of this image; unset = no self-upgrade',
  },
  serviceAccount: {
    env: 'FASIT_NAISD_SERVICE_ACCOUNT',
    type: 'string',
    default: 'naisd',
    doc: "naisd's service account (the chart sets it): its self-upgrade Job runs under it, with the Role the chart grants",
  },
} as const satisfies Spec;

export type NaisdConfig = ConfigOf<typeof naisdSpec>;
export const NAISD_CONFIG = Symbol('NAISD_CONFIG');

export function loadNaisdConfig(env?: Env): NaisdConfig {
  return env === undefined ? readConfig(naisdSpec) : readConfig(naisdSpec, env);
}

/** True when there is no cluster: helm simulates with --dry-run=client and the memory driver. */
export function isDryRun(config: Pick<NaisdConfig, 'kubeconfig'>): boolean {
  return config.kubeconfig === undefined;
}

export function parseHostList(list: string): string[] {
  return list
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
}
