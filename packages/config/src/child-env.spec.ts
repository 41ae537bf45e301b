import { describe, expect, it } from '@jest/globals';
import { childProcessEnv } from './child-env.js';

describe('childProcessEnv', () => {
  it('passes this process’s environment on, with overrides set and undefined ones removed', () => {
    process.env['FASIT_CHILD_ENV_PROBE'] = 'inherited';
    const env = childProcessEnv({ HELM_DRIVER: 'memory', FASIT_CHILD_ENV_PROBE: undefined });
    expect(env['PATH']).toBe(process.env['PATH']);
    expect(env['HELM_DRIVER']).toBe('memory');
    expect('FASIT_CHILD_ENV_PROBE' in env).toBe(false);
    expect(childProcessEnv()['FASIT_CHILD_ENV_PROBE']).toBe('inherited');
    delete process.env['FASIT_CHILD_ENV_PROBE'];
  });
});
