import { describe, expect, it } from '@jest/globals';
import { ConfigError, readConfig } from './config.js';
import { busSpec, databaseSpec, httpSpec } from './specs.js';

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
    const out = execFileSync('grep', ['-rhoE', "env: '(FASIT_[A-Z0-9_]+)'", 'apps', 'packages', '--include=*.ts', '--exclude=*.spec.ts'], { cwd: root, encoding: 'utf8' });
    const declared = [...new Set(out.split('\n').filter(Boolean).map((l) => l.slice(6, -1)))].sort();
    expect([...PLATFORM_VARIABLES].sort()).toEqual(declared);
  });

  it('accepts a variable of another service, refuses a typo', () => {
    expect(() => readConfig(httpSpec, { FASIT_RECONCILE_INTERVAL_MS: '1000' })).not.toThrow();
    expect(() => readConfig(httpSpec, { FASIT_RECONCILE_INTERVAL: '1000' })).toThrow('FASIT_RECONCILE_INTERVAL: unknown variable');
  });
});
