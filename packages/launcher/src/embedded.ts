// The platform in one process, for machines without a PostgreSQL server or the Pub/Sub emulator: an embedded
// PostgreSQL (PGlite behind a local socket) and the in-process bus, with every service and the agents composed
// from the same modules their own processes run.
import { loadCatalogConfig, startCatalog } from '@fasit/catalog-api';
import { sharedInProcessBus, EventBus } from '@fasit/bus';
import { readConfig, tracingSpec } from '@fasit/config';
import { startEmbeddedPostgres } from '@fasit/db';
import { dispatcherService, dispatcherSpec } from '@fasit/dispatcher';
import { deriveAgentKey } from '@fasit/domain';
import { matcherService, matcherSpec } from '@fasit/matcher';
import { loadNaisdConfig, startNaisd } from '@fasit/naisd';
import { reconcilerService, reconcilerSpec } from '@fasit/reconciler';
import { startService } from '@fasit/service';
import { startTracing } from '@fasit/tracing';
import type { AgentSpec, InstructionKeys } from './processes.js';

export interface EmbeddedPlatformOptions {
  /** Where PGlite keeps the database (reused by the next start); in memory when not given. */
  dataDir?: string;
  /** The REST API's port; a free one when 0 or not given. */
  apiPort?: number;
  /** The catalog's gRPC management API: a port, 0 for a free one, -1 for none; the catalog's default when not given. */
  grpcPort?: number;
  agentKeySecret: string;
  /** The instruction key pair (generateInstructionKeys); development mode's keys when not given. */
  instructionKeys?: InstructionKeys;
  /** naisd agents started with the platform; more with `startAgent`. */
  agents?: AgentSpec[];
  /** Extra environment for every service and agent (FASIT_* tuning such as FASIT_RECONCILE_INTERVAL_MS, LOG_LEVEL). */
  env?: Record<string, string>;
}

export interface EmbeddedPlatform {
  apiUrl: string;
  /** The embedded PostgreSQL, for looking inside. */
  databaseUrl: string;
  /** The in-process bus every part of the platform uses. */
  bus: EventBus;
  /** Where each service and agent of the platform answers /healthz and /metrics. */
  endpoints(): { service: string; url: string }[];
  startAgent(agent: AgentSpec): Promise<void>;
  stopAgent(agent: AgentSpec): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULTS: Record<string, string> = {
  FASIT_RECONCILE_INTERVAL_MS: '10000',
  FASIT_HEARTBEAT_INTERVAL_MS: '15000',
  FASIT_DB_POOL_SIZE: '3',
  LOG_LEVEL: 'warn',
};

export async function startEmbeddedPlatform(o: EmbeddedPlatformOptions): Promise<EmbeddedPlatform> {
  const pg = await startEmbeddedPostgres({ ...(o.dataDir ? { dataDir: o.dataDir } : {}), port: 0 });
  const bus = new EventBus(sharedInProcessBus(), { maxDeliveries: 5 });
  const common: Record<string, string> = {
    ...DEFAULTS,
    ...o.env,
    DATABASE_URL: pg.url,
    FASIT_BUS: 'memory',
    FASIT_HTTP_HOST: '127.0.0.1',
    FASIT_AGENT_KEY_SECRET: o.agentKeySecret,
  };
  // One process: its spans are `fasit-embedded`'s, each named after its service by its instrumentation scope.
  const tracing = startTracing(readConfig(tracingSpec, common, []), 'fasit-embedded');
  const stops: (() => Promise<void>)[] = [];
  const agents = new Map<string, { url: string; close(): Promise<void> }>();
  const endpoints: { service: string; url: string }[] = [];
  const key = (a: AgentSpec) => `${a.tenant}/${a.environment}`;
  const stopAll = async () => {
    for (const a of [...agents.values()]) await a.close().catch(() => undefined);
    agents.clear();
    for (const s of stops.reverse()) await s().catch(() => undefined);
    stops.length = 0;
    await tracing.flush();
    await pg.stop();
  };
  const startAgent = async (a: AgentSpec) => {
    if (agents.has(key(a))) return;
    const agent = await startNaisd(
      loadNaisdConfig({
        ...common,
        FASIT_TENANT: a.tenant,
        FASIT_ENVIRONMENT: a.environment,
        FASIT_AGENT_KEY: deriveAgentKey(o.agentKeySecret, a.tenant, a.environment),
        ...(o.instructionKeys ? { FASIT_INSTRUCTION_PUBLIC_KEYS: o.instructionKeys.publicKeys } : {}),
        FASIT_HTTP_PORT: '0',
        ...a.env,
      }),
      { bus },
    );
    agents.set(key(a), agent);
  };
  try {
    const catalog = await startCatalog(
      loadCatalogConfig({ ...common, FASIT_HTTP_PORT: String(o.apiPort ?? 0), ...(o.grpcPort === undefined ? {} : { FASIT_GRPC_PORT: String(o.grpcPort) }) }),
      { bus },
    );
    stops.push(() => catalog.close());
    endpoints.push({ service: 'catalog-api', url: catalog.url });
    const env = { ...common, FASIT_HTTP_PORT: '0' };
    const matcher = readConfig(matcherSpec, env);
    const reconciler = readConfig(reconcilerSpec, env);
    const dispatcher = readConfig(dispatcherSpec, { ...env, ...(o.instructionKeys ? { FASIT_INSTRUCTION_SIGNING_KEY: o.instructionKeys.signingKey } : {}) });
    for (const [def, config] of [
      [matcherService(matcher), matcher],
      [reconcilerService(reconciler), reconciler],
      [dispatcherService(dispatcher), dispatcher],
    ] as const) {
      const running = await startService(def, config, { bus });
      stops.push(() => running.close());
      endpoints.push({ service: def.name, url: running.url });
    }
    for (const a of o.agents ?? []) await startAgent(a);
    return {
      apiUrl: catalog.url,
      databaseUrl: pg.url,
      bus,
      endpoints: () => [...endpoints, ...[...agents.values()].map((a) => ({ service: 'naisd', url: a.url }))],
      startAgent,
      async stopAgent(a) {
        const agent = agents.get(key(a));
        agents.delete(key(a));
        await agent?.close();
      },
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
