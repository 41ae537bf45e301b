// The catalog API as modules per capability (README: the module map). The real app boots with every module, and
// each module exports exactly what the map says: Nest refuses to start a module that injects another module's
// provider which that module does not export, so a capability cannot reach into another one's insides.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Inject, Injectable, Module, type DynamicModule, type InjectionToken, type Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { OutboxRelay } from '@fasit/bus';
import type { SecretBox } from '@fasit/domain';
import { ServiceMetrics } from '@fasit/metrics';
import { CAPABILITY_MODULES } from '../src/app.module.js';
import { CATALOG_RELAY } from '../src/common/catalog-transaction.js';
import { CoreModule } from '../src/core/core.module.js';
import { SECRET_BOX } from '../src/secrets/secret-box.provider.js';
import { CATALOG_CONFIG, type CatalogConfig } from '../src/settings/catalog.settings.js';
import { startHarness, type Harness } from './harness.js';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

/** What each module lets the others use; every other provider is its own. The README's module map says the same. */
const EXPORTS: Record<string, string[]> = {
  AssignmentsModule: ['AssignmentService', 'AssignmentStatusService'],
  AuditModule: [],
  AuthModule: ['AccessService', 'AuthService', 'Authorizer'],
  DriftModule: ['DriftReader'],
  DryRunModule: [],
  EnvironmentFeaturesModule: ['DisabledFeatureRepository'],
  EnvironmentValuesModule: ['EnvironmentValueService'],
  EnvironmentsModule: ['EnvironmentRepository', 'EnvironmentService'],
  ExplainModule: ['ExplainReader'],
  FeatureConfigModule: ['FeatureConfigService'],
  FeaturesModule: ['ChartIngestService'],
  GithubModule: [],
  GrpcModule: ['GrpcHandlers'],
  HealthModule: [],
  LegacyModule: [],
  LiveModule: [],
  MetricsModule: [],
  OpenApiModule: [],
  ReleasesModule: ['ReleaseReader'],
  SecretsModule: [],
  TemplatesModule: ['CatalogRenderPool', 'RenderDataService'],
  TenantsModule: ['TenantRepository', 'TenantService'],
  WebModule: [],
};

type Provider = Type | { provide: InjectionToken };
const tokenOf = (p: Provider): InjectionToken => (typeof p === 'function' ? p : p.provide);
const nameOf = (t: InjectionToken): string => (typeof t === 'function' ? t.name : String(t));
const metadata = (module: Type, key: string): Provider[] => (Reflect.getMetadata(key, module) as Provider[] | undefined) ?? [];
/** Nest's own enhancers (APP_GUARD, APP_FILTER, …) are global by design, not a module's provider to share. */
const isEnhancer = (t: InjectionToken): boolean => typeof t === 'string' && t.startsWith('APP_');

/** Every `src/<capability>/<capability>.module.ts`, loaded: the module classes the source declares. */
async function declaredModules(): Promise<Type[]> {
  const out: Type[] = [];
  for (const dir of readdirSync(SRC, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(join(SRC, dir.name)).filter((f) => f.endsWith('.module.ts'))) {
      const loaded = (await import(pathToFileURL(join(SRC, dir.name, file)).href)) as Record<string, unknown>;
      for (const value of Object.values(loaded)) {
        if (typeof value === 'function' && value.name.endsWith('Module')) out.push(value as Type);
      }
    }
  }
  return out;
}

describe('catalog-api modules', () => {
  let h: Harness;
  let core: DynamicModule;

  beforeAll(async () => {
    h = await startHarness();
    const app = h.catalog.app;
    // The running app's own infrastructure, for the probes below: a real data source, relay and secret box.
    core = CoreModule.forRoot({
      config: app.get<CatalogConfig>(CATALOG_CONFIG),
      dataSource: app.get(DataSource),
      relay: app.get<OutboxRelay>(CATALOG_RELAY),
      secretBox: app.get<SecretBox>(SECRET_BOX),
      metrics: app.get(ServiceMetrics),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A module that imports `module` and injects `token` into one provider: Nest resolves it, or refuses to start. */
  async function probe(module: Type, token: InjectionToken): Promise<void> {
    class Probe {
      constructor(readonly used: unknown) {}
    }
    Inject(token)(Probe, undefined, 0);
    Injectable()(Probe);
    class ProbeModule {}
    Module({ imports: [core, module], providers: [Probe] })(ProbeModule);
    const context = await NestFactory.createApplicationContext(ProbeModule, { logger: false, abortOnError: false });
    await context.close();
  }

  it('boots the real app with every module the source declares, one per capability folder', async () => {
    const declared = await declaredModules();
    expect(declared.map((m) => m.name).sort()).toEqual([...Object.keys(EXPORTS), 'CoreModule'].sort());
    expect(new Set(declared)).toEqual(new Set([...CAPABILITY_MODULES, CoreModule]));
    const running = new Set([...h.catalog.app.get(ModulesContainer).values()].map((m) => m.metatype));
    for (const module of declared) expect(running.has(module)).toBe(true);
    expect((await h.api('GET', '/readyz')).status).toBe(200);
  });

  it('every folder with controllers, services, readers or repositories is a module', () => {
    const roles = /\.(controller|service|reader|repository)\.ts$/;
    const capabilities = readdirSync(SRC, { withFileTypes: true })
      .filter((d) => d.isDirectory() && readdirSync(join(SRC, d.name)).some((f) => roles.test(f) && !f.endsWith('.spec.ts')))
      .map((d) => d.name);
    const withoutModule = capabilities.filter((dir) => !readdirSync(join(SRC, dir)).some((f) => f.endsWith('.module.ts')));
    expect(withoutModule).toEqual([]);
    expect(capabilities.length).toBeGreaterThan(20);
  });

  it('each module exports only what the module map lists', () => {
    const exported = Object.fromEntries(
      CAPABILITY_MODULES.map((m) => [
        m.name,
        metadata(m, MODULE_METADATA.EXPORTS)
          .map((p) => nameOf(tokenOf(p)))
          .sort(),
      ]),
    );
    expect(exported).toEqual(EXPORTS);
  });

  it('a module that imports another may use what it exports', async () => {
    for (const module of CAPABILITY_MODULES) {
      for (const p of metadata(module, MODULE_METADATA.EXPORTS)) await probe(module, tokenOf(p));
    }
  });

  it("Nest refuses to start a module that uses another module's provider it does not export", async () => {
    let refused = 0;
    for (const module of CAPABILITY_MODULES) {
      const exported = new Set(metadata(module, MODULE_METADATA.EXPORTS).map(tokenOf));
      for (const p of metadata(module, MODULE_METADATA.PROVIDERS)) {
        const token = tokenOf(p);
        if (exported.has(token) || isEnhancer(token)) continue;
        await expect(probe(module, token)).rejects.toThrow(
          `Nest can't resolve dependencies of the Probe (?). Please make sure that the argument ${nameOf(token)} at index [0] is available in the ProbeModule module.`,
        );
        refused++;
      }
    }
    // Every capability's own services, controllers' helpers and readers: more than the exported ones.
    expect(refused).toBeGreaterThan(15);
  });
});
