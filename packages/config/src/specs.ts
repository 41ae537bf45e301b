// The configuration groups the services share. Each app composes the groups it needs into its own spec.
import type { Spec } from './config.js';
import { DEVELOPMENT_KEYS, holdsDevelopmentSecretKey } from './development-keys.js';

export const databaseSpec = {
  databaseUrl: { env: 'DATABASE_URL', type: 'string', default: 'postgres://postgres@127.0.0.1:55432/fasit', doc: 'PostgreSQL connection string' },
  databasePoolSize: { env: 'FASIT_DB_POOL_SIZE', type: 'int', default: 10, min: 1, max: 200 },
} as const satisfies Spec;

export const busSpec = {
  busKind: {
    env: 'FASIT_BUS',
    type: 'enum',
    values: ['pubsub', 'memory'] as const,
    default: 'pubsub',
    doc: 'pubsub (Google Cloud Pub/Sub or its emulator) or memory (in-process, one process only)',
  },
  pubsubProjectId: { env: 'PUBSUB_PROJECT_ID', type: 'string', default: 'fasit-local' },
  pubsubEmulatorHost: { env: 'PUBSUB_EMULATOR_HOST', type: 'optional-string' },
  busCreateTopics: {
    env: 'FASIT_BUS_CREATE_TOPICS',
    type: 'bool',
    default: true,
    doc: 'create missing topics and subscriptions at start (off in production, where infra owns them)',
  },
  busMaxDeliveries: { env: 'FASIT_BUS_MAX_DELIVERIES', type: 'int', default: 5, min: 1 },
  busFaultDuplicatePercent: {
    env: 'FASIT_BUS_FAULT_DUPLICATE_PERCENT',
    type: 'int',
    default: 0,
    min: 0,
    max: 100,
    doc: 'fault tests only (the chaos run): this share of the messages the service publishes goes out 1-2 more times, up to 3 s later, so consumers get them again and out of order',
  },
  drainTimeoutMs: {
    env: 'FASIT_DRAIN_TIMEOUT_MS',
    type: 'int',
    default: 20_000,
    min: 0,
    doc: "on SIGTERM: how long running handlers may finish before what is left is nacked (keep it below the pod's termination grace period)",
  },
} as const satisfies Spec;

export const httpSpec = {
  httpHost: { env: 'FASIT_HTTP_HOST', type: 'string', default: '127.0.0.1', loopbackInDevelopment: true },
  httpPort: { env: 'FASIT_HTTP_PORT', type: 'int', default: 8080, min: 0, max: 65535 },
} as const satisfies Spec;

export const logSpec = {
  logLevel: { env: 'LOG_LEVEL', type: 'enum', values: ['debug', 'info', 'warn', 'error'] as const, default: 'info' },
} as const satisfies Spec;

export const agentIdentitySpec = {
  agentKeySecret: {
    env: 'FASIT_AGENT_KEY_SECRET',
    type: 'key',
    minLength: 32,
    list: true,
    devDefault: DEVELOPMENT_KEYS.FASIT_AGENT_KEY_SECRET,
    how: 'a random secret of at least 32 characters (openssl rand -hex 32), or "new,old" while rotating; every agent key derives from it',
    doc: "derives each environment agent's key: it signs the agent's reports (checked by the dispatcher against any of the secrets) and seals its values (by the reconciler, with the first)",
  },
} as const satisfies Spec;

/** How the reconciler decides; catalog-api reads the same settings to explain decisions and to run them dry. */
export const decisionSpec = {
  healthWindowMs: { env: 'FASIT_AGENT_HEALTH_WINDOW_MS', type: 'int', default: 180_000, min: 1000, doc: 'an agent silent for longer is unhealthy' },
  retryMaxAttempts: { env: 'FASIT_DEPLOY_RETRY_MAX', type: 'int', default: 3, min: 0 },
  retryBaseDelayMs: { env: 'FASIT_DEPLOY_RETRY_BASE_MS', type: 'int', default: 60_000, min: 0 },
  requestTimeoutMs: {
    env: 'FASIT_DEPLOY_REQUEST_TIMEOUT_MS',
    type: 'int',
    default: 300_000,
    min: 1000,
    doc: 'a requested deploy the dispatcher never recorded is requested again after this',
  },
  iapAudience: { env: 'FASIT_IAP_AUDIENCE', type: 'string', default: '', doc: 'exposed to templates as .Fasit.IAPAudience (so agents can call back)' },
} as const satisfies Spec;

export const secretsSpec = {
  secretKeys: {
    env: 'FASIT_SECRET_KEYS',
    type: 'key',
    devDefault: DEVELOPMENT_KEYS.FASIT_SECRET_KEYS,
    isPublic: (value) => holdsDevelopmentSecretKey(value),
    how: '"<id>:<base64 of 32 random bytes>" (openssl rand -base64 32), several comma-separated to rotate',
    doc: 'AES-256 keys for secrets at rest: "id:base64key,id2:base64key"; the first encrypts, all decrypt (rotation)',
  },
} as const satisfies Spec;

/** OpenTelemetry traces (`@fasit/tracing`): off unless said; docs/operations.md "How to read a trace". */
export const tracingSpec = {
  tracing: {
    env: 'FASIT_TRACING',
    type: 'enum',
    values: ['off', 'console', 'file', 'otlp'] as const,
    default: 'off',
    doc: 'off, console (spans on stdout), file (JSON lines in FASIT_TRACING_DIR) or otlp (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT)',
  },
  tracingDir: {
    env: 'FASIT_TRACING_DIR',
    type: 'string',
    default: '',
    doc: 'FASIT_TRACING=file: the directory each process writes <service>-<pid>.jsonl into',
  },
  otlpEndpoint: { env: 'OTEL_EXPORTER_OTLP_ENDPOINT', type: 'optional-string', doc: 'FASIT_TRACING=otlp: the collector, e.g. http://otel-collector:4318' },
} as const satisfies Spec;
