// What the start command passes on to the services it starts.
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@fasit/config';
import { servicesEnv } from './start.config.js';

const local = { registry: '127.0.0.1:56303' };

describe('servicesEnv', () => {
  it('passes on the FASIT_* settings and LOG_LEVEL it is given, not the ports it sets per process nor the scripts\' own', () => {
    const env = { FASIT_AUTH_MODE: 'dev', FASIT_RECONCILE_INTERVAL_MS: '500', LOG_LEVEL: 'debug', FASIT_HTTP_PORT: '8080', FASIT_GRPC_PORT: '4444', FASIT_RUN_DIR: '/tmp/r', FASIT_PG_PORT: '1', PATH: '/bin', DATABASE_URL: 'postgres://x' };
    expect(servicesEnv({ ...local, authMode: 'dev' }, env)).toEqual({ FASIT_AUTH_MODE: 'dev', FASIT_RECONCILE_INTERVAL_MS: '500', LOG_LEVEL: 'debug' });
  });

  it('dev mode: leaves FASIT_OCI_REGISTRIES alone (the catalog reaches loopback registries without it)', () => {
    expect(servicesEnv({ ...local, authMode: 'dev' }, {})).toEqual({});
  });

  it('oidc mode without FASIT_OCI_REGISTRIES: the catalog may pull from the local registry, the demo\'s', () => {
    expect(servicesEnv({ ...local, authMode: 'oidc' }, { FASIT_AUTH_MODE: 'oidc' })).toEqual({ FASIT_AUTH_MODE: 'oidc', FASIT_OCI_REGISTRIES: '127.0.0.1:56303' });
  });

  it.each(['ghcr.io,127.0.0.1:56303', 'ghcr.io, 127.0.0.1'])('oidc mode with FASIT_OCI_REGISTRIES=%s (the local registry among them): passed on as given', (registries) => {
    expect(servicesEnv({ ...local, authMode: 'oidc' }, { FASIT_OCI_REGISTRIES: registries })).toEqual({ FASIT_OCI_REGISTRIES: registries });
  });

  it.each(['oidc', 'dev'] as const)('%s mode with FASIT_OCI_REGISTRIES that leaves out the local registry: refused, naming both variables', (authMode) => {
    expect(() => servicesEnv({ ...local, authMode }, { FASIT_OCI_REGISTRIES: 'ghcr.io,127.0.0.1:5000' })).toThrow(
      new ConfigError(['FASIT_OCI_REGISTRIES: ghcr.io,127.0.0.1:5000 leaves out the local registry 127.0.0.1:56303 (OCI_REGISTRY) the start command pushes the demo feature to; add it, or leave FASIT_OCI_REGISTRIES unset']),
    );
  });
});
