// The bearer-token challenge flow against a real docker-registry configured for token auth. The token service is
// a small one from @fasit/testing (a stand-in for docker_auth or a cloud registry's), but the registry that
// issues the challenge and verifies the signed tokens is the real one; helm pushes through the same flow.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pushChart, startTokenAuthRegistry, type PushedChart, type TokenAuthRegistry } from '@fasit/testing';
import { OciClient, OciError, pullChartWith } from '../src/index.js';

async function failure(promise: Promise<unknown>): Promise<OciError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OciError) return error;
    throw error;
  }
  throw new Error('expected an OciError');
}

describe('OciClient bearer-token flow against a real docker-registry (token service: local stand-in)', () => {
  const user = { username: 'ci-bot', password: 'token-pass' };
  let env: TokenAuthRegistry;
  let chart: PushedChart;
  let other: PushedChart;

  beforeAll(async () => {
    env = await startTokenAuthRegistry({ users: [user] });
    chart = await pushChart('demo-feature', { registry: env.registry.host, repoPath: 'tokens', ...user });
    other = await pushChart('no-feature-yaml', { registry: env.registry.host, repoPath: 'tokens', ...user });
  }, 60_000);

  afterAll(async () => {
    await env?.stop();
  });

  it('pulls with a token for the repository scope, fetched once and reused', async () => {
    const client = new OciClient({ credentials: { [env.registry.host]: user } });
    const before = env.tokenService.requests.length;
    const pulled = await pullChartWith(client, chart.ref, chart.version);
    expect(pulled.digest).toBe(chart.digest);
    expect(pulled.featureYaml).toContain('environmentKinds');
    expect(await client.listTags(chart.ref)).toEqual(['0.1.0']);
    const asked = env.tokenService.requests.slice(before);
    expect(asked).toEqual([{ scopes: ['repository:tokens/demo-feature:pull'], user: 'ci-bot' }]);
  });

  it('gets a separate token for another repository', async () => {
    const client = new OciClient({ credentials: { [env.registry.host]: user } });
    const before = env.tokenService.requests.length;
    await client.resolve(chart.ref, chart.version);
    await client.resolve(other.ref, other.version);
    await client.resolve(chart.ref, chart.version);
    expect(env.tokenService.requests.slice(before).map((r) => r.scopes)).toEqual([
      ['repository:tokens/demo-feature:pull'],
      ['repository:tokens/no-feature-yaml:pull'],
    ]);
  });

  it('gives UNAUTHORIZED without credentials and with a wrong password', async () => {
    const anonymous = await failure(new OciClient().resolve(chart.ref, chart.version));
    expect(anonymous).toMatchObject({ code: 'UNAUTHORIZED', status: 401, retryable: false });
    expect(anonymous.message).toMatch(/token for repository:tokens\/demo-feature:pull/);
    const wrong = await failure(new OciClient({ credentials: { [env.registry.host]: { ...user, password: 'nope' } } }).listTags(chart.ref));
    expect(wrong).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect(wrong.message).toMatch(/token service refused the credentials/);
  });
});
