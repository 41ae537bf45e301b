import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, DEVELOPMENT_KEYS } from '@fasit/config';
import { deriveAgentKey } from '@fasit/domain';
import { isDryRun, loadNaisdConfig, parseHostList } from './naisd.config.js';

const AGENT_KEY = deriveAgentKey('a-real-control-plane-secret-of-some-length', 'acme', 'dev');
const PUBLIC_KEYS = JSON.stringify({ keys: [{ ...generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }), kid: 'k1' }] });
const required = { FASIT_TENANT: 'acme', FASIT_ENVIRONMENT: 'dev', FASIT_AGENT_KEY: AGENT_KEY, FASIT_INSTRUCTION_PUBLIC_KEYS: PUBLIC_KEYS };
const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadNaisdConfig(env);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems;
  }
};

describe('naisd configuration', () => {
  it('needs tenant, environment and agent key; the rest has defaults', () => {
    const c = loadNaisdConfig(required);
    expect(c).toMatchObject({
      tenant: 'acme',
      environment: 'dev',
      agentKey: AGENT_KEY,
      helmBin: 'helm',
      namespace: 'nais-system',
      heartbeatIntervalMs: 60_000,
      inventoryIntervalMs: 900_000,
      httpHost: '127.0.0.1',
      httpPort: 8080,
    });
    expect(isDryRun(c)).toBe(true);
    expect(parseHostList(c.insecureRegistries)).toEqual(['localhost', '127.0.0.1', '[::1]']);
  });

  it('names every missing variable', () => {
    expect(problemsOf({ FASIT_AUTH_MODE: 'oidc' })).toEqual([
      expect.stringMatching(/^FASIT_TENANT: required/),
      expect.stringMatching(/^FASIT_ENVIRONMENT: required/),
      expect.stringMatching(
        /^FASIT_AGENT_KEY: required outside development mode \(FASIT_AUTH_MODE=dev\): HMAC-SHA256 of "fasit-agent:<tenant>\/<environment>"/,
      ),
      expect.stringMatching(/^FASIT_INSTRUCTION_PUBLIC_KEYS: required outside development mode \(FASIT_AUTH_MODE=dev\): a JWK Set/),
    ]);
  });

  it('in development mode the agent key defaults to the one the control plane derives from the public development secret', () => {
    const devKey = deriveAgentKey(DEVELOPMENT_KEYS.FASIT_AGENT_KEY_SECRET, 'acme', 'dev');
    expect(loadNaisdConfig({ FASIT_TENANT: 'acme', FASIT_ENVIRONMENT: 'dev' })).toMatchObject({
      agentKey: devKey,
      instructionPublicKeys: DEVELOPMENT_KEYS.FASIT_INSTRUCTION_PUBLIC_KEYS,
    });
    expect(loadNaisdConfig({ FASIT_TENANT: 'acme', FASIT_ENVIRONMENT: 'dev', FASIT_AGENT_KEY: devKey }).agentKey).toBe(devKey);
  });

  it.each([
    [
      'the key derived from the public development secret',
      deriveAgentKey(DEVELOPMENT_KEYS.FASIT_AGENT_KEY_SECRET, 'acme', 'dev'),
      "FASIT_AGENT_KEY: is a public development key (it is in Fasit's source)",
    ],
    ['a short key', 'k', 'FASIT_AGENT_KEY: too short (1 characters; at least 32)'],
  ])('outside development mode refuses %s, naming FASIT_AGENT_KEY', (_, key, problem) => {
    expect(problemsOf({ ...required, FASIT_AUTH_MODE: 'oidc', FASIT_HTTP_HOST: '0.0.0.0', FASIT_AGENT_KEY: key })).toEqual([expect.stringContaining(problem)]);
  });

  it('outside development mode refuses the public development instruction key, naming FASIT_INSTRUCTION_PUBLIC_KEYS', () => {
    const withDevKey = JSON.stringify({
      keys: [
        ...(JSON.parse(PUBLIC_KEYS) as { keys: unknown[] }).keys,
        ...(JSON.parse(DEVELOPMENT_KEYS.FASIT_INSTRUCTION_PUBLIC_KEYS) as { keys: unknown[] }).keys,
      ],
    });
    expect(problemsOf({ ...required, FASIT_AUTH_MODE: 'oidc', FASIT_INSTRUCTION_PUBLIC_KEYS: withDevKey })).toEqual([
      expect.stringContaining("FASIT_INSTRUCTION_PUBLIC_KEYS: is a public development key (it is in Fasit's source)"),
    ]);
  });

  it('development mode listens on loopback only', () => {
    expect(problemsOf({ ...required, FASIT_HTTP_HOST: '0.0.0.0' })).toEqual([
      expect.stringContaining('FASIT_HTTP_HOST: 0.0.0.0 is not a loopback address; development mode'),
    ]);
    expect(loadNaisdConfig({ ...required, FASIT_AUTH_MODE: 'oidc', FASIT_HTTP_HOST: '0.0.0.0' }).httpHost).toBe('0.0.0.0');
  });

  it('a kubeconfig means a real cluster; a typo stops the start', () => {
    expect(isDryRun(loadNaisdConfig({ ...required, FASIT_KUBECONFIG: '/k' }))).toBe(false);
    expect(() => loadNaisdConfig({ ...required, FASIT_KUBECONFG: '/k' })).toThrow(/FASIT_KUBECONFG: unknown variable \(did you mean FASIT_KUBECONFIG\?\)/);
  });
});
