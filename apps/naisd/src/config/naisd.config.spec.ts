import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@fasit/config';
import { isDryRun, loadNaisdConfig, parseHostList } from './naisd.config.js';

const required = { FASIT_TENANT: 'acme', FASIT_ENVIRONMENT: 'dev', FASIT_AGENT_KEY: 'k' };

describe('naisd configuration', () => {
  it('needs tenant, environment and agent key; the rest has defaults', () => {
    const c = loadNaisdConfig(required);
    expect(c).toMatchObject({ tenant: 'acme', environment: 'dev', helmBin: 'helm', namespace: 'nais-system', heartbeatIntervalMs: 60_000, inventoryIntervalMs: 900_000, httpPort: 8080 });
    expect(isDryRun(c)).toBe(true);
    expect(parseHostList(c.insecureRegistries)).toEqual(['localhost', '127.0.0.1', '[::1]']);
  });

  it('names every missing variable', () => {
    expect(() => loadNaisdConfig({})).toThrow(ConfigError);
    try {
      loadNaisdConfig({});
    } catch (e) {
      expect((e as ConfigError).problems.join('\n')).toMatch(/FASIT_TENANT: required[\s\S]*FASIT_ENVIRONMENT: required[\s\S]*FASIT_AGENT_KEY: required/);
    }
  });

  it('a kubeconfig means a real cluster; a typo stops the start', () => {
    expect(isDryRun(loadNaisdConfig({ ...required, FASIT_KUBECONFIG: '/k' }))).toBe(false);
    expect(() => loadNaisdConfig({ ...required, FASIT_KUBECONFG: '/k' })).toThrow(/FASIT_KUBECONFG: unknown variable \(did you mean FASIT_KUBECONFIG\?\)/);
  });
});
