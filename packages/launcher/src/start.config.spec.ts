// What the start command passes on to the services it starts.
import { describe, expect, it } from '@jest/globals';
import { ConfigError, DEVELOPMENT_KEYS, generateInstructionKeys, parseInstructionPublicKeys, parseInstructionSigningKey } from '@fasit/config';
import { platformKeys, servicesEnv } from './start.config.js';

const local = { registry: '127.0.0.1:56303' };

describe('servicesEnv', () => {
  it("passes on the FASIT_* settings and LOG_LEVEL it is given, not the ports it sets per process nor the scripts' own", () => {
    const env = {
      FASIT_AUTH_MODE: 'dev',
      FASIT_RECONCILE_INTERVAL_MS: '500',
      LOG_LEVEL: 'debug',
      FASIT_HTTP_PORT: '8080',
      FASIT_GRPC_PORT: '4444',
      FASIT_RUN_DIR: '/tmp/r',
      FASIT_PG_PORT: '1',
      PATH: '/bin',
      DATABASE_URL: 'postgres://x',
      // the keys go where they belong (platformKeys), the private instruction key to the dispatcher alone
      FASIT_AGENT_KEY_SECRET: 'x'.repeat(40),
      FASIT_INSTRUCTION_SIGNING_KEY: '{}',
      FASIT_INSTRUCTION_PUBLIC_KEYS: '{}',
    };
    expect(servicesEnv({ ...local, authMode: 'dev' }, env)).toEqual({ FASIT_AUTH_MODE: 'dev', FASIT_RECONCILE_INTERVAL_MS: '500', LOG_LEVEL: 'debug' });
  });

  it('dev mode: leaves FASIT_OCI_REGISTRIES alone (the catalog reaches loopback registries without it)', () => {
    expect(servicesEnv({ ...local, authMode: 'dev' }, {})).toEqual({});
  });

  it("oidc mode without FASIT_OCI_REGISTRIES: the catalog may pull from the local registry, the demo's", () => {
    expect(servicesEnv({ ...local, authMode: 'oidc' }, { FASIT_AUTH_MODE: 'oidc' })).toEqual({
      FASIT_AUTH_MODE: 'oidc',
      FASIT_OCI_REGISTRIES: '127.0.0.1:56303',
    });
  });

  it.each(['ghcr.io,127.0.0.1:56303', 'ghcr.io, 127.0.0.1'])(
    'oidc mode with FASIT_OCI_REGISTRIES=%s (the local registry among them): passed on as given',
    (registries) => {
      expect(servicesEnv({ ...local, authMode: 'oidc' }, { FASIT_OCI_REGISTRIES: registries })).toEqual({ FASIT_OCI_REGISTRIES: registries });
    },
  );

  it.each(['oidc', 'dev'] as const)('%s mode with FASIT_OCI_REGISTRIES that leaves out the local registry: refused, naming both variables', (authMode) => {
    expect(() => servicesEnv({ ...local, authMode }, { FASIT_OCI_REGISTRIES: 'ghcr.io,127.0.0.1:5000' })).toThrow(
      new ConfigError([
        'FASIT_OCI_REGISTRIES: ghcr.io,127.0.0.1:5000 leaves out the local registry 127.0.0.1:56303 (OCI_REGISTRY) the start command pushes the demo feature to; add it, or leave FASIT_OCI_REGISTRIES unset',
      ]),
    );
  });
});

describe('platformKeys', () => {
  const none = { agentKeySecret: undefined, instructionSigningKey: undefined, instructionPublicKeys: undefined };

  it("dev mode, no keys given: the services' development keys, nothing made up", () => {
    expect(platformKeys({ ...none, authMode: 'dev' })).toEqual({ agentKeySecret: DEVELOPMENT_KEYS.FASIT_AGENT_KEY_SECRET, generated: [] });
  });

  it('oidc mode, no keys given: a fresh agent secret and instruction key pair for this start (the services refuse development keys), and it says so', () => {
    const a = platformKeys({ ...none, authMode: 'oidc' });
    const b = platformKeys({ ...none, authMode: 'oidc' });
    expect(a.generated).toEqual(['FASIT_AGENT_KEY_SECRET', 'FASIT_INSTRUCTION_SIGNING_KEY', 'FASIT_INSTRUCTION_PUBLIC_KEYS']);
    expect(a.agentKeySecret).toMatch(/^[0-9a-f]{64}$/);
    expect(a.agentKeySecret).not.toBe(b.agentKeySecret);
    const signing = parseInstructionSigningKey(a.instructionKeys!.signingKey);
    expect(parseInstructionPublicKeys(a.instructionKeys!.publicKeys).keys).toEqual([signing.publicJwk]);
    expect(a.instructionKeys!.signingKey).not.toBe(b.instructionKeys!.signingKey);
    expect(a.instructionKeys!.signingKey).not.toBe(DEVELOPMENT_KEYS.FASIT_INSTRUCTION_SIGNING_KEY);
  });

  it("given keys are used as given; the public keys default to the signing key's public half", () => {
    const k = generateInstructionKeys('ops-1');
    expect(platformKeys({ authMode: 'oidc', agentKeySecret: 's'.repeat(32), instructionSigningKey: k.signingKey, instructionPublicKeys: undefined })).toEqual({
      agentKeySecret: 's'.repeat(32),
      instructionKeys: k,
      generated: [],
    });
    const rotating = JSON.stringify({
      keys: [...parseInstructionPublicKeys(k.publicKeys).keys, ...parseInstructionPublicKeys(generateInstructionKeys('ops-0').publicKeys).keys],
    });
    expect(platformKeys({ ...none, authMode: 'dev', instructionSigningKey: k.signingKey, instructionPublicKeys: rotating }).instructionKeys).toEqual({
      signingKey: k.signingKey,
      publicKeys: rotating,
    });
  });

  it('refuses public keys without the signing key, and a signing key that is not one, naming the variable', () => {
    expect(() => platformKeys({ ...none, authMode: 'oidc', instructionPublicKeys: generateInstructionKeys('x').publicKeys })).toThrow(
      new ConfigError(['FASIT_INSTRUCTION_PUBLIC_KEYS: given without FASIT_INSTRUCTION_SIGNING_KEY, so no instruction would verify; give both, or neither']),
    );
    expect(() => platformKeys({ ...none, authMode: 'oidc', instructionSigningKey: 'not json' })).toThrow(
      new ConfigError([
        'FASIT_INSTRUCTION_SIGNING_KEY: not JSON: an Ed25519 private key as a JWK with a "kid" (pnpm fasit keys instruction-signing --kid <id>)',
      ]),
    );
  });
});
