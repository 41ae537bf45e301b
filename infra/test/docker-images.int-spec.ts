// docker/ against the apps and the charts. No Docker engine runs where these tests run, so the images are not
// built here: this checks what the charts and compose rely on in each Dockerfile (user, port, entry point, Node
// and helm versions), and that compose's settings are ones each service's loader accepts.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { loadCatalogConfig } from '@fasit/catalog-api';
import { parseInstructionPublicKeys, parseInstructionSigningKey, PLATFORM_VARIABLES, readConfig, type Env } from '@fasit/config';
import { dispatcherSpec } from '@fasit/dispatcher';
import { deriveAgentKey } from '@fasit/domain';
import { matcherSpec } from '@fasit/matcher';
import { loadNaisdConfig } from '@fasit/naisd';
import { reconcilerSpec } from '@fasit/reconciler';
import { FASIT_CHART, helm, NAISD_CHART } from './helm.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCKER = join(ROOT, 'docker');
const SERVICES = ['catalog-api', 'matcher', 'reconciler', 'dispatcher', 'naisd'] as const;
const dockerfile = (app: string) => readFileSync(join(DOCKER, `${app}.Dockerfile`), 'utf8');
const chartValues = (chart: string) =>
  yaml.load(readFileSync(join(chart, 'values.yaml'), 'utf8')) as { podSecurityContext: { runAsUser: number; runAsGroup: number } };

interface ComposeService {
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  read_only?: boolean;
  tmpfs?: string[];
}
const compose = yaml.load(readFileSync(join(DOCKER, 'compose.yaml'), 'utf8')) as { services: Record<string, ComposeService> };

describe('docker/: a Dockerfile per service, consistent with the charts (images not built here: no Docker engine)', () => {
  it('has a Dockerfile and a .dockerignore for every service in apps/ (every app with a src/main.ts but the CLI)', () => {
    const services = readdirSync(join(ROOT, 'apps')).filter((a) => a !== 'cli' && existsSync(join(ROOT, 'apps', a, 'src', 'main.ts')));
    expect(services.sort()).toEqual([...SERVICES].sort());
    for (const app of SERVICES) {
      expect(existsSync(join(DOCKER, `${app}.Dockerfile`))).toBe(true);
      expect(readFileSync(join(DOCKER, `${app}.Dockerfile.dockerignore`), 'utf8')).toContain('**/node_modules');
    }
  });

  it.each(SERVICES)(
    '%s: Node 24 (the engines of package.json), a pnpm deploy compiled with docker/compile-deployed.mjs, started without a TypeScript loader',
    (app) => {
      const text = dockerfile(app);
      const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { packageManager: string; engines: { node: string } };
      expect(root.engines.node).toBe('>=24 <25');
      expect(text).toMatch(/^ARG NODE_VERSION=24$/m);
      expect(readFileSync(join(ROOT, '.node-version'), 'utf8').trim()).toMatch(/^24(\.|$)/);
      expect(text).toContain(`ARG PNPM_VERSION=${root.packageManager.replace('pnpm@', '')}`);
      expect(text).toMatch(/^FROM node:\$\{NODE_VERSION\}-bookworm-slim$/m);
      expect(text).toContain(`pnpm --filter @fasit/${app} deploy --prod`);
      expect(text).toContain(`cp docker/compile-deployed.mjs apps/${app}/compile-deployed.mjs`);
      expect(text).toContain(`node apps/${app}/compile-deployed.mjs /out`);
      expect(text).toContain('ENTRYPOINT ["node", "--enable-source-maps", "src/main.js"]');
      expect(text).not.toContain('swc-node/register');
    },
  );

  it.each(SERVICES)("%s: runs as the charts' uid 65532 and exposes the port the charts probe", (app) => {
    const text = dockerfile(app);
    const values = chartValues(app === 'naisd' ? NAISD_CHART : FASIT_CHART);
    expect(text).toContain(`USER ${values.podSecurityContext.runAsUser}:${values.podSecurityContext.runAsGroup}`);
    expect(text).toMatch(/^EXPOSE 8080( 4444)?$/m);
    expect(text).toMatch(/FASIT_HTTP_HOST=0\.0\.0\.0/);
    // Not development mode: an image started without its keys (or with a public development key) stops at once.
    expect(text).toMatch(/FASIT_AUTH_MODE=oidc/);
    // The app's files belong to root: the service cannot change its own code.
    expect(text).toContain(`COPY --from=build --chown=root:root /out /app${app === 'catalog-api' ? '/apps/catalog-api' : ''}`);
  });

  it("catalog-api: ships the proto its gRPC server loads, and exposes the chart's gRPC port", () => {
    const text = dockerfile('catalog-api');
    // src/grpc/grpc.server.ts resolves ../../../../proto: the repository's layout, kept in the image.
    expect(text).toContain('COPY --chown=root:root proto /app/proto');
    expect(text).toContain('WORKDIR /app/apps/catalog-api');
    // the web console: built in the build stage and served from where FASIT_WEB_ROOT points
    expect(text).toContain('pnpm --filter @fasit/web build');
    expect(text).toContain('COPY --from=build --chown=root:root /repo/apps/web/dist /app/web');
    expect(text).toMatch(/FASIT_WEB_ROOT=\/app\/web\b/);
    expect(readFileSync(join(ROOT, 'apps/catalog-api/src/grpc/grpc.server.ts'), 'utf8')).toContain("'../../../../proto/fasit/management/v1/management.proto'");
    expect(text).toMatch(/^EXPOSE 8080 4444$/m);
    expect((yaml.load(readFileSync(join(FASIT_CHART, 'values.yaml'), 'utf8')) as { catalogApi: { grpc: { port: number } } }).catalogApi.grpc.port).toBe(4444);
  });

  it('naisd: carries helm of the major version the tests run (helm 4), verified by checksum, where the chart points FASIT_HELM_BIN', () => {
    const text = dockerfile('naisd');
    const pinned = /^ARG HELM_VERSION=(v\d+)\.\d+\.\d+$/m.exec(text)?.[1];
    const running = /^(v\d+)\./.exec(helm(['version', '--short']).stdout.trim())?.[1];
    expect(pinned).toBe('v4');
    expect(running).toBe(pinned);
    expect(text).toContain('sha256sum -c');
    expect(text).toContain('COPY --from=helm /usr/local/bin/helm /usr/local/bin/helm');
    expect(readFileSync(join(NAISD_CHART, 'templates', 'configmap.yaml'), 'utf8')).toContain('FASIT_HELM_BIN: /usr/local/bin/helm');
  });
});

describe('docker/compose.yaml', () => {
  it('builds every service from its Dockerfile, read-only with a tmpfs /tmp, next to PostgreSQL, the Pub/Sub emulator and a registry', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...SERVICES, 'postgres', 'pubsub', 'registry'].sort());
    for (const app of SERVICES) {
      const s = compose.services[app];
      expect(s?.build).toEqual({ context: '..', dockerfile: `docker/${app}.Dockerfile` });
      expect(s?.read_only).toBe(true);
      expect(s?.tmpfs).toEqual(['/tmp']);
    }
  });

  it('gives each service settings its own loader accepts, with only platform variables, and naisd the key the dispatcher derives', () => {
    const env = (app: string): Env => compose.services[app]?.environment ?? {};
    for (const app of SERVICES)
      for (const name of Object.keys(env(app)).filter((n) => n.startsWith('FASIT_')))
        expect(PLATFORM_VARIABLES.has(name) ? name : `${app}: ${name}`).toBe(name);
    const catalog = loadCatalogConfig(env('catalog-api'));
    expect(catalog).toMatchObject({ authMode: 'dev', busKind: 'pubsub', busCreateTopics: true, pubsubEmulatorHost: '127.0.0.1:18085' });
    const ports = [catalog.httpPort, readConfig(matcherSpec, env('matcher')).httpPort, readConfig(reconcilerSpec, env('reconciler')).httpPort];
    const dispatcher = readConfig(dispatcherSpec, env('dispatcher'));
    const naisd = loadNaisdConfig(env('naisd'));
    ports.push(dispatcher.httpPort, naisd.httpPort);
    // network_mode: host: every service needs a port of its own.
    expect(new Set(ports).size).toBe(5);
    expect(naisd.agentKey).toBe(deriveAgentKey(dispatcher.agentKeySecret, naisd.tenant, naisd.environment));
    // naisd runs what the dispatcher signs: it trusts that key's public half.
    expect(parseInstructionPublicKeys(naisd.instructionPublicKeys).keys).toContainEqual(parseInstructionSigningKey(dispatcher.instructionSigningKey).publicJwk);
    expect(naisd.kubeconfig).toBeUndefined();
  });
});
