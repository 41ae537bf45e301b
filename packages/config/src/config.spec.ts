import { describe, expect, it } from '@jest/globals';
import { ConfigError, keyList, readConfig } from './config.js';
import { DEVELOPMENT_KEYS } from './development-keys.js';
import { modeSpec } from './mode.js';
import { agentIdentitySpec, busSpec, databaseSpec, httpSpec, secretsSpec } from './specs.js';

const spec = { ...databaseSpec, ...httpSpec, ...busSpec };

describe('readConfig', () => {
  it('applies defaults and parses typed values', () => {
    const c = readConfig(spec, { FASIT_HTTP_PORT: '9090', FASIT_BUS: 'memory', FASIT_BUS_CREATE_TOPICS: 'false' });
    expect(c.httpPort).toBe(9090);
    expect(c.busKind).toBe('memory');
    expect(c.busCreateTopics).toBe(false);
    expect(c.databaseUrl).toContain('postgres://');
    expect(c.pubsubEmulatorHost).toBeUndefined();
  });

  it('names every bad variable at once', () => {
    let err: unknown;
    try {
      readConfig(spec, { FASIT_HTTP_PORT: 'eighty', FASIT_BUS: 'kafka', FASIT_HTTP_PROT: '1' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems).toContain('FASIT_HTTP_PORT: must be an integer (got "eighty")');
    expect(problems).toContain('FASIT_BUS: must be one of pubsub, memory (got "kafka")');
    expect(problems).toContain('FASIT_HTTP_PROT: unknown variable (did you mean FASIT_HTTP_PORT?)');
  });

  it('reports a missing required variable', () => {
    expect(() => readConfig({ key: { env: 'FASIT_REQUIRED_EXAMPLE', type: 'string' } }, {})).toThrow('FASIT_REQUIRED_EXAMPLE: required');
  });

  it('enforces integer bounds', () => {
    expect(() => readConfig(httpSpec, { FASIT_HTTP_PORT: '70000' })).toThrow('FASIT_HTTP_PORT: must be <= 65535 (got 70000)');
  });
});

describe('PLATFORM_VARIABLES', () => {
  it('lists exactly the FASIT_* variables the services declare', async () => {
    const { execFileSync } = await import('node:child_process');
    const { PLATFORM_VARIABLES } = await import('./variables.js');
    const root = new URL('../../..', import.meta.url).pathname;
    const out = execFileSync('grep', ['-rhoE', "env: '(FASIT_[A-Z0-9_]+)'", 'apps', 'packages', '--include=*.ts', '--exclude=*.spec.ts'], {
      cwd: root,
      encoding: 'utf8',
    });
    const declared = [
      ...new Set(
        out
          .split('\n')
          .filter(Boolean)
          .map((l) => l.slice(6, -1)),
      ),
    ].sort();
    expect([...PLATFORM_VARIABLES].sort()).toEqual(declared);
  });

  it('accepts a variable of another service, refuses a typo', () => {
    expect(() => readConfig(httpSpec, { FASIT_RECONCILE_INTERVAL_MS: '1000' })).not.toThrow();
    expect(() => readConfig(httpSpec, { FASIT_RECONCILE_INTERVAL: '1000' })).toThrow('FASIT_RECONCILE_INTERVAL: unknown variable');
  });
});

describe('keys: the same rule for every key field', () => {
  const keySpec = { ...modeSpec, ...httpSpec, ...agentIdentitySpec, ...secretsSpec };
  const good = { FASIT_AGENT_KEY_SECRET: 'a'.repeat(32), FASIT_SECRET_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}` };
  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      readConfig(keySpec, env);
      return [];
    } catch (e) {
      return (e as ConfigError).problems;
    }
  };

  it('development mode (the default, and FASIT_AUTH_MODE=dev) falls back to the public development keys', () => {
    for (const env of [{}, { FASIT_AUTH_MODE: 'dev' }]) {
      const c = readConfig(keySpec, env);
      expect(c.agentKeySecret).toBe(DEVELOPMENT_KEYS.FASIT_AGENT_KEY_SECRET);
      expect(c.secretKeys).toBe(DEVELOPMENT_KEYS.FASIT_SECRET_KEYS);
    }
    // Set explicitly, a development key is accepted there too (compose and the start command may name them).
    expect(readConfig(keySpec, { FASIT_AGENT_KEY_SECRET: DEVELOPMENT_KEYS.FASIT_AGENT_KEY_SECRET }).agentKeySecret).toBe(
      DEVELOPMENT_KEYS.FASIT_AGENT_KEY_SECRET,
    );
  });

  it('outside development mode every key is set and used as given', () => {
    const c = readConfig(keySpec, { FASIT_AUTH_MODE: 'oidc', FASIT_HTTP_HOST: '0.0.0.0', ...good });
    expect(c).toMatchObject({ agentKeySecret: good.FASIT_AGENT_KEY_SECRET, secretKeys: good.FASIT_SECRET_KEYS, httpHost: '0.0.0.0' });
  });

  it.each([
    [
      'missing',
      {},
      [
        'FASIT_AGENT_KEY_SECRET: required outside development mode (FASIT_AUTH_MODE=dev): a random secret',
        'FASIT_SECRET_KEYS: required outside development mode (FASIT_AUTH_MODE=dev): "<id>:<base64',
      ],
    ],
    [
      'the public development keys',
      { FASIT_AGENT_KEY_SECRET: DEVELOPMENT_KEYS.FASIT_AGENT_KEY_SECRET, FASIT_SECRET_KEYS: DEVELOPMENT_KEYS.FASIT_SECRET_KEYS },
      [
        "FASIT_AGENT_KEY_SECRET: is a public development key (it is in Fasit's source)",
        "FASIT_SECRET_KEYS: is a public development key (it is in Fasit's source)",
      ],
    ],
    // The development key kept under another id, behind a real one, is still the public key.
    [
      'the development key under another id',
      { ...good, FASIT_SECRET_KEYS: `${good.FASIT_SECRET_KEYS},old:${Buffer.alloc(32, 7).toString('base64')}` },
      ["FASIT_SECRET_KEYS: is a public development key (it is in Fasit's source)"],
    ],
    ['too short', { ...good, FASIT_AGENT_KEY_SECRET: 'short-secret' }, ['FASIT_AGENT_KEY_SECRET: too short (12 characters; at least 32): a random secret']],
  ])('outside development mode, %s: the process stops, naming each variable', (_, keys, expected) => {
    const problems = problemsOf({ FASIT_AUTH_MODE: 'oidc', ...keys });
    expect(problems).toHaveLength(expected.length);
    expected.forEach((start, i) => expect(problems[i]).toContain(start));
  });

  it('a short key is refused in development mode too (only the public development keys are exempt)', () => {
    expect(problemsOf({ FASIT_AGENT_KEY_SECRET: 'k' })).toEqual([expect.stringContaining('FASIT_AGENT_KEY_SECRET: too short (1 characters; at least 32)')]);
  });

  it('a key being rotated ("new,old"): the rule holds for each of them', () => {
    const next = 'n'.repeat(32);
    expect(readConfig(keySpec, { FASIT_AUTH_MODE: 'oidc', ...good, FASIT_AGENT_KEY_SECRET: `${next}, ${good.FASIT_AGENT_KEY_SECRET}` }).agentKeySecret).toBe(
      `${next}, ${good.FASIT_AGENT_KEY_SECRET}`,
    );
    expect(keyList(`${next}, ${good.FASIT_AGENT_KEY_SECRET}`)).toEqual([next, good.FASIT_AGENT_KEY_SECRET]);
    expect(problemsOf({ FASIT_AUTH_MODE: 'oidc', ...good, FASIT_AGENT_KEY_SECRET: `${next},short` })).toEqual([
      expect.stringContaining('FASIT_AGENT_KEY_SECRET: too short (5 characters; at least 32)'),
    ]);
    expect(problemsOf({ FASIT_AUTH_MODE: 'oidc', ...good, FASIT_AGENT_KEY_SECRET: `${next},${DEVELOPMENT_KEYS.FASIT_AGENT_KEY_SECRET}` })).toEqual([
      expect.stringContaining("FASIT_AGENT_KEY_SECRET: is a public development key (it is in Fasit's source)"),
    ]);
    expect(problemsOf({ FASIT_AUTH_MODE: 'oidc', ...good, FASIT_AGENT_KEY_SECRET: ' , ' })).toEqual([
      expect.stringContaining('FASIT_AGENT_KEY_SECRET: no key in " , "'),
    ]);
  });

  it('development mode listens on loopback only', () => {
    expect(problemsOf({ FASIT_HTTP_HOST: '0.0.0.0' })).toEqual([
      'FASIT_HTTP_HOST: 0.0.0.0 is not a loopback address; development mode (FASIT_AUTH_MODE=dev, the default) listens on loopback only: use 127.0.0.1, or set FASIT_AUTH_MODE=oidc and your own keys',
    ]);
    for (const host of ['127.0.0.1', 'localhost', '::1']) expect(problemsOf({ FASIT_HTTP_HOST: host })).toEqual([]);
  });

  it('an unknown mode is no development mode (and is named)', () => {
    expect(problemsOf({ FASIT_AUTH_MODE: 'devel' })).toEqual([
      'FASIT_AUTH_MODE: must be one of dev, oidc (got "devel")',
      expect.stringContaining('FASIT_AGENT_KEY_SECRET: required outside development mode'),
      expect.stringContaining('FASIT_SECRET_KEYS: required outside development mode'),
    ]);
  });
});
