// The platform in one process, for machines without a PostgreSQL server or the Pub/Sub emulator: an embedded
// PostgreSQL (PGlite behind a local socket) and the in-process bus, with every service and the agents composed
// from the same modules their own processes run.
import { loadCatalogConfig, startCatalog } from '@fasit/catalog-api';
import { sharedInProcessBus, EventBus } from '@fasit/bus';
import { readConfig } from '@fasit/config';
import { startEmbeddedPostgres } from '@fasit/db';
import { dispatcherService, dispatcherSpec } from '@fasit/dispatcher';
import { deriveAgentKey } from '@fasit/domain';
import { matcherService, matcherSpec } from '@fasit/matcher';
import { loadNaisdConfig, startNaisd } from '@fasit/naisd';
import { reconcilerService, reconcilerSpec } from '@fasit/reconciler';
import { startService } from '@fasit/service';
import { freePort } from '@fasit/testing';
import type { AgentSpec } from './processes.js';

export interface EmbeddedPlatform {
  apiUrl: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPlatform(o: { dataDir: string; apiPort: number; agentKeySecret: string; agents: AgentSpec[] }): Promise<EmbeddedPlatform> {
  const pg = await startEmbeddedPostgres({ dataDir: o.dataDir, port: await freePort() });
  const bus = new EventBus(sharedInProcessBus(), { maxDeliveries: 5 });
  const common = { DATABASE_URL: pg.url, FASIT_BUS: 'memory', FASIT_HTTP_HOST: '127.0.0.1', FASIT_DB_POOL_SIZE: '3', FASIT_AGENT_KEY_SECRET: o.agentKeySecret, LOG_LEVEL: 'warn' };
  const stops: (() => Promise<void>)[] = [];
  try {
    const catalog = await startCatalog(loadCatalogConfig({ ...common, FASIT_HTTP_PORT: String(o.apiPort) }), { bus });
    stops.push(() => catalog.close());
    const env = { ...common, FASIT_HTTP_PORT: '0', FASIT_RECONCILE_INTERVAL_MS: '10000' };
    const matcher = readConfig(matcherSpec, env);
    const reconciler = readConfig(reconcilerSpec, env);
    const dispatcher = readConfig(dispatcherSpec, env);
    for (const [def, config] of [
      [matcherService(matcher), matcher],
      [reconcilerService(reconciler), reconciler],
      [dispatcherService(dispatcher), dispatcher],
    ] as const) {
      const running = await startService(def, config, { bus });
      stops.push(() => running.close());
    }
    for (const a of o.agents) {
      const agent = await startNaisd(
        loadNaisdConfig({ ...common, FASIT_TENANT: a.tenant, FASIT_ENVIRONMENT: a.environment, FASIT_AGENT_KEY: deriveAgentKey(o.agentKeySecret, a.tenant, a.environment), FASIT_HTTP_PORT: '0', FASIT_HEARTBEAT_INTERVAL_MS: '15000' }),
        { bus },
      );
      stops.push(() => agent.close());
    }
    return {
      apiUrl: catalog.url,
      async stop() {
        for (const s of stops.reverse()) await s();
        await pg.stop();
      },
    };
  } catch (e) {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    await pg.stop();
    throw e;
  }
}
