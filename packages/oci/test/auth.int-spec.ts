// Basic auth against a real docker-registry process started by this suite (htpasswd with bcrypt entries, 127.0.0.1
// on a free port, stopped after), with the chart pushed by the real helm using the same credentials.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pushChart, startRegistry, type LocalRegistry, type PushedChart } from '@fasit/testing';
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

describe('OciClient against a docker-registry with basic auth (htpasswd)', () => {
  const user = { username: 'fasit-robot', password: 'correct horse battery staple' };
  let registry: LocalRegistry;
  let chart: PushedChart;

  beforeAll(async () => {
    registry = await startRegistry({ users: [user] });
    chart = await pushChart('demo-feature', { registry: registry.host, repoPath: 'private', ...user });
  }, 60_000);

  afterAll(async () => {
    await registry?.stop();
  });

  it('refuses anonymous access with UNAUTHORIZED', async () => {
    const error = await failure(new OciClient().resolve(chart.ref, chart.version));
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401, retryable: false });
    expect(error.message).toMatch(/no credentials configured/);
  });

  it('refuses a wrong password with UNAUTHORIZED', async () => {
    const client = new OciClient({ credentials: { [registry.host]: { username: user.username, password: 'wrong' } } });
    const error = await failure(client.listTags(chart.ref));
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect(error.message).toMatch(/credentials were refused/);
  });

  it('resolves, pulls and lists tags with the right credentials', async () => {
    const client = new OciClient({ credentials: (host) => (host === registry.host ? user : undefined) });
    const pulled = await pullChartWith(client, chart.ref, chart.version);
    expect(pulled.digest).toBe(chart.digest);
    expect(pulled.chartYaml.name).toBe('demo-feature');
    expect(pulled.featureYaml).toContain('environmentKinds');
    expect(await client.listTags(chart.ref)).toEqual(['0.1.0']);
  });
});
